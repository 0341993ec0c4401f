//go:build !amd64 || purego

package rng

const hasAVX2 = false

func twistAVX2(cur, far, out *uint32, n int) {
	panic("rng: no assembly on this platform")
}
