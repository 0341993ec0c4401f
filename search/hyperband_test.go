package search

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/engine/train"
)

// TestBracketsTable1 is the acceptance test: max_epochs 81, min_epochs 1,
// η 3 give exactly Table 1 of Li et al., JMLR 18(185), 2018 (n_i × r_i
// for s = 4 … 0), 143 configurations, 1581 epochs when survivors
// continue and 1902 when every rung retrains.
func TestBracketsTable1(t *testing.T) {
	want := [][]Rung{
		{{81, 1}, {27, 3}, {9, 9}, {3, 27}, {1, 81}},
		{{34, 3}, {11, 9}, {3, 27}, {1, 81}},
		{{15, 9}, {5, 27}, {1, 81}},
		{{8, 27}, {2, 81}},
		{{5, 81}},
	}
	bs := Brackets(1, 81, 3)
	if len(bs) != len(want) {
		t.Fatalf("%d brackets; want %d", len(bs), len(want))
	}
	for i, b := range bs {
		if b.S != 4-i || !slices.Equal(b.Rungs, want[i]) {
			t.Errorf("bracket %d: s=%d %v; want s=%d %v", i, b.S, b.Rungs, 4-i, want[i])
		}
	}
	if configs, continued, retrained := BracketTotals(bs); configs != 143 || continued != 1581 || retrained != 1902 {
		t.Errorf("%d configurations, %d epochs continued, %d retrained; want 143, 1581, 1902", configs, continued, retrained)
	}
}

func TestBrackets(t *testing.T) {
	tests := []struct {
		min, max, eta int
		want          string // s: rungs / …
		totals        [3]int
	}{
		{1, 9, 3, "s=2: 9×1 3×3 1×9 / s=1: 5×3 1×9 / s=0: 3×9", [3]int{17, (9 + 3*2 + 6) + (5*3 + 6) + 27, 27 + (15 + 9) + 27}},
		{1, 10, 3, "s=2: 9×1 3×3 1×10 / s=1: 5×3 1×10 / s=0: 3×10", [3]int{17, 22 + 22 + 30, 28 + 25 + 30}},
		{2, 16, 2, "s=3: 8×2 4×4 2×8 1×16 / s=2: 6×4 3×8 1×16 / s=1: 4×8 2×16 / s=0: 4×16", // n = ⌈4/3·4⌉ = 6
			[3]int{22, (16 + 4*2 + 2*4 + 8) + (24 + 3*4 + 8) + (32 + 2*8) + 64, 4 * 64}},
		{3, 3, 3, "s=0: 1×3", [3]int{1, 3, 3}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("min%d_max%d_eta%d", tt.min, tt.max, tt.eta), func(t *testing.T) {
			bs := Brackets(tt.min, tt.max, tt.eta)
			var parts []string
			for _, b := range bs {
				var rungs []string
				for _, r := range b.Rungs {
					rungs = append(rungs, fmt.Sprintf("%d×%d", r.Configs, r.Epochs))
				}
				parts = append(parts, fmt.Sprintf("s=%d: %s", b.S, strings.Join(rungs, " ")))
			}
			if got := strings.Join(parts, " / "); got != tt.want {
				t.Errorf("brackets %s; want %s", got, tt.want)
			}
			if c, cont, re := BracketTotals(bs); [3]int{c, cont, re} != tt.totals {
				t.Errorf("totals %d %d %d; want %v", c, cont, re, tt.totals)
			}
		})
	}
}

func TestBracketsPanics(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "eta 1") {
			t.Errorf("recovered %v; want a panic about eta", r)
		}
	}()
	Brackets(1, 9, 1)
}

// TestHyperbandGenerations: with Table 1's settings, generation k holds
// every bracket's rung at level k (all pruned at r_k, the last
// completed), bracket s_max first, each cohort the best of the one
// before, and the brackets draw distinct configurations in order.
func TestHyperbandGenerations(t *testing.T) {
	hb, err := NewHyperband(Halving{MaxEpochs: 81}, &seqSampler{limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if !slicesEqualBrackets(hb.Brackets(), Brackets(1, 81, 3)) {
		t.Errorf("Brackets() %v; want Table 1", hb.Brackets())
	}
	// Configuration i's value is i: the survivors are a cohort's first.
	first := map[int]int{ // bracket s → the first configuration drawn for it
		4: 0, 3: 81, 2: 81 + 34, 1: 81 + 34 + 15, 0: 81 + 34 + 15 + 8,
	}
	tests := []struct {
		sizes   []int // by bracket, s_max first
		pruneAt int
	}{
		{[]int{81}, 1},
		{[]int{27, 34}, 3},
		{[]int{9, 11, 15}, 9},
		{[]int{3, 3, 5, 8}, 27},
		{[]int{1, 1, 1, 2, 5}, 0},
	}
	var history []Observation
	for g, tt := range tests {
		props, done, err := hb.Next(g, history)
		if err != nil {
			t.Fatal(err)
		}
		var want []int
		for b, n := range tt.sizes {
			start := first[4-b]
			for i := range n {
				want = append(want, start+i)
			}
		}
		if got := ids(props); !slices.Equal(got, want) || done != (g == 4) {
			t.Fatalf("generation %d: %v done %v; want %v done %v", g, got, done, want, g == 4)
		}
		for _, p := range props {
			if p.Epochs != 81 || p.PruneAt != tt.pruneAt {
				t.Fatalf("generation %d: epochs %d prune_at %d; want 81, %d", g, p.Epochs, p.PruneAt, tt.pruneAt)
			}
		}
		history = append(history, observe(len(history), props, func(i int) float64 { return float64(i) })...)
	}
	if len(history) != 81+61+35+19+10 {
		t.Errorf("%d trials in all", len(history))
	}
}

func slicesEqualBrackets(a, b []Bracket) bool {
	return slices.EqualFunc(a, b, func(x, y Bracket) bool { return x.S == y.S && slices.Equal(x.Rungs, y.Rungs) })
}

// curveRun is a fake RunFunc whose train_loss is a function of the
// learning rate and the epoch alone, |log10 lr + 2| + 1/(epoch+1), so a
// pruned trial's curve is the start of the full one, as with real
// training. It sleeps a time from the seed and lr so that workers finish
// out of proposal order.
func curveRun(ctx context.Context, t engine.Trial, observe train.Observer) (train.Result, error) {
	lr, _ := t.Params.Float("lr")
	time.Sleep(time.Duration((t.Seed*7+uint64(lr*1e6))%4) * 200 * time.Microsecond)
	var res train.Result
	for e := range t.Budget.Epochs {
		ep := train.Epoch{Epoch: e, Values: metric.Values{metric.TrainLoss: math.Abs(math.Log10(lr)+2) + 1/float64(e+1)}}
		res.Epochs, res.Last = e+1, ep
		res.Final = []train.Metric{{Name: "train_loss", Value: ep.Values[metric.TrainLoss]}}
		if d := observe(ep); d.Stop && e+1 < t.Budget.Epochs {
			res.Status, res.Reason = train.Pruned, d.Reason
			return res, nil
		}
	}
	res.Status = train.Completed
	return res, nil
}

// storeSink keeps what a results store would: by key, the configuration,
// seed and rung, the status and every curve value.
type storeSink struct {
	mu   sync.Mutex
	rows map[string]string
}

func (s *storeSink) Record(_ context.Context, o engine.Outcome) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rows == nil {
		s.rows = map[string]string{}
	}
	if _, dup := s.rows[o.Key]; dup {
		return fmt.Errorf("trial %s recorded twice", o.Key)
	}
	var curve []string
	for _, e := range o.Curve {
		curve = append(curve, fmt.Sprint(math.Float64bits(e.Values[metric.TrainLoss])))
	}
	s.rows[o.Key] = fmt.Sprintf("lr=%v,seed=%d prune_at=%d %s %d [%s]", o.Trial.Params["lr"], o.Trial.Seed,
		o.Trial.Budget.PruneAt, o.Status, o.Result.Epochs, strings.Join(curve, " "))
	return nil
}

// generations is a test search that proposes fixed configurations in
// generations of size, each to the sweep's budget.
type generations struct {
	configs []Configuration
	size    int
}

func (m generations) Next(g int, _ []Observation) ([]Proposal, bool, error) {
	lo, hi := g*m.size, min((g+1)*m.size, len(m.configs))
	var out []Proposal
	for _, c := range m.configs[lo:hi] {
		out = append(out, Proposal{Config: c})
	}
	return out, hi == len(m.configs), nil
}

// TestPrunersAnyWorkers: successive halving, Hyperband (with random
// configurations and with TPE proposing its brackets) and the median
// rule, run through NewAdaptiveSource (NewMedianSource) and the executor
// with 1, 2 and 8 workers, store the same trials with the same statuses
// and bit-identical curves; the rungs' pruned trials stop where they
// should with curves that are the start of the full budget's.
func TestPrunersAnyWorkers(t *testing.T) {
	space := &Space{Branches: []Branch{{Optimizer: "adam", Schedule: "constant",
		Dimensions: []Dimension{{"lr", LogUniform{1e-4, 1}}}}}}
	random := func(samples int) *Random {
		r, err := NewRandom(space, samples, 3)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	tmpl := Template{Sweep: "s", Experiment: "fake", Seeds: []uint64{0, 1}, Budget: engine.Budget{Epochs: 9}}
	sources := []struct {
		name   string
		source func() (engine.Source, error)
		trials int
		rungs  bool // pruned trials are rungs
	}{
		{
			name: "successive halving",
			source: func() (engine.Source, error) {
				sh, err := NewSuccessiveHalving(Halving{MaxEpochs: 9}, 0, random(9))
				return NewAdaptiveSource(sh, tmpl, "train_loss"), err
			},
			trials: 2 * (9 + 3 + 1), rungs: true,
		},
		{
			name: "hyperband",
			source: func() (engine.Source, error) {
				hb, err := NewHyperband(Halving{MaxEpochs: 9}, random(17))
				return NewAdaptiveSource(hb, tmpl, "train_loss"), err
			},
			trials: 2 * (9 + 3 + 1 + 5 + 1 + 3), rungs: true,
		},
		{
			// Brackets s=1 and s=0 proposed by TPE from generations 0 and 1.
			name: "hyperband with tpe",
			source: func() (engine.Source, error) {
				hb, err := NewHyperbandTPE(Halving{MaxEpochs: 9}, space, TPEOptions{Samples: 17, Seed: 3, Startup: 3})
				return NewAdaptiveSource(hb, tmpl, "train_loss"), err
			},
			trials: 2 * (9 + 3 + 1 + 5 + 1 + 3), rungs: true,
		},
		{
			name: "median",
			source: func() (engine.Source, error) {
				configs, err := drawConfigurations(random(24), 24, nil)
				if err != nil {
					return nil, err
				}
				return NewMedianSource(generations{configs: configs, size: 6}, tmpl,
					Median{Metric: "train_loss", WarmupEpochs: 1, Startup: 3})
			},
			trials: 2 * 24,
		},
	}
	for _, src := range sources {
		t.Run(src.name, func(t *testing.T) {
			var want map[string]string
			for _, workers := range []int{1, 2, 8} {
				source, err := src.source()
				if err != nil {
					t.Fatal(err)
				}
				sink := &storeSink{}
				p, err := (&engine.Executor{Workers: workers, Run: curveRun}).Drive(context.Background(), source, sink)
				if err != nil {
					t.Fatalf("j%d: %v", workers, err)
				}
				if p.Done != src.trials || len(sink.rows) != src.trials || p.Pruned == 0 {
					t.Fatalf("j%d: %d trials, %d stored, %d pruned; want %d", workers, p.Done, len(sink.rows), p.Pruned, src.trials)
				}
				if workers == 1 {
					want = sink.rows
					if src.rungs {
						checkRungs(t, sink.rows)
					}
					continue
				}
				for key, row := range want {
					if sink.rows[key] != row {
						t.Errorf("j%d: trial %s stored %q; with one worker %q", workers, key, sink.rows[key], row)
					}
				}
			}
		})
	}
}

// checkRungs: a trial stops at its rung (prune_at) or completes its
// budget, and the trials of one configuration and seed at different
// rungs have curves each the start of the next: the rung is training to
// the full budget, cut.
func checkRungs(t *testing.T, rows map[string]string) {
	t.Helper()
	curves := map[string][]string{} // by configuration and seed, any order
	for key, row := range rows {
		var config, status string
		var pruneAt, epochs int
		if _, err := fmt.Sscanf(row, "%s prune_at=%d %s %d", &config, &pruneAt, &status, &epochs); err != nil {
			t.Fatalf("row %q: %v", row, err)
		}
		if want := map[bool]int{true: pruneAt, false: 9}[pruneAt > 0]; epochs != want ||
			(status == "pruned") != (pruneAt > 0) {
			t.Errorf("trial %s: %s after %d epochs with prune_at %d", key, status, epochs, pruneAt)
		}
		curves[config] = append(curves[config], row[strings.Index(row, "[")+1:len(row)-1])
	}
	for config, cs := range curves {
		slices.SortFunc(cs, func(a, b string) int { return len(a) - len(b) })
		for i := 1; i < len(cs); i++ {
			if !strings.HasPrefix(cs[i], cs[i-1]+" ") {
				t.Errorf("%s: curve %s is not the start of %s", config, cs[i-1], cs[i])
			}
		}
	}
}
