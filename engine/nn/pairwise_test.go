package nn

import (
	"math"
	"strconv"
	"testing"

	"github.com/optbench/optbench/engine/internal/testvec"
	"github.com/optbench/optbench/engine/rng"
)

// numpyVector rebuilds a vector of testdata/numpy_sums.py from its seed:
// engine/rng's uniforms are numpy's bit for bit, and the scaling is exact.
func numpyVector(seed uint32, n int) []float64 {
	r := rng.New(seed)
	u := make([]float64, n)
	for i := range u {
		u[i] = r.Float64()
	}
	x := make([]float64, n)
	for i := range x {
		x[i] = math.Ldexp(u[i]-0.5, int(math.Floor(40*r.Float64()))-20)
	}
	return x
}

func TestPairwiseSumMatchesNumpy(t *testing.T) {
	// Bit for bit: every value comes from numpy (version in the file).
	var vec struct {
		Numpy string
		Cases []struct {
			Seed uint32
			N    int
			Sum  string
		}
		LN2Mean300     string `json:"ln2_mean_300"`
		LN2Mean300Repr string `json:"ln2_mean_300_repr"`
	}
	testvec.Load(t, "testdata/numpy_sums.json", &vec)
	if len(vec.Cases) == 0 {
		t.Fatal("no cases")
	}
	for _, c := range vec.Cases {
		t.Run(strconv.Itoa(c.N), func(t *testing.T) {
			want := testvec.HexFloats(t, []string{c.Sum})[0]
			got := PairwiseSum(numpyVector(c.Seed, c.N))
			if math.Float64bits(got) != math.Float64bits(want) {
				t.Errorf("PairwiseSum of %d values (seed %d) = %x, numpy %s gives %x", c.N, c.Seed, got, vec.Numpy, want)
			}
		})
	}
	t.Run("ln2", func(t *testing.T) {
		// The example: numpy prints 0.6931471805599453 where a
		// left-to-right sum gives 0.6931471805599467.
		xs := make([]float64, 300)
		for i := range xs {
			xs[i] = math.Ln2
		}
		got := PairwiseSum(xs) / 300
		if s := strconv.FormatFloat(got, 'g', -1, 64); s != vec.LN2Mean300Repr || s != "0.6931471805599453" {
			t.Errorf("mean of 300 × ln 2 = %s, numpy prints %s", s, vec.LN2Mean300Repr)
		}
		left := 0.0
		for _, v := range xs {
			left += v
		}
		if s := strconv.FormatFloat(left/300, 'g', -1, 64); s != "0.6931471805599467" {
			t.Errorf("left-to-right mean = %s, the issue reports 0.6931471805599467", s)
		}
	})
	t.Run("negative zero", func(t *testing.T) {
		// np.sum(np.array([-0.0])) is 0.0: the total starts at +0.
		if got := PairwiseSum([]float64{math.Copysign(0, -1)}); math.Signbit(got) {
			t.Errorf("PairwiseSum([-0]) = %v, numpy gives 0.0", got)
		}
	})
}

func BenchmarkPairwiseSum(b *testing.B) {
	xs := numpyVector(1, 10000)
	b.ReportAllocs()
	for b.Loop() {
		PairwiseSum(xs)
	}
}
