//go:build !amd64 || purego

package vecmath

const hasAVX = false

func adamAVX(params, grads, m, s *float64, n int, c *AdamConsts) {
	panic("vecmath: no assembly on this platform")
}
