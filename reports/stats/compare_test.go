package stats

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

// jsonFloat reads a JSON number, or one of the strings "NaN", "Infinity"
// and "-Infinity" that compare_vectors.py writes for non-finite values.
type jsonFloat float64

func (f *jsonFloat) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		switch s {
		case "NaN":
			*f = jsonFloat(math.NaN())
		case "Infinity":
			*f = jsonFloat(math.Inf(1))
		case "-Infinity":
			*f = jsonFloat(math.Inf(-1))
		default:
			return fmt.Errorf("stats: not a number: %q", s)
		}
		return nil
	}
	var x float64
	if err := json.Unmarshal(b, &x); err != nil {
		return err
	}
	*f = jsonFloat(x)
	return nil
}

type compareVectors struct {
	Scipy, Numpy string
	Cases        []struct {
		Name  string
		A, B  []float64
		Welch *struct{ T, DF, P jsonFloat }
		MWU   struct {
			U, P   jsonFloat
			Method string
		}
	}
}

func readCompareVectors(t *testing.T) compareVectors {
	t.Helper()
	data, err := os.ReadFile("testdata/compare_vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v compareVectors
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("compare_vectors.json: %v", err)
	}
	if len(v.Cases) < 30 {
		t.Fatalf("compare_vectors.json has %d cases, want at least 30", len(v.Cases))
	}
	return v
}

// scipyTol is the agreement asked of the scipy vectors, absolute or
// relative: both sides compute in float64, but numpy sums pairwise where
// gonum sums in order, and Student t and normal tails come from cephes'
// stdtr and ndtr in scipy, from gonum's port of cephes' incomplete beta and
// Go's math.Erfc here. Those differ by rounding only (the worst case
// observed is 2e-14), far inside 1e-9; the absolute bound serves values that cancel to about 0, such as
// t of two samples with equal means.
const scipyTol = 1e-9

// sameFloat reports whether got and want agree within scipyTol, NaN
// agreeing with NaN and an infinity with the same infinity.
func sameFloat(got, want float64) bool {
	switch {
	case math.IsNaN(want) || math.IsNaN(got):
		return math.IsNaN(want) && math.IsNaN(got)
	case math.IsInf(want, 0) || math.IsInf(got, 0):
		return got == want
	}
	return scalar.EqualWithinAbsOrRel(got, want, scipyTol, scipyTol)
}

// Values from scipy.stats.ttest_ind(a, b, equal_var=False); the versions
// are recorded in testdata/compare_vectors.json.
func TestWelchTTestScipy(t *testing.T) {
	v := readCompareVectors(t)
	t.Logf("vectors from scipy %s, numpy %s", v.Scipy, v.Numpy)
	for _, tc := range v.Cases {
		t.Run(tc.Name, func(t *testing.T) {
			wantT, wantDF, wantP := math.NaN(), math.NaN(), math.NaN()
			if tc.Welch != nil {
				wantT, wantDF, wantP = float64(tc.Welch.T), float64(tc.Welch.DF), float64(tc.Welch.P)
			}
			if tc.Name == "constant equal" {
				// The documented departure: scipy's 0/0 is NaN, ours
				// is no difference.
				if !math.IsNaN(wantT) || !math.IsNaN(wantP) {
					t.Fatalf("scipy now gives t = %v, p = %v for equal constants: revisit WelchTTest's doc", wantT, wantP)
				}
				wantT, wantP = 0, 1
			}
			gotT, gotDF, gotP := WelchTTest(tc.A, tc.B)
			if !sameFloat(gotT, wantT) || !sameFloat(gotDF, wantDF) || !sameFloat(gotP, wantP) {
				t.Errorf("WelchTTest = (t %v, df %v, p %v), want (t %v, df %v, p %v)", gotT, gotDF, gotP, wantT, wantDF, wantP)
			}
		})
	}
}

// Values from scipy.stats.mannwhitneyu(a, b, alternative='two-sided'); the
// versions are recorded in testdata/compare_vectors.json.
func TestMannWhitneyUScipy(t *testing.T) {
	v := readCompareVectors(t)
	for _, tc := range v.Cases {
		t.Run(tc.Name, func(t *testing.T) {
			u, p, exact := mannWhitneyU(tc.A, tc.B)
			if !sameFloat(u, float64(tc.MWU.U)) || !sameFloat(p, float64(tc.MWU.P)) {
				t.Errorf("MannWhitneyU = (U %v, p %v), want (U %v, p %v)", u, p, tc.MWU.U, tc.MWU.P)
			}
			if want := tc.MWU.Method == "exact"; exact != want {
				t.Errorf("exact = %v, scipy's method='auto' chose %q", exact, tc.MWU.Method)
			}
			if pu, pp := MannWhitneyU(tc.A, tc.B); pu != u || pp != p {
				t.Errorf("MannWhitneyU = (%v, %v), mannWhitneyU = (%v, %v)", pu, pp, u, p)
			}
		})
	}
}

// The exact tail against a count of every split of {0, …, m+n−1} into m
// and n values: exact in integers, so the tolerance is float64 rounding of
// a sum of at most C(14, 7) = 3432 terms.
func TestMannWhitneyUpperTail(t *testing.T) {
	for _, tc := range []struct{ m, n int }{{1, 1}, {1, 5}, {2, 3}, {3, 3}, {4, 2}, {5, 7}, {7, 7}} {
		t.Run(fmt.Sprintf("%dv%d", tc.m, tc.n), func(t *testing.T) {
			counts := make([]int, tc.m*tc.n+1)
			total := 0
			// Each m-subset of positions is one ordering; U counts the
			// pairs (x from the m-sample, y from the other) with x > y.
			for mask := 0; mask < 1<<(tc.m+tc.n); mask++ {
				if popcount(mask) != tc.m {
					continue
				}
				u, below := 0, 0
				for pos := 0; pos < tc.m+tc.n; pos++ {
					if mask>>pos&1 == 1 {
						u += below
					} else {
						below++
					}
				}
				counts[u]++
				total++
			}
			for k := -1; k <= tc.m*tc.n+1; k++ {
				tail := 0
				for kk := max(k, 0); kk < len(counts); kk++ {
					tail += counts[kk]
				}
				want := float64(tail) / float64(total)
				if got := mannWhitneyUpperTail(k, tc.m, tc.n); !scalar.EqualWithinAbsOrRel(got, want, 1e-12, 1e-12) {
					t.Errorf("P(U ≥ %d) = %v, want %d/%d = %v", k, got, tail, total, want)
				}
			}
		})
	}
}

func popcount(x int) int {
	n := 0
	for ; x != 0; x &= x - 1 {
		n++
	}
	return n
}

func TestWelchTTestDegenerate(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, tc := range []struct {
		name     string
		a, b     []float64
		t, df, p float64
	}{
		{"empty", nil, []float64{1, 2}, nan, nan, nan},
		{"one value", []float64{1}, []float64{1, 2}, nan, nan, nan},
		{"equal constants", []float64{0.1, 0.1, 0.1}, []float64{0.1, 0.1}, 0, 1, 1},
		{"higher constant", []float64{0.3, 0.3, 0.3}, []float64{0.1, 0.1}, inf, 1, 0},
		{"lower constant", []float64{0.1, 0.1}, []float64{0.3, 0.3, 0.3}, -inf, 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			gotT, gotDF, gotP := WelchTTest(tc.a, tc.b)
			// Exact by construction: no arithmetic reaches these.
			if !sameFloat(gotT, tc.t) || !sameFloat(gotDF, tc.df) || !sameFloat(gotP, tc.p) {
				t.Errorf("WelchTTest = (%v, %v, %v), want (%v, %v, %v)", gotT, gotDF, gotP, tc.t, tc.df, tc.p)
			}
		})
	}
}

func TestMannWhitneyUEmpty(t *testing.T) {
	if u, p := MannWhitneyU(nil, []float64{1}); !math.IsNaN(u) || !math.IsNaN(p) {
		t.Errorf("MannWhitneyU(nil, [1]) = (%v, %v), want NaN", u, p)
	}
}

// Known distributions: the acceptance cases. The expected p-values
// are scipy 1.10.1's ttest_ind(base, cand, equal_var=False) or
// mannwhitneyu(base, cand), or exact fractions, within scipyTol.
func TestCompare(t *testing.T) {
	nan := math.NaN()
	accuracy := []float64{0.912, 0.918, 0.915, 0.921, 0.909, 0.917}
	lower := []float64{0.880, 0.887, 0.884, 0.879, 0.889, 0.882} // about 3.5% lower
	loss := []float64{0.412, 0.405, 0.420, 0.398, 0.415}
	steady := []float64{1.000, 1.001, 0.999, 1.0005, 0.9995} // sd 0.0008: a 0.5% shift is significant
	for _, tc := range []struct {
		name       string
		base, cand []float64
		opt        CompareOptions
		verdict    Verdict
		p          float64 // NaN: no test runs
		change     int     // sign of Change; 2 means NaN
		warnings   []string
	}{
		{"identical", accuracy, slices.Clone(accuracy), CompareOptions{Goal: Maximize}, NoChange, 1, 0, nil},
		{"identical constants", []float64{1, 1, 1}, []float64{1, 1, 1}, CompareOptions{}, NoChange, 1, 0, nil},
		{"accuracy lower, maximize", accuracy, lower, CompareOptions{Goal: Maximize}, Regressed, 1.1726294876426153e-07, -1, nil},
		{"accuracy higher, maximize", lower, accuracy, CompareOptions{Goal: Maximize}, Improved, 1.1726294876426153e-07, 1, nil},
		{"loss lower, minimize", loss, scale(loss, 0.9), CompareOptions{}, Improved, 5.103309869463798e-05, -1, nil},
		{"loss higher, minimize", loss, scale(loss, 1.1), CompareOptions{Goal: Minimize}, Regressed, 0.00010200827119181707, 1, nil},
		{"negative base, higher is better", scale(loss, -1), scale(loss, -0.9), CompareOptions{Goal: Maximize}, Improved, 5.103309869463798e-05, 1, nil},
		{"significant but below MinChange", steady, shift(steady, 0.005), CompareOptions{}, NoChange, 8.488181527624288e-06, 1, nil},
		{"below MinChange counts when MinChange < 0", []float64{1.000, 1.001, 0.999}, []float64{1.003, 1.004, 1.002}, CompareOptions{MinChange: -1}, Regressed, 0.02131164112875736, 1, nil},
		{"constants differ", []float64{2, 2, 2}, []float64{3, 3, 3}, CompareOptions{}, Regressed, 0, 1, nil},
		{"one seed", []float64{0.9}, accuracy, CompareOptions{Goal: Maximize}, NoChange, nan, 1,
			[]string{"too few samples for a test: base has 1, candidate has 6; need >= 2 on each side"}},
		{"no seeds", accuracy, nil, CompareOptions{}, NoChange, nan, 2,
			[]string{"too few samples for a test: base has 6, candidate has 0; need >= 2 on each side"}},
		{"non-finite dropped", append([]float64{nan, math.Inf(1)}, accuracy...), append(slices.Clone(lower), math.Inf(-1)), CompareOptions{Goal: Maximize}, Regressed, 1.1726294876426153e-07, -1,
			[]string{"base: dropped 2 non-finite values (NaN or ±Inf)", "candidate: dropped 1 non-finite value (NaN or ±Inf)"}},
		// 3 and 3 seeds: the most extreme ranking gives p = 2/C(6, 3) = 0.1.
		{"mann-whitney, three seeds", accuracy[:3], lower[:3], CompareOptions{Test: MannWhitney, Goal: Maximize}, NoChange, 0.1, -1,
			[]string{"need >= 4 samples to detect a difference at alpha level 0.05: with 3 and 3 the smallest possible p is 0.1"}},
		// 6 and 6: p = 2/C(12, 6) = 2/924.
		{"mann-whitney, six seeds", accuracy, lower, CompareOptions{Test: MannWhitney, Goal: Maximize}, Regressed, 2.0 / 924, -1, nil},
		{"mann-whitney, ties", []float64{1, 2, 2, 3}, []float64{2, 3, 3, 4}, CompareOptions{Test: MannWhitney}, NoChange, 0.1720337089218229, 1,
			[]string{"ties among the values: p is the normal approximation, not the exact distribution"}},
		{"base mean 0", []float64{-0.01, 0, 0.01}, []float64{0.5, 0.51, 0.49}, CompareOptions{}, Regressed, 4.259092087164708e-07, 2,
			[]string{"base mean is 0: the relative change is undefined; the verdict rests on p and the sign of the difference"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := Compare(tc.base, tc.cand, tc.opt)
			if c.Verdict != tc.verdict {
				t.Errorf("Verdict = %v, want %v (p %v, change %v)", c.Verdict, tc.verdict, c.P, c.Change)
			}
			if !sameFloat(c.P, tc.p) {
				t.Errorf("P = %v, want %v", c.P, tc.p)
			}
			switch {
			case tc.change == 2 && !math.IsNaN(c.Change),
				tc.change != 2 && (math.IsNaN(c.Change) || sign(c.Change) != tc.change):
				t.Errorf("Change = %v, want sign %d (2: NaN)", c.Change, tc.change)
			}
			if !math.IsNaN(c.Change) && !math.IsNaN(c.ChangeLow) && !(c.ChangeLow <= c.Change && c.Change <= c.ChangeHigh) {
				t.Errorf("Change %v outside its interval [%v, %v]", c.Change, c.ChangeLow, c.ChangeHigh)
			}
			if !slices.Equal(c.Warnings, tc.warnings) {
				t.Errorf("Warnings:\n%s\nwant:\n%s", strings.Join(c.Warnings, "\n"), strings.Join(tc.warnings, "\n"))
			}
			if c.Alpha != DefaultAlpha || c.Level != DefaultLevel || c.Test != tc.opt.Test {
				t.Errorf("Alpha %v, Level %v, Test %v: want the defaults and %v", c.Alpha, c.Level, c.Test, tc.opt.Test)
			}
		})
	}
}

// The change and its interval, by hand: base {1, 2, 3} (mean 2, variance
// 1), candidate {2, 3, 4, 5} (mean 3.5, variance 5/3). Welch df =
// (1/3 + 5/12)² / ((1/3)²/2 + (5/12)²/3) = 0.5625/0.113426 = 4.959184, and
// t(0.975; 4.959184) = 2.576958 (scipy 1.10.1's stats.t.ppf, to 6
// decimals), so the half-width is 2.576958 · √0.75 = 2.231711 and, over
// |mean(base)| = 2, Change = 0.75 ± 1.115856. Hence the tolerance of 1e-6.
func TestCompareInterval(t *testing.T) {
	c := Compare([]float64{1, 2, 3}, []float64{2, 3, 4, 5}, CompareOptions{})
	for _, v := range []struct {
		what      string
		got, want float64
	}{
		{"Change", c.Change, 0.75},
		{"ChangeLow", c.ChangeLow, 0.75 - 1.115856},
		{"ChangeHigh", c.ChangeHigh, 0.75 + 1.115856},
		{"Base.Mean", c.Base.Mean, 2},
		{"Candidate.Mean", c.Candidate.Mean, 3.5},
	} {
		if !scalar.EqualWithinAbsOrRel(v.got, v.want, 1e-6, 1e-6) {
			t.Errorf("%s = %v, want %v", v.what, v.got, v.want)
		}
	}
	if c.Base.N != 3 || c.Candidate.N != 4 {
		t.Errorf("N = %d, %d, want 3, 4", c.Base.N, c.Candidate.N)
	}
}

// Welch's interval excludes 0 exactly when Welch's p is below 1 − Level,
// the consistency the doc of ChangeLow promises.
func TestCompareIntervalMatchesP(t *testing.T) {
	v := readCompareVectors(t)
	for _, tc := range v.Cases {
		c := Compare(tc.A, tc.B, CompareOptions{})
		if math.IsNaN(c.ChangeLow) || math.IsNaN(c.P) || c.ChangeLow == c.ChangeHigh {
			continue
		}
		// Skip p within rounding of 0.05, where either answer is right.
		if math.Abs(c.P-0.05) < 1e-9 {
			continue
		}
		if excludes := c.ChangeLow > 0 || c.ChangeHigh < 0; excludes != (c.P < 0.05) {
			t.Errorf("%s: interval [%v, %v], p %v", tc.Name, c.ChangeLow, c.ChangeHigh, c.P)
		}
	}
}

func TestMannWhitneyNeed(t *testing.T) {
	// 2/C(2n, n): 0.333, 0.1, 0.0286 for n = 2, 3, 4; 0.00794 for n = 5.
	for _, tc := range []struct {
		alpha float64
		want  int
	}{{0.5, 2}, {0.1, 4}, {0.05, 4}, {0.01, 5}} {
		if got := mannWhitneyNeed(tc.alpha); got != tc.want {
			t.Errorf("mannWhitneyNeed(%v) = %d, want %d", tc.alpha, got, tc.want)
		}
	}
}

func TestParseTest(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Test
		ok   bool
	}{{"welch", Welch, true}, {" T-Test ", Welch, true}, {"mwu", MannWhitney, true}, {"Mann-Whitney", MannWhitney, true}, {"wilcoxon", Welch, false}} {
		got, ok := ParseTest(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseTest(%q) = %v, %v, want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
		if ok {
			if back, _ := ParseTest(got.String()); back != got {
				t.Errorf("ParseTest(%q) does not read back %v", got.String(), got)
			}
		}
	}
}

func scale(xs []float64, f float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = x * f
	}
	return out
}

func shift(xs []float64, d float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = x + d
	}
	return out
}

func sign(x float64) int {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}
