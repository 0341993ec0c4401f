package optim

import (
	"math/big"
	"testing"
)

// TestPowIntIsCorrectlyRounded compares powInt with x^n computed exactly
// in big.Float and rounded once to float64.
func TestPowIntIsCorrectlyRounded(t *testing.T) {
	bases := []float64{0.9, 0.99, 0.999, 0.9999, 0.5, 0.8, 0.95, 0.85, 0.98, 0.3}
	for _, x := range bases {
		exact := big.NewFloat(1).SetPrec(4096)
		bx := big.NewFloat(x).SetPrec(4096)
		for n := 0; n <= 300; n++ {
			want, _ := exact.Float64()
			if got := powInt(x, n); got != want {
				t.Errorf("powInt(%v, %d) = %.17g, want %.17g", x, n, got, want)
			}
			exact.Mul(exact, bx)
		}
	}
}
