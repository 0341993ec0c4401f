package stats

import (
	"math"
	"slices"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/train"
	"github.com/optbench/optbench/results"
)

// Student t critical values t(0.975; df) from a published t table (three
// decimals, e.g. NIST/SEMATECH e-Handbook, Table 1.3.6.7.2), hence the
// tolerance of 5e-4.
func TestTQuantile(t *testing.T) {
	for _, tc := range []struct {
		df   int
		want float64
	}{{1, 12.706}, {2, 4.303}, {4, 2.776}, {9, 2.262}, {10, 2.228}, {30, 2.042}, {100, 1.984}, {200, 1.972}} {
		if got := TQuantile(0.975, tc.df); !scalar.EqualWithinAbs(got, tc.want, 5e-4) {
			t.Errorf("TQuantile(0.975, %d) = %v, want %v", tc.df, got, tc.want)
		}
	}
	if got := TQuantile(0.975, 0); !math.IsNaN(got) {
		t.Errorf("TQuantile(0.975, 0) = %v, want NaN", got)
	}
	// The cache must agree with distuv everywhere it answers.
	for df := 1; df < t975Size+3; df++ {
		if a, b := TQuantile(0.975, df), TQuantile(0.97500000001, df); !scalar.EqualWithinAbsOrRel(a, b, 1e-6, 1e-6) {
			t.Errorf("df %d: cached %v, computed %v", df, a, b)
		}
	}
}

func TestSummarize(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		name                string
		xs                  []float64
		level               float64
		n                   int
		mean, sd, low, high float64
	}{
		// mean 2, sd 1, half-width t(0.975; 2)·1/√3 = 4.302653/1.732051 = 2.484138
		{"three", []float64{1, 2, 3}, 0.95, 3, 2, 1, 2 - 2.484138, 2 + 2.484138},
		// the same with a non-finite value among them, and the default level
		{"skips non-finite", []float64{1, nan, 2, math.Inf(1), 3}, 0, 3, 2, 1, 2 - 2.484138, 2 + 2.484138},
		// 90%: t(0.95; 2) = 2.919986, half-width 1.685854
		{"level 0.9", []float64{1, 2, 3}, 0.9, 3, 2, 1, 2 - 1.685854, 2 + 1.685854},
		{"one seed", []float64{0.5}, 0.95, 1, 0.5, nan, nan, nan},
		{"none", nil, 0.95, 0, nan, nan, nan, nan},
		{"all NaN", []float64{nan, nan}, 0.95, 0, nan, nan, nan, nan},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := Summarize(tc.xs, tc.level)
			if s.N != tc.n {
				t.Errorf("N = %d, want %d", s.N, tc.n)
			}
			// Hand-computed to 6 decimals.
			for _, c := range []struct {
				what      string
				got, want float64
			}{{"mean", s.Mean, tc.mean}, {"sd", s.SD, tc.sd}, {"low", s.Low, tc.low}, {"high", s.High, tc.high}} {
				if math.IsNaN(c.want) != math.IsNaN(c.got) || (!math.IsNaN(c.want) && !scalar.EqualWithinAbsOrRel(c.got, c.want, 1e-6, 1e-6)) {
					t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
				}
			}
		})
	}
}

func TestEWMA(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		name string
		xs   []float64
		beta float64
		want []float64
	}{
		// v = 0.5, 1.25, 2.125; corrections 0.5, 0.75, 0.875 (by hand)
		{"bias corrected", []float64{1, 2, 3}, 0.5, []float64{1, 1.25 / 0.75, 2.125 / 0.875}},
		// a constant series stays constant: the point of the correction
		{"constant", []float64{4, 4, 4, 4}, 0.9, []float64{4, 4, 4, 4}},
		{"NaN skipped", []float64{1, nan, 2}, 0.5, []float64{1, nan, 1.25 / 0.75}},
		{"beta 0 copies", []float64{1, 5}, 0, []float64{1, 5}},
		{"beta 1 copies", []float64{1, 5}, 1, []float64{1, 5}},
		{"empty", nil, 0.9, []float64{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := EWMA(nil, tc.xs, tc.beta)
			if len(got) != len(tc.want) {
				t.Fatalf("len = %d, want %d", len(got), len(tc.want))
			}
			for i := range got {
				if math.IsNaN(tc.want[i]) != math.IsNaN(got[i]) || (!math.IsNaN(got[i]) && !scalar.EqualWithinAbsOrRel(got[i], tc.want[i], 1e-12, 1e-12)) {
					t.Errorf("[%d] = %v, want %v", i, got[i], tc.want[i])
				}
			}
		})
	}
	// In place, destination first.
	xs := []float64{1, 2, 3}
	EWMA(xs, xs, 0.5)
	if !scalar.EqualWithinAbsOrRel(xs[2], 2.125/0.875, 1e-12, 1e-12) {
		t.Errorf("in place: %v", xs)
	}
}

func TestPerEpochAndFirstReach(t *testing.T) {
	nan := math.NaN()
	sums := PerEpoch([][]float64{{1, 2, 3}, {3, nan}, {2}}, 0.95)
	if len(sums) != 3 {
		t.Fatalf("len = %d, want 3", len(sums))
	}
	for i, want := range []struct {
		n    int
		mean float64
	}{{3, 2}, {1, 2}, {1, 3}} {
		if sums[i].N != want.n || sums[i].Mean != want.mean {
			t.Errorf("epoch %d: N %d mean %v, want %d %v", i, sums[i].N, sums[i].Mean, want.n, want.mean)
		}
	}
	curve := []float64{0.5, nan, 0.7, 0.9, 0.8}
	for _, tc := range []struct {
		target float64
		goal   Goal
		want   int
	}{{0.7, Maximize, 2}, {0.95, Maximize, -1}, {0.5, Minimize, 0}, {0.4, Minimize, -1}} {
		if got := FirstReach(curve, tc.target, tc.goal); got != tc.want {
			t.Errorf("FirstReach(%v, %v) = %d, want %d", tc.target, tc.goal, got, tc.want)
		}
	}
}

func trial(opt string, p engine.Params, seed uint64, st train.Status, v float64) results.TrialRecord {
	tr := engine.Trial{Experiment: "e", Params: p, Seed: seed}
	return results.TrialRecord{Key: tr.Key(), Experiment: "e", Optimizer: opt, Params: p, Seed: seed, Status: st,
		WallSeconds: 1, Final: map[string]float64{"m": v}}
}

func TestGroupRankSlice(t *testing.T) {
	p := func(opt string, lr, b1 float64) engine.Params {
		return engine.Params{"optimizer": opt, "lr": lr, "beta1": b1, "hidden": []float64{4, 4}}
	}
	trials := []results.TrialRecord{
		trial("adam", p("adam", 0.1, 0.9), 1, train.Completed, 0.5),
		trial("adam", p("adam", 0.1, 0.9), 0, train.Completed, 0.3),
		trial("adam", p("adam", 0.1, 0.9), 2, train.Diverged, math.NaN()),
		trial("adam", p("adam", 0.1, 0.9), 3, train.Pruned, 0.01), // a result of a shorter training: not in the mean
		trial("adam", p("adam", 0.01, 0.9), 0, train.Completed, 0.2),
		trial("adam", p("adam", 0.01, 0.99), 0, train.Completed, 0.25),
		trial("adam", p("adam", 0.1, 0.99), 0, train.Failed, 0),
		trial("sgd", engine.Params{"optimizer": "sgd", "lr": 0.1}, 0, train.Completed, 0.6),
		trial("sgd", engine.Params{"optimizer": "sgd", "lr": 0.1}, 1, train.Completed, math.Inf(1)),
	}
	cs := Group(trials, "m", 0.95)
	if len(cs) != 5 {
		t.Fatalf("%d configurations, want 5", len(cs))
	}
	tot := Totals(cs)
	if want := (Outcome{Completed: 5, Missing: 1, Pruned: 1, Diverged: 1, Failed: 1}); tot != want {
		t.Errorf("totals %+v, want %+v", tot, want)
	}
	ranked := Rank(cs, Minimize)
	var order []float64
	for _, c := range ranked {
		order = append(order, c.Metric.Mean)
	}
	// 0.2, 0.25, 0.4 (mean of 0.3 and 0.5, seeds reordered), 0.6, then the failed one (NaN)
	if !slices.Equal(order[:4], []float64{0.2, 0.25, 0.4, 0.6}) || !math.IsNaN(order[4]) {
		t.Errorf("ranked means %v", order)
	}
	if s := ranked[2].Seeds; len(s) != 4 || s[0].Seed != 0 || s[1].Seed != 1 || s[2].Seed != 2 || s[3].Status != train.Pruned {
		t.Errorf("seeds not ordered: %+v", s)
	}
	best := BestPerOptimizer(ranked)
	if len(best) != 2 || best[0].Optimizer != "adam" || best[1].Optimizer != "sgd" {
		t.Errorf("best per optimizer: %v, %v", best[0].ID, best[1].ID)
	}
	if got := Swept(cs); !slices.Equal(got, []string{"beta1", "lr"}) {
		t.Errorf("swept %v, want [beta1 lr]", got)
	}
	slice := Slice(cs, best[0], "lr")
	if len(slice) != 2 || slice[0].Params["lr"] != 0.01 || slice[1].Params["lr"] != 0.1 {
		t.Errorf("slice along lr: %d configurations", len(slice))
	}
	if got := Slice(cs, best[0], "lr", "beta1"); len(got) != 4 {
		t.Errorf("slice along lr and beta1: %d configurations, want 4", len(got))
	}
	if len(Group(nil, "m", 0.95)) != 0 {
		t.Error("no trials, some configurations")
	}
}

func TestGoal(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Goal
		ok   bool
	}{{"minimize", Minimize, true}, {"Maximize", Maximize, true}, {"max", Maximize, true}, {"", Minimize, false}, {"up", Minimize, false}} {
		if g, ok := ParseGoal(tc.in); g != tc.want || ok != tc.ok {
			t.Errorf("ParseGoal(%q) = %v, %v", tc.in, g, ok)
		}
	}
	if !Maximize.Better(1, math.NaN()) || Maximize.Better(math.NaN(), 1) || !Minimize.Better(1, 2) {
		t.Error("Better")
	}
}
