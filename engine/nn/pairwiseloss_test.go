package nn

import (
	"math"
	"strconv"
	"testing"

	"github.com/optbench/optbench/engine/rng"
)

// TestPairwiseLoss: Config.PairwiseLoss sums a batch's loss terms in
// numpy's order. A zero-initialized [2,3,1] network predicts 0.5 for every
// example, so each term is ln 2; over 300 examples np.nansum(terms)/300 is
// 0.6931471805599453 in numpy (testdata/numpy_sums.json, ln2_mean_300),
// and a left-to-right sum gives 0.6931471805599467. For the other losses
// the pairwise Loss is PairwiseSum of the terms lossSum adds.
func TestPairwiseLoss(t *testing.T) {
	const m = 300
	x := make([]float64, 2*m)
	y := make([]float64, m)
	r := rng.New(5)
	for i := range x {
		x[i] = r.NormFloat64()
	}
	for i := range y {
		y[i] = float64(i % 2)
	}
	for _, tt := range []struct {
		pairwise bool
		raw      bool
		want     string
	}{
		{false, false, "0.6931471805599467"},
		{true, false, "0.6931471805599453"},
		{true, true, "0.6931471805599453"},
	} {
		net, err := New(Config{Layers: []int{2, 3, 1}, Init: Zeros, PairwiseLoss: tt.pairwise, RawLog: tt.raw}, rng.New(1))
		if err != nil {
			t.Fatal(err)
		}
		net.Forward(x, m, false, nil)
		if got := strconv.FormatFloat(net.Loss(y)/m, 'g', -1, 64); got != tt.want {
			t.Errorf("pairwise %v, raw log %v: cost %s, want %s", tt.pairwise, tt.raw, got, tt.want)
		}
		if allocs := testing.AllocsPerRun(10, func() { net.Loss(y) }); allocs != 0 {
			t.Errorf("Loss allocates %v times per call", allocs)
		}
	}

	// Softmax cross-entropy and squared error on random outputs: the
	// pairwise sum of the same terms, and within rounding of left to right.
	for _, tt := range []struct {
		loss Loss
		act  string
	}{{SoftmaxCrossEntropy, "softmax"}, {MeanSquaredError, "identity"}} {
		cfg := Config{Layers: []int{2, 4, 3}, Loss: tt.loss}
		if tt.act == "softmax" {
			cfg.Output = Softmax
		}
		seq, err := New(cfg, rng.New(2))
		if err != nil {
			t.Fatal(err)
		}
		cfg.PairwiseLoss = true
		pw, _ := New(cfg, rng.New(2))
		yk := make([]float64, 3*m)
		for i := range m {
			yk[(i%3)*m+i] = 1
		}
		seq.Forward(x, m, false, nil)
		pw.Forward(x, m, false, nil)
		terms := make([]float64, 3*m)
		lossTerms(terms, tt.loss, pw.Output(), yk, false, nil)
		want := PairwiseSum(terms)
		if tt.loss == MeanSquaredError {
			want /= 3
		}
		if got := pw.Loss(yk); math.Float64bits(got) != math.Float64bits(want) {
			t.Errorf("%v: pairwise loss %v, want %v", tt.loss, got, want)
		}
		if s, p := seq.Loss(yk), pw.Loss(yk); math.Abs(s-p) > 1e-12*math.Abs(s) || s == 0 {
			t.Errorf("%v: pairwise %v and sequential %v disagree", tt.loss, p, s)
		}
	}
}

// TestLossSumBinary: with targets 0 and 1, lossSum's one-logarithm path
// gives the bits of every term computed as written (lossSumAll), raw and
// clamped, on outputs spread over [0, 1] with exact 0s and 1s, tiny and
// nearly-1 values; and where a target is fractional or (clamped) an output
// leaves [0, 1] it is not taken.
func TestLossSumBinary(t *testing.T) {
	r := rng.New(7)
	special := []float64{0, 1, 0.5, 1e-300, 5e-324, 1 - 1e-16, 0x1.fffffffffffffp-1, 1e-17, 0.25}
	for trial := 0; trial < 2000; trial++ {
		n := 1 + trial%70
		a, y := make([]float64, n), make([]float64, n)
		for i := range a {
			switch r.Interval(3) {
			case 0:
				a[i] = special[r.Interval(uint64(len(special)-1))]
			case 1:
				a[i] = math.Exp(-40 * r.Float64())
			default:
				a[i] = r.Float64()
			}
			y[i] = float64(r.Interval(1))
		}
		for _, raw := range []bool{false, true} {
			got := lossSum(BinaryCrossEntropy, a, y, 1, raw, nil)
			want := lossSumAll(BinaryCrossEntropy, a, y, 1, raw, nil)
			if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
				t.Fatalf("raw %v, a = %v, y = %v: %v, every term gives %v", raw, a, y, got, want)
			}
		}
	}
	if _, ok := lossSumBinary([]float64{0.3}, []float64{0.5}, true, nil); ok {
		t.Error("a fractional target took the one-logarithm path")
	}
	if _, ok := lossSumBinary([]float64{1.5}, []float64{1}, false, nil); ok {
		t.Error("a clamped loss of an output above 1 took the one-logarithm path")
	}
	if _, ok := lossSumBinary([]float64{math.NaN()}, []float64{1}, false, nil); ok {
		t.Error("a clamped loss of a NaN output took the one-logarithm path")
	}
	if got, _ := lossSumBinary([]float64{1.5}, []float64{1}, true, nil); got != lossSumAll(BinaryCrossEntropy, []float64{1.5}, []float64{1}, 1, true, nil) {
		t.Error("raw loss of an output above 1 differs")
	}
}
