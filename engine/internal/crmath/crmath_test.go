package crmath

import (
	"math"
	"strconv"
	"testing"

	"github.com/optbench/optbench/engine/internal/testvec"
)

// vectors mirrors testdata/mpmath_vectors.json, written by
// testdata/mpmath_vectors.py: inputs drawn with numpy 1.24 and results
// correctly rounded from mpmath at 300 bits.
type vectors struct {
	Log  [][2]string `json:"log"`  // x, log x
	Trig [][3]string `json:"trig"` // x, cos x, sin x
}

func loadVectors(t testing.TB) *vectors {
	t.Helper()
	v := new(vectors)
	testvec.Load(t, "testdata/mpmath_vectors.json", v)
	return v
}

// TestLog checks Log bit for bit against correctly rounded values from
// mpmath at 300 bits.
func TestLog(t *testing.T) {
	v := loadVectors(t)
	for _, c := range v.Log {
		x, err := strconv.ParseFloat(c[0], 64)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := strconv.ParseFloat(c[1], 64)
		if got := Log(x); got != want {
			t.Errorf("Log(%x) = %x, want %x", x, got, want)
		}
	}
	for _, c := range []struct{ x, want float64 }{
		{0, math.Inf(-1)},
		{math.Inf(1), math.Inf(1)},
		{-1, math.NaN()},
		{math.NaN(), math.NaN()},
	} {
		if got := Log(c.x); !(got == c.want || math.IsNaN(got) && math.IsNaN(c.want)) {
			t.Errorf("Log(%v) = %v, want %v", c.x, got, c.want)
		}
	}
}

// TestTrig checks Sin and Cos bit for bit against mpmath's correctly rounded
// values.
func TestTrig(t *testing.T) {
	v := loadVectors(t)
	for _, c := range v.Trig {
		f := testvec.HexFloats(t, c[:])
		if got := Cos(f[0]); got != f[1] {
			t.Errorf("Cos(%x) = %x, want %x", f[0], got, f[1])
		}
		if got := Sin(f[0]); got != f[2] {
			t.Errorf("Sin(%x) = %x, want %x", f[0], got, f[2])
		}
	}
	for _, x := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if !math.IsNaN(Sin(x)) || !math.IsNaN(Cos(x)) {
			t.Errorf("Sin, Cos(%v) = %v, %v; want NaN", x, Sin(x), Cos(x))
		}
	}
}
