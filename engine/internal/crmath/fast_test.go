package crmath

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// TestFastAccuracy measures FastExp and FastLog against math/big on random
// arguments (a few hundred under -short, 3000 per range otherwise) and
// checks the bounds their doc comments state.
func TestFastAccuracy(t *testing.T) {
	n := 3000
	if testing.Short() {
		n = 300
	}
	r := rand.New(rand.NewPCG(14, 1))
	for _, fn := range []struct {
		name  string
		f     func(float64) float64
		exact func(float64) *big.Float
		arg   func() float64
		bound float64
	}{
		{"FastExp", FastExp, bigExp, func() float64 { return r.Float64()*(709-(-708)) - 708 }, 1},
		{"FastExp/small", FastExp, bigExp, func() float64 { return (r.Float64()*2 - 1) * math.Ldexp(1, -r.IntN(50)) }, 1},
		{"FastLog", FastLog, bigLog, func() float64 { return math.Ldexp(0.5+r.Float64()/2, r.IntN(2000)-1000) }, 1},
		{"FastLog/near1", FastLog, bigLog, func() float64 { return 1 + (r.Float64()*2-1)*math.Ldexp(1, -r.IntN(50)) }, 1},
		{"FastLog/unit", FastLog, bigLog, func() float64 { return r.Float64() }, 1},
	} {
		t.Run(fn.name, func(t *testing.T) {
			worst, worstX := 0.0, 0.0
			for range n {
				x := fn.arg()
				if e := ulpError(fn.f(x), fn.exact(x)); e > worst {
					worst, worstX = e, x
				}
			}
			t.Logf("%d arguments: max error %.4f ULP (at %v)", n, worst, worstX)
			if worst > fn.bound {
				t.Errorf("max error %.4f ULP at %v exceeds %v", worst, worstX, fn.bound)
			}
		})
	}
	for _, c := range []struct {
		name    string
		f       func(float64) float64
		x, want float64
	}{
		{"FastExp", FastExp, 0, 1}, {"FastExp", FastExp, math.Inf(1), math.Inf(1)}, {"FastExp", FastExp, math.Inf(-1), 0},
		{"FastExp", FastExp, 710, math.Inf(1)}, {"FastExp", FastExp, -746, 0},
		{"FastLog", FastLog, 1, 0}, {"FastLog", FastLog, 0, math.Inf(-1)}, {"FastLog", FastLog, math.Inf(1), math.Inf(1)},
		{"FastLog", FastLog, math.E, 1}, {"FastLog", FastLog, 2, math.Ln2},
	} {
		if got := c.f(c.x); math.Float64bits(got) != math.Float64bits(c.want) {
			t.Errorf("%s(%v) = %v, want %v", c.name, c.x, got, c.want)
		}
	}
	if !math.IsNaN(FastExp(math.NaN())) || !math.IsNaN(FastLog(math.NaN())) || !math.IsNaN(FastLog(-1)) {
		t.Error("NaN or negative argument: want NaN")
	}
}
