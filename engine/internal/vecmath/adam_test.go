package vecmath

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestAdamMatchesGo checks Adam (the assembly where the CPU has AVX) bit
// for bit against adamGo, its definition, on random vectors of every
// length up to 37 (so that the four-wide loop and the Go tail both run)
// with zeros, signed zeros, huge and tiny values mixed in, for several
// settings.
func TestAdamMatchesGo(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	val := func() float64 {
		switch r.IntN(12) {
		case 0:
			return 0
		case 1:
			return math.Copysign(0, -1)
		case 2:
			return r.NormFloat64() * 1e150
		case 3:
			return r.NormFloat64() * 1e-300
		}
		return r.NormFloat64() * math.Ldexp(1, r.IntN(20)-10)
	}
	for _, c := range []AdamConsts{
		{0, 0.9, 0.999, 0.1, 0.001, 0.1, 0.001, 0.001, 1e-8},
		{0.01, 0.8, 0.99, 1 - 0.8, 1 - 0.99, 0.36, 0.0199, 0.1, 1e-6},
		{0, 0, 0, 1, 1, 1, 1, 1, 0},
	} {
		for n := 0; n <= 37; n++ {
			p, g, m, s := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
			for i := range p {
				p[i], g[i], m[i], s[i] = val(), val(), val(), math.Abs(val())
			}
			p2, g2, m2, s2 := append([]float64(nil), p...), append([]float64(nil), g...), append([]float64(nil), m...), append([]float64(nil), s...)
			Adam(p, g, m, s, &c)
			adamGo(p2, g2, m2, s2, &c)
			for i := range p {
				for _, pair := range [][2]float64{{p[i], p2[i]}, {m[i], m2[i]}, {s[i], s2[i]}} {
					if math.Float64bits(pair[0]) != math.Float64bits(pair[1]) && !(math.IsNaN(pair[0]) && math.IsNaN(pair[1])) {
						t.Fatalf("consts %+v, n %d, element %d: Adam %x, adamGo %x", c, n, i, pair[0], pair[1])
					}
				}
			}
		}
	}
}

func BenchmarkAdam(b *testing.B) {
	const n = 784*256 + 256 + 256*10 + 10 // the 784-256-10 network's parameters
	p, g, m, s := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	r := rand.New(rand.NewPCG(1, 1))
	for i := range p {
		p[i], g[i] = r.NormFloat64(), r.NormFloat64()
	}
	c := AdamConsts{0, 0.9, 0.999, 0.1, 0.001, 0.1, 0.001, 0.001, 1e-8}
	b.Run("vecmath", func(b *testing.B) {
		for b.Loop() {
			Adam(p, g, m, s, &c)
		}
	})
	b.Run("go", func(b *testing.B) {
		for b.Loop() {
			adamGo(p, g, m, s, &c)
		}
	})
}
