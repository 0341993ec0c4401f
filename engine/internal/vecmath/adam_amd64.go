//go:build amd64 && !purego

package vecmath

import "golang.org/x/sys/cpu"

// hasAVX selects the assembly; golang.org/x/sys/cpu honours
// GODEBUG=cpu.avx=off.
var hasAVX = cpu.X86.HasAVX

// adamAVX is adamGo for the first n elements, n a multiple of 4.
//
//go:noescape
func adamAVX(params, grads, m, s *float64, n int, c *AdamConsts)
