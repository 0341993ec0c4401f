//go:build !amd64 || purego

package vecmath

const hasAVX2FMA = false

func logAVX2(dst, src *float64, n int) int {
	panic("vecmath: no assembly on this platform")
}

func sigmoidAVX2(dst, src *float64, n int) int {
	panic("vecmath: no assembly on this platform")
}

func reluAVX(dst, z, x *float64, n int) {
	panic("vecmath: no assembly on this platform")
}

func hitsAVX(a, y *float64, n int, count *[4]int64) {
	panic("vecmath: no assembly on this platform")
}

func selectBinaryAVX(dst, a, y *float64, n int, unit bool) bool {
	panic("vecmath: no assembly on this platform")
}

func scaledDiffAVX(dst, a, y *float64, s float64, n int) {
	panic("vecmath: no assembly on this platform")
}

func addConstAVX(x *float64, b float64, n int) {
	panic("vecmath: no assembly on this platform")
}

const hasAVX512 = false

func sigmoidAVX512(dst, src *float64, n int) int {
	panic("vecmath: no assembly on this platform")
}

func logAVX512(dst, src *float64, n int) int {
	panic("vecmath: no assembly on this platform")
}
