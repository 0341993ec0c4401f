package reports

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/optbench/optbench/engine/train"
)

// countingCurves wraps in's loader to record the keys of each call.
func countingCurves(in *Input) *[][]string {
	var calls [][]string
	load := in.Curves
	in.Curves = func(ctx context.Context, keys []string) (map[string][]train.Epoch, error) {
		calls = append(calls, slices.Clone(keys))
		return load(ctx, keys)
	}
	return &calls
}

func TestPrunedCurves(t *testing.T) {
	everyFifthPruned := func(i int) int {
		if i%5 == 0 {
			return 4
		}
		return 0
	}
	for _, tc := range []struct {
		name              string
		in                Input
		completed, pruned int // curves drawn
		sampled           string
		rungs             string
	}{
		{name: "halving", in: adaptiveInput(90, 27, halvingStops), completed: 10, pruned: 80, rungs: "(3 and 9)"},
		// 45 completed and 355 pruned: every completed trial, and the
		// pruned fill the cap.
		{name: "capped", in: adaptiveInput(400, 27, halvingStops), completed: 45, pruned: 155, rungs: "(3 and 9)",
			sampled: "200 of the 400 trials are drawn (at most 200): 45 completed and 155 pruned"},
		// 400 completed and 100 pruned: the completed take half the cap.
		{name: "mostly completed", in: adaptiveInput(500, 10, everyFifthPruned), completed: 100, pruned: 100, rungs: "(4)",
			sampled: "200 of the 500 trials are drawn (at most 200): 100 completed and 100 pruned"},
		{name: "nothing pruned", in: adaptiveInput(40, 20, nil)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			calls := countingCurves(&tc.in)
			r, err := Analyze(context.Background(), tc.in, Options{})
			if err != nil {
				t.Fatal(err)
			}
			before := len(*calls) // Analyze's, for the best configuration
			f, err := r.PrunedCurves(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if tc.pruned == 0 {
				if f != nil || len(*calls) != before {
					t.Fatalf("figure %v drawn, or curves loaded, without pruned trials", f)
				}
				return
			}
			if f == nil {
				t.Fatal("no figure")
			}
			if got := len(*calls) - before; got != 1 {
				t.Fatalf("%d calls of Input.Curves, want 1", got)
			}
			keys := (*calls)[before]
			if len(keys) != tc.completed+tc.pruned || len(keys) > maxPrunedCurves {
				t.Errorf("%d curves loaded, want %d", len(keys), tc.completed+tc.pruned)
			}
			want := []string{"completed (" + strconv.Itoa(tc.completed) + ")", "pruned (" + strconv.Itoa(tc.pruned) + ")", "rung (epoch of pruning)"}
			if !slices.Equal(f.Series, want) {
				t.Errorf("series %q, want %q", f.Series, want)
			}
			if p := f.Plot; p.Title.Text != "val_accuracy per epoch of completed and pruned trials" ||
				p.X.Label.Text != "epoch" || p.Y.Label.Text != "validation accuracy (fraction correct)" {
				t.Errorf("title %q, x %q, y %q", p.Title.Text, p.X.Label.Text, p.Y.Label.Text)
			}
			if !strings.Contains(f.Caption, "the epochs at which trials were pruned "+tc.rungs) {
				t.Errorf("caption %q does not list the rungs %s", f.Caption, tc.rungs)
			}
			if tc.sampled == "" && strings.Contains(f.Caption, "are drawn") || !strings.Contains(f.Caption, tc.sampled) {
				t.Errorf("caption %q; want it to say %q", f.Caption, tc.sampled)
			}
			// The sample is the same every time.
			again, err := Analyze(context.Background(), tc.in, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := again.PrunedCurves(context.Background()); err != nil {
				t.Fatal(err)
			}
			if last := (*calls)[len(*calls)-1]; !slices.Equal(last, keys) {
				t.Error("a second report drew other trials")
			}
		})
	}
}

// TestPrunedCurvesLoadFails: a loader that fails costs only this figure,
// with a warning; a cancelled context is an error.
func TestPrunedCurvesLoadFails(t *testing.T) {
	in := adaptiveInput(90, 27, halvingStops)
	load := in.Curves
	fail := errors.New("disk on fire")
	in.Curves = func(ctx context.Context, keys []string) (map[string][]train.Epoch, error) {
		if len(keys) > 1 { // not Analyze's call for the best configuration
			return nil, fail
		}
		return load(ctx, keys)
	}
	r, err := Analyze(context.Background(), in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	figs, err := r.Figures(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if figureByName(figs, "pruned-curves") != nil || figureByName(figs, "history") == nil {
		t.Errorf("figures %v; want the history and no pruned curves", figs)
	}
	if !slices.ContainsFunc(r.Warnings, func(w string) bool {
		return strings.Contains(w, "learning curves of pruned trials left out: disk on fire")
	}) {
		t.Errorf("warnings %q", r.Warnings)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	in.Curves = func(ctx context.Context, keys []string) (map[string][]train.Epoch, error) { return nil, ctx.Err() }
	r.Input = in
	if _, err := r.PrunedCurves(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}
