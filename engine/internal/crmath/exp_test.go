package crmath

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

const bigPrec = 256

// bigExp returns e^x to about 230 bits: the Taylor series of e^{x/2^16}
// (|x/2^16| < 0.012, 40 terms) squared sixteen times.
func bigExp(x float64) *big.Float {
	y := new(big.Float).SetPrec(bigPrec).SetMantExp(big.NewFloat(x).SetPrec(bigPrec), -16)
	sum := new(big.Float).SetPrec(bigPrec).SetInt64(1)
	term := new(big.Float).SetPrec(bigPrec).SetInt64(1)
	for n := int64(1); n <= 40; n++ {
		term.Mul(term, y)
		term.Quo(term, new(big.Float).SetPrec(bigPrec).SetInt64(n))
		sum.Add(sum, term)
	}
	for range 16 {
		sum.Mul(sum, sum)
	}
	return sum
}

// bigExpm1 returns e^x − 1; the subtraction cancels at most log2(1/|x|)
// bits, far fewer than bigExp's spare ones for the |x| ≥ 2^-54 tested.
func bigExpm1(x float64) *big.Float {
	e := bigExp(x)
	return e.Sub(e, new(big.Float).SetPrec(bigPrec).SetInt64(1))
}

// bigTanh returns tanh x = (e^{2x} − 1)/(e^{2x} + 1).
func bigTanh(x float64) *big.Float {
	e := bigExp(2 * x)
	one := new(big.Float).SetPrec(bigPrec).SetInt64(1)
	num := new(big.Float).SetPrec(bigPrec).Sub(e, one)
	den := new(big.Float).SetPrec(bigPrec).Add(e, one)
	return num.Quo(num, den)
}

// ulpError returns |got − exact| in units of the last place of exact
// rounded to float64.
func ulpError(got float64, exact *big.Float) float64 {
	r, _ := exact.Float64()
	ulp := math.Abs(math.Nextafter(r, math.Inf(1)) - r)
	if r < 0 {
		ulp = math.Abs(r - math.Nextafter(r, math.Inf(-1)))
	}
	d := new(big.Float).SetPrec(bigPrec).Sub(big.NewFloat(got), exact)
	e, _ := d.Float64()
	return math.Abs(e) / ulp
}

// TestExpAccuracy measures the error of Exp, Expm1 and Tanh against
// math/big on random arguments spread over their whole normal range (a
// few thousand under -short, more otherwise) and checks it stays below
// 0.501 ULP, the bound the package doc states; it logs the largest error
// seen and how many results were not the correctly rounded ones.
func TestExpAccuracy(t *testing.T) {
	n := 3000
	if testing.Short() {
		n = 200
	}
	r := rand.New(rand.NewPCG(12, 1))
	for _, fn := range []struct {
		name  string
		f     func(float64) float64
		exact func(float64) *big.Float
		arg   func() float64
	}{
		{"Exp", Exp, bigExp, func() float64 { return r.Float64()*(709-(-708)) - 708 }},
		{"Exp/small", Exp, bigExp, func() float64 { return (r.Float64()*2 - 1) * math.Ldexp(1, -r.IntN(50)) }},
		{"Expm1", Expm1, bigExpm1, func() float64 { return r.Float64()*(80) - 40 }},
		{"Expm1/small", Expm1, bigExpm1, func() float64 { return (r.Float64()*2 - 1) * math.Ldexp(1, -r.IntN(52)) }},
		{"Tanh", Tanh, bigTanh, func() float64 { return r.Float64()*44 - 22 }},
		{"Tanh/small", Tanh, bigTanh, func() float64 { return (r.Float64()*2 - 1) * math.Ldexp(1, -r.IntN(28)) }},
	} {
		t.Run(fn.name, func(t *testing.T) {
			worst, worstX, wrong := 0.0, 0.0, 0
			for range n {
				x := fn.arg()
				ex := fn.exact(x)
				got := fn.f(x)
				if e := ulpError(got, ex); e > worst {
					worst, worstX = e, x
				}
				if want, _ := ex.Float64(); got != want {
					wrong++
				}
			}
			t.Logf("%d arguments: max error %.4f ULP (at %v), %d not correctly rounded", n, worst, worstX, wrong)
			if worst > 0.501 {
				t.Errorf("max error %.4f ULP at %v exceeds 0.501", worst, worstX)
			}
		})
	}
}

// TestExpSpecial checks exact values, signed zeros, infinities, NaN and
// the overflow and underflow edges.
func TestExpSpecial(t *testing.T) {
	negZero := math.Copysign(0, -1)
	inf := math.Inf(1)
	for _, c := range []struct {
		name    string
		f       func(float64) float64
		x, want float64
	}{
		{"Exp", Exp, 0, 1}, {"Exp", Exp, negZero, 1}, {"Exp", Exp, inf, inf}, {"Exp", Exp, -inf, 0},
		{"Exp", Exp, 710, inf}, {"Exp", Exp, 709.79, inf}, {"Exp", Exp, -746, 0}, {"Exp", Exp, -800, 0},
		{"Exp", Exp, 1, math.E}, {"Exp", Exp, -745.1, 5e-324},
		{"Expm1", Expm1, 0, 0}, {"Expm1", Expm1, negZero, negZero}, {"Expm1", Expm1, inf, inf},
		{"Expm1", Expm1, -inf, -1}, {"Expm1", Expm1, -50, -1}, {"Expm1", Expm1, 1e-300, 1e-300},
		{"Tanh", Tanh, 0, 0}, {"Tanh", Tanh, negZero, negZero}, {"Tanh", Tanh, inf, 1}, {"Tanh", Tanh, -inf, -1},
		{"Tanh", Tanh, 30, 1}, {"Tanh", Tanh, -30, -1}, {"Tanh", Tanh, 1e-300, 1e-300},
	} {
		got := c.f(c.x)
		if math.Float64bits(got) != math.Float64bits(c.want) {
			t.Errorf("%s(%v) = %v, want %v", c.name, c.x, got, c.want)
		}
	}
	for _, f := range []func(float64) float64{Exp, Expm1, Tanh} {
		if !math.IsNaN(f(math.NaN())) {
			t.Errorf("NaN in, %v out", f(math.NaN()))
		}
	}
}

// bigLog returns ln x for x > 0 by Newton's method on bigExp from
// math.Log's estimate: each step doubles the correct bits (53 → 256).
func bigLog(x float64) *big.Float {
	bx := new(big.Float).SetPrec(bigPrec).SetFloat64(x)
	z := new(big.Float).SetPrec(bigPrec).SetFloat64(math.Log(x))
	for range 3 {
		zf, _ := z.Float64()
		// z ← z + (x − e^z)/e^z, with e^z at full precision via e^{zf}·e^{z−zf}
		ez := bigExp(zf)
		rest := new(big.Float).SetPrec(bigPrec).Sub(z, new(big.Float).SetFloat64(zf))
		// e^{rest} ≈ 1 + rest + rest²/2 (|rest| < 2^-50, so the error is far below 256 bits)
		r2 := new(big.Float).SetPrec(bigPrec).Mul(rest, rest)
		r2.Quo(r2, big.NewFloat(2))
		f := new(big.Float).SetPrec(bigPrec).Add(big.NewFloat(1).SetPrec(bigPrec), rest)
		f.Add(f, r2)
		ez.Mul(ez, f)
		d := new(big.Float).SetPrec(bigPrec).Sub(bx, ez)
		d.Quo(d, ez)
		z.Add(z, d)
	}
	return z
}

// TestPowAccuracy measures Pow against math/big on NAdam's use
// (0.96^{t·ψ}, ψ = 0.004) and on random bases and exponents, with the
// bound of Exp.
func TestPowAccuracy(t *testing.T) {
	n := 1000
	if testing.Short() {
		n = 200
	}
	r := rand.New(rand.NewPCG(13, 1))
	worst, worstAt := 0.0, [2]float64{}
	for i := range n {
		x, y := 0.96, float64(i+1)*0.004
		if i%2 == 1 {
			x, y = math.Ldexp(0.5+r.Float64(), r.IntN(40)-20), (r.Float64()*2-1)*20
		}
		got := Pow(x, y)
		// x^y = e^{y·ln x}; 256 bits of ln x leave far more than 53 of the result.
		p := new(big.Float).SetPrec(bigPrec).Mul(bigLog(x), new(big.Float).SetFloat64(y))
		pf, _ := p.Float64()
		ex := bigExp(pf)
		rest := new(big.Float).SetPrec(bigPrec).Sub(p, new(big.Float).SetFloat64(pf))
		ex.Mul(ex, rest.Add(rest, big.NewFloat(1).SetPrec(bigPrec)))
		if e := ulpError(got, ex); e > worst {
			worst, worstAt = e, [2]float64{x, y}
		}
	}
	t.Logf("%d arguments: max error %.4f ULP (at %v^%v)", n, worst, worstAt[0], worstAt[1])
	if worst > 0.501 {
		t.Errorf("max error %.4f ULP at %v^%v exceeds 0.501", worst, worstAt[0], worstAt[1])
	}
	for _, c := range [][3]float64{{2, 10, 1024}, {0.5, -3, 8}, {9, 0.5, 3}, {1, 1e300, 1}, {0, 2, 0}, {-2, 2, 4}} {
		if got := Pow(c[0], c[1]); got != c[2] {
			t.Errorf("Pow(%v, %v) = %v, want %v", c[0], c[1], got, c[2])
		}
	}
}
