package stats

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/engine/train"
	"github.com/optbench/optbench/results"
)

// The intervals of issue 14's complaints, before and after. Reference
// values from Python 3.12 (statistics.mean, statistics.stdev, math.log,
// math.exp) with t(0.975; 2) = 0.95/√(2·0.975·0.025) = 4.302652729749462,
// the closed form of the t quantile at 2 degrees of freedom; the
// tolerance of 1e-9 covers the difference from gonum's quantile.
func TestSummarizeIn(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		name             string
		xs               []float64
		r                metric.Range
		oldLow, oldHigh  float64 // Summarize: Student t on the values
		low, high        float64
		method           Interval
		leavesRangeToday bool
	}{
		{"accuracy like quickstart's [0.3584, 1.055]", []float64{0.55, 0.75, 0.82}, metric.Fraction,
			0.35859178197067887, 1.0547415513626546, 0.32486424178513995, 0.931412592634239, LogitT, true},
		{"accuracy like random-adam's [0.351, 1.304]", []float64{0.62, 0.8625, 0.99}, metric.Fraction,
			0.35726055440873383, 1.2910727789245997, 0.05254875479548758, 0.9994505008144786, LogitT, true},
		{"accuracy of exactly 1: t clipped", []float64{0.62, 0.8625, 1}, metric.Fraction,
			0.349545513199226, 1.305454486800774, 0.349545513199226, 1, ClippedT, true},
		{"loss like [-1220, 15353]", []float64{3800, 7000, 10400}, metric.NonNegative,
			-1132.2423011233886, 15265.575634456723, 1848.2669843596793, 22970.93175288618, LogT, true},
		{"loss with a seed that nearly diverged", []float64{0.31, 0.35, 21000}, metric.NonNegative,
			-23117.875816486936, 37118.31581648694, 1.6912222499493345e-06, 102383979.28937334, LogT, true},
		{"unbounded metric: Student t", []float64{1, 2, 3}, metric.Real,
			2 - 2.484138, 2 + 2.484138, 2 - 2.484138, 2 + 2.484138, StudentT, false},
		{"a value outside the declared range: Student t", []float64{-1, 2, 3}, metric.NonNegative,
			nan, nan, -3.837811679208931, 6.504478345875597, StudentT, false},
		{"two seeds: no interval", []float64{0.8, 0.9}, metric.Fraction, nan, nan, nan, nan, NoInterval, false},
		{"one seed: no interval", []float64{0.8}, metric.Fraction, nan, nan, nan, nan, NoInterval, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tol := 1e-9
			if tc.r == metric.Real {
				tol = 1e-6 // TestSummarize's hand-computed half-width, 2.484138
			}
			old := Summarize(tc.xs, 0.95)
			if !math.IsNaN(tc.oldLow) && (!scalar.EqualWithinAbsOrRel(old.Low, tc.oldLow, tol, tol) || !scalar.EqualWithinAbsOrRel(old.High, tc.oldHigh, tol, tol)) {
				t.Errorf("Summarize: [%v, %v], want [%v, %v]", old.Low, old.High, tc.oldLow, tc.oldHigh)
			}
			if tc.leavesRangeToday && old.Low >= 0 && (tc.r != metric.Fraction || old.High <= 1) {
				t.Errorf("Summarize: [%v, %v] is inside %v: the case does not reproduce the complaint", old.Low, old.High, tc.r)
			}
			s := SummarizeIn(tc.xs, 0.95, tc.r)
			if s.Interval != tc.method {
				t.Errorf("method %v, want %v", s.Interval, tc.method)
			}
			if !sameFloat(s.Mean, old.Mean) || !sameFloat(s.SD, old.SD) || s.N != old.N {
				t.Errorf("mean, sd, n = %v, %v, %d; want Summarize's %v, %v, %d", s.Mean, s.SD, s.N, old.Mean, old.SD, old.N)
			}
			if math.IsNaN(tc.low) {
				if !math.IsNaN(s.Low) || !math.IsNaN(s.High) {
					t.Errorf("interval [%v, %v], want none", s.Low, s.High)
				}
				return
			}
			if !scalar.EqualWithinAbsOrRel(s.Low, tc.low, tol, tol) || !scalar.EqualWithinAbsOrRel(s.High, tc.high, tol, tol) {
				t.Errorf("interval [%v, %v], want [%v, %v]", s.Low, s.High, tc.low, tc.high)
			}
			switch {
			case tc.r == metric.Fraction && !(s.Low >= 0 && s.High <= 1),
				tc.r == metric.NonNegative && tc.method != StudentT && !(s.Low >= 0):
				t.Errorf("interval [%v, %v] leaves %v", s.Low, s.High, tc.r)
			}
		})
	}
}

// withMetric renames trial's metric "m" to name.
func withMetric(rec results.TrialRecord, name string) results.TrialRecord {
	rec.Final = map[string]float64{name: rec.Final["m"]}
	return rec
}

func TestGroupUsesTheMetricsRange(t *testing.T) {
	p := engine.Params{"optimizer": "adam", "lr": 0.01}
	var trials []results.TrialRecord
	for seed, v := range []float64{0.55, 0.75, 0.82} {
		rec := withMetric(trial("adam", p, uint64(seed), train.Completed, v), "val_accuracy")
		rec.Final["val_loss"] = 1 - v
		trials = append(trials, rec)
	}
	acc := Group(trials, "val_accuracy", 0.95)[0].Metric
	if acc.Interval != LogitT || !(acc.High <= 1) {
		t.Errorf("val_accuracy: %v [%v, %v], want a logit interval inside [0, 1]", acc.Interval, acc.Low, acc.High)
	}
	loss := Group(trials, "val_loss", 0.95)[0].Metric
	if loss.Interval != LogT || !(loss.Low >= 0) {
		t.Errorf("val_loss: %v [%v, %v], want a log interval inside [0, ∞)", loss.Interval, loss.Low, loss.High)
	}
}

// configsOf builds one configuration per name from its seeds' values; NaN
// stands for a diverged seed.
func configsOf(values map[string][]float64) []*Config {
	var trials []results.TrialRecord
	for name, vs := range values {
		for seed, v := range vs {
			st := train.Completed
			if math.IsNaN(v) {
				st = train.Diverged
			}
			trials = append(trials, withMetric(trial(name, engine.Params{"optimizer": name}, uint64(seed), st, v), "val_accuracy"))
		}
	}
	return Group(trials, "val_accuracy", 0.95)
}

func TestRankPutsLostSeedsBelow(t *testing.T) {
	nan := math.NaN()
	cs := configsOf(map[string][]float64{
		"survivor": {0.99, nan, nan}, // 1 of 3 seeds survived, with the best value
		"half":     {0.98, 0.97, nan},
		"steady":   {0.95, 0.95, 0.96},
		"slow":     {0.90, 0.91, 0.92},
		"gone":     {nan, nan},
	})
	var got []string
	for _, c := range Rank(cs, Maximize) {
		got = append(got, c.Optimizer)
	}
	want := []string{"steady", "slow", "half", "survivor", "gone"}
	if !equalStrings(got, want) {
		t.Errorf("rank %v, want %v", got, want)
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestStandings(t *testing.T) {
	nan := math.NaN()
	cs := configsOf(map[string][]float64{
		"adam":     {0.9667, 0.9633, 0.9700}, // the quickstart's tie: 0.9667 ± 0.0033
		"rmsprop":  {0.9633, 0.9667, 0.9695},
		"momentum": {0.90, 0.91, 0.92}, // clearly worse
		"noisy":    {0.80, 0.99, 0.85}, // worse mean, but too noisy to tell: moves up beside the best
		"single":   {0.95},             // one seed: not tested, keeps its place
		"lost":     {0.99, 0.99, nan},  // a lost seed: never tied with a best that lost none
		"none":     {nan},
	})
	ranked, st := Standings(Rank(cs, Maximize), CompareOptions{Goal: Maximize})
	type row struct {
		name  string
		place int
		tied  bool
	}
	want := []row{{"adam", 1, false}, {"rmsprop", 1, true}, {"noisy", 1, true}, {"single", 4, false}, {"momentum", 5, false}, {"lost", 6, false}, {"none", 0, false}}
	if len(ranked) != len(want) {
		t.Fatalf("%d configurations, want %d", len(ranked), len(want))
	}
	for i, w := range want {
		if ranked[i].Optimizer != w.name || st[i].Place != w.place || st[i].Tied != w.tied {
			t.Errorf("%d: %s place %d tied %v, want %s place %d tied %v", i, ranked[i].Optimizer, st[i].Place, st[i].Tied, w.name, w.place, w.tied)
		}
	}
	// Welch's p of rmsprop against adam, from scipy.stats.ttest_ind(equal_var=False)
	// semantics (WelchTTest is tested against scipy): well above 0.05.
	if !(st[1].P > 0.05) || !math.IsNaN(st[0].P) || !math.IsNaN(st[3].P) {
		t.Errorf("p-values %v, %v, %v: want NaN, > 0.05, NaN", st[0].P, st[1].P, st[3].P)
	}
}
