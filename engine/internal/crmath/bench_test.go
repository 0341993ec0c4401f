package crmath

import (
	"math"
	"testing"
)

var sink float64

// BenchmarkElementwise times the platform-independent functions beside
// the math package's (which they replace on the training path).
func BenchmarkElementwise(b *testing.B) {
	for _, f := range []struct {
		name string
		f    func(float64) float64
	}{
		{"Exp", Exp}, {"math.Exp", math.Exp}, {"Expm1", Expm1}, {"math.Expm1", math.Expm1},
		{"Tanh", Tanh}, {"math.Tanh", math.Tanh}, {"Log", Log}, {"math.Log", math.Log}, {"FastExp", FastExp}, {"FastLog", FastLog},
	} {
		b.Run(f.name, func(b *testing.B) {
			x, s := 0.1, 0.0
			for b.Loop() {
				s += f.f(x)
				x += 0.37
				if x > 5 {
					x = -5.2
				}
			}
			sink = s
		})
	}
}
