package vecmath

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/optbench/optbench/engine/internal/crmath"
)

// sameBits reports whether a and b are the same float64, NaNs of any
// payload counting as the same.
func sameBits(a, b float64) bool {
	return math.Float64bits(a) == math.Float64bits(b) || math.IsNaN(a) && math.IsNaN(b)
}

// checkElementwise runs f on vectors of every length up to 41 drawn from
// val (in place and into another slice) and compares each element bit for
// bit with want.
func checkElementwise(t *testing.T, name string, f func(dst, src []float64), want func(float64) float64, val func() float64) {
	t.Helper()
	for rep := 0; rep < 200; rep++ {
		for n := 0; n <= 41; n++ {
			src := make([]float64, n)
			for i := range src {
				src[i] = val()
			}
			dst := make([]float64, n)
			f(dst, src)
			inPlace := append([]float64(nil), src...)
			f(inPlace, inPlace)
			for i, x := range src {
				w := want(x)
				if !sameBits(dst[i], w) || !sameBits(inPlace[i], w) {
					t.Fatalf("%s(%v = %#x): got %v (%#x), in place %v, want %v (%#x)",
						name, x, math.Float64bits(x), dst[i], math.Float64bits(dst[i]), inPlace[i], w, math.Float64bits(w))
				}
			}
		}
	}
}

// TestLogMatchesFastLog checks Log (the assembly where the CPU has AVX2
// and FMA) bit for bit against crmath.FastLog on 200 random vectors of
// every length up to 41: arguments over the whole normal range, near 1,
// on both sides of √2/2 (where the reduction doubles m), the sigmoid
// outputs the loss sees, and special values mixed into the groups (0, −0,
// negatives, subnormals, the smallest normal, the largest finite, ±Inf,
// NaN) so that both the assembly and the Go fallback run.
func TestLogMatchesFastLog(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 1))
	specials := []float64{0, math.Copysign(0, -1), -1, -math.SmallestNonzeroFloat64, math.SmallestNonzeroFloat64,
		0x1p-1022, 0x1.fffffffffffffp-1023, math.MaxFloat64, math.Inf(1), math.Inf(-1), math.NaN(), 1,
		math.Sqrt2 / 2, math.Nextafter(math.Sqrt2/2, 0), math.Nextafter(math.Sqrt2/2, 2), 0.5, 2}
	val := func() float64 {
		switch r.IntN(8) {
		case 0:
			if r.IntN(4) == 0 {
				return specials[r.IntN(len(specials))]
			}
			return math.Ldexp(1+r.Float64(), r.IntN(2046)-1022)
		case 1:
			return 1 + (r.Float64()-0.5)*math.Ldexp(1, -r.IntN(50))
		case 2:
			return math.Sqrt2 / 2 * (1 + (r.Float64()-0.5)*1e-12)
		case 3:
			return 1 - r.Float64()
		}
		return 1 / (1 + math.Exp(-r.NormFloat64()*10)) // a sigmoid output
	}
	checkElementwise(t, "Log", Log, crmath.FastLog, val)
}

// TestSigmoidMatchesFastExp checks Sigmoid (the assembly where the CPU has
// AVX2 and FMA) bit for bit against 1/(1 + crmath.FastExp(−x)) on 200
// random vectors of every length up to 41: arguments over [−800, 800],
// small ones, ones at and past the assembly's ±707 bound, x·(1/ln 2)
// exactly half-way between integers (where math.Round rounds away from
// zero), and ±0, ±Inf, NaN mixed into the groups.
func TestSigmoidMatchesFastExp(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 2))
	var halfway []float64
	for k := -1000.0; k <= 1000; k += 37 {
		// Search near (k+½)·ln 2 for an x with x·(1/ln 2) = k+½ exactly.
		x := (k + 0.5) * math.Ln2
		for range 64 {
			if p := x * (1 / math.Ln2); p == k+0.5 {
				halfway = append(halfway, -x) // Sigmoid negates
				break
			} else if p < k+0.5 {
				x = math.Nextafter(x, math.Inf(1))
			} else {
				x = math.Nextafter(x, math.Inf(-1))
			}
		}
	}
	if len(halfway) < 10 {
		t.Fatalf("found only %d half-way arguments", len(halfway))
	}
	specials := []float64{0, math.Copysign(0, -1), 707, -707, math.Nextafter(707, 800), math.Nextafter(-707, -800),
		708, -745, 746, -750, math.Inf(1), math.Inf(-1), math.NaN(), math.SmallestNonzeroFloat64, 0.5 * math.Ln2, -0.5 * math.Ln2}
	val := func() float64 {
		switch r.IntN(8) {
		case 0:
			return specials[r.IntN(len(specials))]
		case 1:
			return halfway[r.IntN(len(halfway))]
		case 2:
			return (r.Float64() - 0.5) * 1600
		case 3:
			return r.NormFloat64() * math.Ldexp(1, -r.IntN(60))
		}
		return r.NormFloat64() * 5
	}
	checkElementwise(t, "Sigmoid", Sigmoid, sigmoidGo, val)
}

// TestReLUMatchesGo checks ReLU (the assembly where the CPU has AVX) bit
// for bit against reluGo, its definition, and against max(0, z) with NaN
// kept, on 200 random vectors of every length up to 41 with ±0, ±Inf, NaN
// and subnormals mixed in, both as ReLU(a, z, z) and ReLU(da, z, da).
func TestReLUMatchesGo(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 3))
	specials := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), math.SmallestNonzeroFloat64, -math.SmallestNonzeroFloat64}
	val := func() float64 {
		if r.IntN(5) == 0 {
			return specials[r.IntN(len(specials))]
		}
		return r.NormFloat64()
	}
	for rep := 0; rep < 200; rep++ {
		for n := 0; n <= 41; n++ {
			z, da := make([]float64, n), make([]float64, n)
			for i := range z {
				z[i], da[i] = val(), val()
			}
			a, a2 := make([]float64, n), make([]float64, n)
			ReLU(a, z, z)
			reluGo(a2, z, z)
			d, d2 := append([]float64(nil), da...), append([]float64(nil), da...)
			ReLU(d, z, d)
			reluGo(d2, z, d2)
			for i, v := range z {
				want := v
				if v <= 0 {
					want = 0 // +0, for −0 too
				}
				if !sameBits(a[i], want) || !sameBits(a2[i], want) {
					t.Fatalf("ReLU(%v) = %v, reluGo %v, want %v", v, a[i], a2[i], want)
				}
				wantD := da[i]
				if v <= 0 {
					wantD = 0
				}
				if !sameBits(d[i], wantD) || !sameBits(d2[i], wantD) {
					t.Fatalf("ReLU derivative at %v times %v = %v, reluGo %v, want %v", v, da[i], d[i], d2[i], wantD)
				}
			}
		}
	}
}

// TestHitsMatchesGo checks Hits (the assembly where the CPU has AVX2)
// against hitsGo on vectors of every length up to 41, with outputs at and
// around 0.5, ±0, NaN and ±Inf, and labels 0, −0, 1, NaN and 0.5.
func TestHitsMatchesGo(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 5))
	outs := []float64{0.5, math.Nextafter(0.5, 1), math.Nextafter(0.5, 0), 0, math.Copysign(0, -1), 1, math.NaN(), math.Inf(1), math.Inf(-1)}
	labels := []float64{0, 1, 0, 1, math.Copysign(0, -1), math.NaN(), 0.5}
	for rep := 0; rep < 300; rep++ {
		for n := 0; n <= 41; n++ {
			a, y := make([]float64, n), make([]float64, n)
			for i := range a {
				a[i] = r.Float64()
				if r.IntN(4) == 0 {
					a[i] = outs[r.IntN(len(outs))]
				}
				y[i] = labels[r.IntN(len(labels))]
			}
			if got, want := Hits(a, y), hitsGo(a, y); got != want {
				t.Fatalf("Hits(%v, %v) = %d, want %d", a, y, got, want)
			}
		}
	}
}

// TestSelectBinaryMatchesGo: SelectBinary's verdict and, when it accepts,
// every value bit for bit are the Go loop's, on outputs in and out of
// [0, 1] (±0, 1, NaN, ±Inf, just past the ends) and targets 0, 1, −0, NaN
// and 0.5, with and without the range check, over lengths 0…41.
func TestSelectBinaryMatchesGo(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 6))
	outs := []float64{0, math.Copysign(0, -1), 1, math.Nextafter(1, 2), math.Nextafter(0, -1), math.NaN(), math.Inf(1), math.Inf(-1), 5e-324}
	labels := []float64{0, 1, 0, 1, 0, 1, math.Copysign(0, -1), math.NaN(), 0.5}
	accepted := 0
	for rep := 0; rep < 400; rep++ {
		for n := 0; n <= 41; n++ {
			a, y := make([]float64, n), make([]float64, n)
			for i := range a {
				a[i] = r.Float64()
				if r.IntN(3*n+1) == 0 {
					a[i] = outs[r.IntN(len(outs))]
				}
				y[i] = float64(r.IntN(2))
				if r.IntN(3*n+1) == 0 {
					y[i] = labels[r.IntN(len(labels))]
				}
			}
			for _, unit := range []bool{false, true} {
				got, want := make([]float64, n), make([]float64, n)
				ok, wantOK := SelectBinary(got, a, y, unit), selectBinaryGo(want, a, y, unit)
				if ok != wantOK {
					t.Fatalf("SelectBinary(%v, %v, %v) reports %v, want %v", a, y, unit, ok, wantOK)
				}
				if !ok {
					continue
				}
				accepted++
				for i := range got {
					if math.Float64bits(got[i]) != math.Float64bits(want[i]) && !(math.IsNaN(got[i]) && math.IsNaN(want[i])) {
						t.Fatalf("SelectBinary(%v, %v, %v)[%d] = %v, want %v", a, y, unit, i, got[i], want[i])
					}
				}
			}
		}
	}
	if accepted < 1000 {
		t.Errorf("only %d of the cases were accepted", accepted)
	}
}

// TestScaledDiffMatchesGo: ScaledDiff gives the Go loop's bits on vectors of
// every length up to 41 with ±0, ±Inf, NaN, subnormals and huge values
// among the outputs, targets and scales.
func TestScaledDiffMatchesGo(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 7))
	special := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), 5e-324, 1e308, -1e308, 1}
	pick := func() float64 {
		if r.IntN(5) == 0 {
			return special[r.IntN(len(special))]
		}
		return r.NormFloat64() * math.Ldexp(1, r.IntN(60)-30)
	}
	for rep := 0; rep < 300; rep++ {
		for n := 0; n <= 41; n++ {
			a, y := make([]float64, n), make([]float64, n)
			for i := range a {
				a[i], y[i] = pick(), pick()
			}
			s := pick()
			got, want := make([]float64, n), make([]float64, n)
			ScaledDiff(got, a, y, s)
			scaledDiffGo(want, a, y, s)
			for i := range got {
				if !sameBits(got[i], want[i]) {
					t.Fatalf("%v·(%v − %v) = %v, want %v", s, a[i], y[i], got[i], want[i])
				}
			}
		}
	}
}

// TestAddConstMatchesGo checks AddConst (the assembly where the CPU has
// AVX) bit for bit against x[i] + b on vectors of every length up to 41,
// with ±0, ±Inf, NaN, subnormals and huge values among both the elements
// and the constant (so that signed zeros and overflow show).
func TestAddConstMatchesGo(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 4))
	specials := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), math.SmallestNonzeroFloat64, math.MaxFloat64}
	val := func() float64 {
		if r.IntN(5) == 0 {
			return specials[r.IntN(len(specials))]
		}
		return r.NormFloat64() * math.Ldexp(1, r.IntN(40)-20)
	}
	for rep := 0; rep < 200; rep++ {
		for n := 0; n <= 41; n++ {
			x, b := make([]float64, n), val()
			for i := range x {
				x[i] = val()
			}
			got := append([]float64(nil), x...)
			AddConst(got, b)
			for i, v := range x {
				if want := v + b; !sameBits(got[i], want) {
					t.Fatalf("%v + %v = %v, want %v", v, b, got[i], want)
				}
			}
		}
	}
}
