//go:build amd64 && !purego

package vecmath

import "golang.org/x/sys/cpu"

// hasAVX2FMA selects logAVX2 and sigmoidAVX2; golang.org/x/sys/cpu honours
// GODEBUG=cpu.avx2=off and cpu.fma=off.
var hasAVX2FMA = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// logAVX2 is Log's loop over groups of four for i < n (n a multiple of 4),
// stopping before the first group with a lane that is not positive,
// normal and finite; it returns how many values it set.
//
//go:noescape
func logAVX2(dst, src *float64, n int) int

// sigmoidAVX2 is Sigmoid's loop over groups of four for i < n (n a
// multiple of 4), stopping before the first group with a lane |src[i]| >
// 707 or NaN; it returns how many values it set.
//
//go:noescape
func sigmoidAVX2(dst, src *float64, n int) int

// reluAVX is ReLU for i < n, n a multiple of 4.
//
//go:noescape
func reluAVX(dst, z, x *float64, n int)

// hitsAVX adds Hits's count for i < n (n a multiple of 4) to count, lane
// by lane.
//
//go:noescape
func hitsAVX(a, y *float64, n int, count *[4]int64)

// selectBinaryAVX is SelectBinary for i < n, n a multiple of 4.
//
//go:noescape
func selectBinaryAVX(dst, a, y *float64, n int, unit bool) bool

// scaledDiffAVX is ScaledDiff for i < n, n a multiple of 4.
//
//go:noescape
func scaledDiffAVX(dst, a, y *float64, s float64, n int)

// addConstAVX is AddConst for i < n, n a multiple of 4.
//
//go:noescape
func addConstAVX(x *float64, b float64, n int)

// hasAVX512 selects sigmoidAVX512; golang.org/x/sys/cpu honours
// GODEBUG=cpu.avx512f=off.
var hasAVX512 = cpu.X86.HasAVX512F && hasAVX2FMA

// sigmoidAVX512 is sigmoidAVX2 eight at a time for i < n (n a multiple of
// 8); it returns how many values it set.
//
//go:noescape
func sigmoidAVX512(dst, src *float64, n int) int

// logAVX512 is logAVX2 eight at a time for i < n (n a multiple of 8); it
// returns how many values it set.
//
//go:noescape
func logAVX512(dst, src *float64, n int) int
