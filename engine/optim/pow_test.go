package optim

import (
	"math"
	"math/big"
	"math/rand/v2"
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

// TestPowCacheMatchesPowInt checks powCache.pow bit for bit against powInt
// for the step counts of a run (1…3000 in order), for random exponents up
// to 2^40 in random order, and when the base changes between calls (NaN,
// ±0, ±Inf and bases above 1 included).
func TestPowCacheMatchesPowInt(t *testing.T) {
	check := func(c *powCache, x float64, n int) {
		t.Helper()
		got, want := c.pow(x, n), powInt(x, n)
		if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Fatalf("pow(%v, %d) = %v, powInt %v", x, n, got, want)
		}
	}
	for _, x := range []float64{0.9, 0.999, 0.5, 1.0000001} {
		var c powCache
		for n := 0; n <= 3000; n++ {
			check(&c, x, n)
		}
	}
	r := rand.New(rand.NewPCG(5, 6))
	bases := []float64{0.9, 0.999, 0.3, 1.5, 0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), -0.7}
	var c powCache
	for range 20000 {
		x := bases[r.IntN(len(bases))]
		if r.IntN(3) == 0 {
			x = r.Float64()
		}
		check(&c, x, r.IntN(1<<r.IntN(41)))
	}
}
