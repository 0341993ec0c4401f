package train

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/engine/nn"
	"github.com/optbench/optbench/engine/optim"
	"github.com/optbench/optbench/engine/rng"
	"github.com/optbench/optbench/engine/testfunc"
)

// newTrainer builds a small binary classifier on Gaussian data with a
// validation split; everything is drawn from seed.
func newTrainer(t *testing.T, seed uint32, opt string, lr float64, cfg Config) *Trainer {
	t.Helper()
	r := rng.New(seed)
	split := func(m int) Split {
		s := Split{X: make([]float64, 2*m), Y: make([]float64, m), M: m}
		r.Randn(s.X)
		for i := 0; i < m; i++ {
			if s.X[i]+0.5*s.X[m+i] > 0 {
				s.Y[i] = 1
			}
		}
		return s
	}
	tr, val := split(200), split(50)
	net, err := nn.New(nn.Config{Layers: []int{2, 8, 1}, KeepProb: []float64{0.9}}, rng.New(seed+1))
	if err != nil {
		t.Fatal(err)
	}
	o, err := optim.New(opt, nil)
	if err != nil {
		t.Fatal(err)
	}
	return &Trainer{Net: net, Optimizer: o, Schedule: constant(lr), Train: tr, Val: &val,
		Shuffle: StreamShuffle{R: rng.New(seed + 2)}, Dropout: rng.New(seed + 3), Config: cfg}
}

func collect(t *testing.T, tr *Trainer) (Result, []Epoch) {
	t.Helper()
	var curve []Epoch
	res, err := tr.Run(context.Background(), Watch(func(e Epoch) { curve = append(curve, e) }))
	if err != nil {
		t.Fatal(err)
	}
	return res, curve
}

// TestDeterministic: the same seeds give bit-identical metrics, wall time
// aside.
func TestDeterministic(t *testing.T) {
	_, a := collect(t, newTrainer(t, 5, "adam", 0.01, Config{Epochs: 20, BatchSize: 16}))
	_, b := collect(t, newTrainer(t, 5, "adam", 0.01, Config{Epochs: 20, BatchSize: 16}))
	_, c := collect(t, newTrainer(t, 6, "adam", 0.01, Config{Epochs: 20, BatchSize: 16}))
	if len(a) != 20 || len(b) != 20 {
		t.Fatalf("got %d and %d epochs, want 20", len(a), len(b))
	}
	same := func(x, y []Epoch) bool {
		for i := range x {
			mx, my := x[i].Metrics(), y[i].Metrics()
			for j := range mx {
				if math.Float64bits(mx[j].Value) != math.Float64bits(my[j].Value) {
					return false
				}
			}
		}
		return true
	}
	if !same(a, b) {
		t.Error("two runs with the same seeds differ")
	}
	if same(a, c) {
		t.Error("runs with different seeds are identical: the seed is not used")
	}
	if last := a[len(a)-1]; !(last.Values[metric.ValAccuracy] > 0.8) {
		t.Errorf("validation accuracy %v after 20 epochs of Adam on a linear problem, want > 0.8", last.Values[metric.ValAccuracy])
	}
}

func TestDiverged(t *testing.T) {
	tr := newTrainer(t, 1, "gd", 1e6, Config{Epochs: 50, BatchSize: 200})
	tr.Net, _ = nn.New(nn.Config{Layers: []int{2, 8, 1}, Loss: nn.MeanSquaredError}, rng.New(1))
	res, curve := collect(t, tr)
	if res.Status != Diverged {
		t.Fatalf("status %s, want diverged", res.Status)
	}
	if res.Epochs >= 50 || len(curve) != res.Epochs {
		t.Errorf("diverged after %d epochs with %d recorded; want it to stop early and record the diverged epoch", res.Epochs, len(curve))
	}
	if !strings.Contains(res.Reason, "epoch") {
		t.Errorf("reason %q does not name the epoch", res.Reason)
	}
}

func TestBudgets(t *testing.T) {
	res, _ := collect(t, newTrainer(t, 1, "gd", 0.1, Config{Epochs: 10, BatchSize: 50, MaxSteps: 10}))
	if res.Steps != 10 || res.Epochs != 3 {
		t.Errorf("steps %d epochs %d, want 10 steps in 3 epochs (4 per epoch)", res.Steps, res.Epochs)
	}
	res, _ = collect(t, newTrainer(t, 1, "gd", 0.1, Config{Epochs: 3}))
	if res.Steps != 3 {
		t.Errorf("full batch: %d steps in 3 epochs, want 3", res.Steps)
	}
	// Early stopping with a learning rate of zero: nothing improves.
	res, _ = collect(t, newTrainer(t, 1, "gd", 0, Config{Epochs: 100, BatchSize: 50, Early: EarlyStopping{Patience: 3}}))
	if res.Epochs != 4 || !strings.Contains(res.Reason, "early stopping") {
		t.Errorf("early stopping: %d epochs (%s), want 4", res.Epochs, res.Reason)
	}
	for _, cfg := range []Config{{Epochs: 0}, {Epochs: 1, BatchSize: 201}, {Epochs: 1, BatchSize: -1},
		{Epochs: 1, Early: EarlyStopping{Metric: "f1", Patience: 1}}} {
		tr := newTrainer(t, 1, "gd", 0.1, cfg)
		if _, err := tr.Run(context.Background(), nil); !errors.Is(err, ErrBudget) {
			t.Errorf("%+v: err = %v, want ErrBudget", cfg, err)
		}
	}
}

func TestInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	tr := newTrainer(t, 1, "gd", 0.1, Config{Epochs: 100, BatchSize: 50})
	n := 0
	res, err := tr.Run(ctx, Watch(func(Epoch) {
		if n++; n == 5 {
			cancel()
		}
	}))
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != Interrupted || res.Epochs != 5 {
		t.Errorf("status %s after %d epochs, want interrupted after 5", res.Status, res.Epochs)
	}
}

// TestObserverStops: a Decision to stop ends training after the epoch it
// was made on, with status Pruned and the reason and epoch in Reason; the
// same holds for the 2-D function trainer.
func TestObserverStops(t *testing.T) {
	stop := func(after int) Observer {
		return func(e Epoch) Decision { return Decision{Stop: e.Epoch == after, Reason: "median rule"} }
	}
	tr := newTrainer(t, 1, "gd", 0.1, Config{Epochs: 100, BatchSize: 50})
	res, err := tr.Run(context.Background(), stop(6))
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != Pruned || res.Epochs != 7 || res.Reason != "median rule (after epoch 6)" || res.Status.Finished() != true {
		t.Errorf("status %s after %d epochs (%q), want pruned after 7", res.Status, res.Epochs, res.Reason)
	}
	gd, _ := optim.New("gd", nil)
	ft := &FunctionTrainer{F: testfunc.IllConditionedQuadratic{}, Optimizer: gd, Schedule: constant(0.01), Steps: 50}
	res, err = ft.Run(context.Background(), stop(3))
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != Pruned || res.Epochs != 4 {
		t.Errorf("function trainer: status %s after %d epochs, want pruned after 4", res.Status, res.Epochs)
	}
	// A stop after the last epoch of the budget: the trial trained it all.
	tr = newTrainer(t, 1, "gd", 0.1, Config{Epochs: 7, BatchSize: 50})
	if res, err = tr.Run(context.Background(), stop(6)); err != nil || res.Status != Completed || res.Epochs != 7 {
		t.Errorf("stop after the last epoch: status %s after %d epochs (%v), want completed after 7", res.Status, res.Epochs, err)
	}
}

// TestCourseShuffle: epoch i draws numpy's permutation after seeding with
// 11+i (numpy: np.random.seed(11); np.random.permutation(10)).
func TestCourseShuffle(t *testing.T) {
	perm := make([]int, 10)
	(&CourseShuffle{Base: 10}).Permute(0, perm)
	want := []int{7, 8, 2, 6, 4, 5, 1, 3, 0, 9}
	for i := range want {
		if perm[i] != want[i] {
			t.Fatalf("permutation %v, numpy gives %v", perm, want)
		}
	}
}

// TestCourseShuffleAhead: the permutations CourseShuffle draws ahead are
// those of a generator reseeded before each epoch, in order, out of order
// (going back, skipping) and when the length changes.
func TestCourseShuffleAhead(t *testing.T) {
	s := &CourseShuffle{Base: 10}
	for _, c := range []struct{ epoch, m int }{
		{0, 300}, {1, 300}, {2, 300}, {3, 300}, {4, 300}, {5, 300}, {9, 300}, {7, 300},
		{8, 300}, {8, 300}, {2, 300}, {3, 17}, {4, 17}, {4, 300}, {1 << 20, 300},
	} {
		got, want := make([]int, c.m), make([]int, c.m)
		s.Permute(c.epoch, got)
		rng.New(10 + 1 + uint32(c.epoch)).Permutation(want)
		if !slices.Equal(got, want) {
			t.Fatalf("epoch %d, m = %d: %v, want %v", c.epoch, c.m, got, want)
		}
	}
}

// TestCourseOrders: shuffles that share a CourseOrders get the
// permutations of their own generators — two bases and two lengths at once,
// from goroutines in parallel; past MaxEntries and for an epoch far ahead
// the shuffle draws its own, the same again.
func TestCourseOrders(t *testing.T) {
	orders := &CourseOrders{}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			base, m := uint32(10+w%2), 300-7*(w/4)
			s := &CourseShuffle{Base: base, Orders: orders}
			got, want := make([]int, m), make([]int, m)
			for epoch := 0; epoch < 203; epoch++ {
				s.Permute(epoch, got)
				rng.New(base + 1 + uint32(epoch)).Permutation(want)
				if !slices.Equal(got, want) {
					errs <- fmt.Sprintf("base %d, m = %d, epoch %d: %v, want %v", base, m, epoch, got, want)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
	// Two bases × two lengths × 204 epochs (drawn four at a time).
	if n, want := orders.Entries(), 2*204*(300+293); n != want {
		t.Errorf("holds %d indices, want %d", n, want)
	}

	small := &CourseOrders{MaxEntries: 10 * 300}
	s := &CourseShuffle{Base: 10, Orders: small}
	got, want := make([]int, 300), make([]int, 300)
	for _, epoch := range []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 100, 12, 3} {
		s.Permute(epoch, got)
		rng.New(10 + 1 + uint32(epoch)).Permutation(want)
		if !slices.Equal(got, want) {
			t.Fatalf("MaxEntries 3000, epoch %d: %v, want %v", epoch, got, want)
		}
	}
	if n := small.Entries(); n != 8*300 {
		t.Errorf("MaxEntries 3000: holds %d indices, want 2400 (two blocks of four epochs)", n)
	}

	// Past uint16 indices.
	wide := &CourseOrders{}
	s = &CourseShuffle{Base: 10, Orders: wide}
	got, want = make([]int, 1<<16+1), make([]int, 1<<16+1)
	for epoch := range 2 {
		s.Permute(epoch, got)
		rng.New(10 + 1 + uint32(epoch)).Permutation(want)
		if !slices.Equal(got, want) {
			t.Fatalf("m = 65537, epoch %d: not numpy's permutation", epoch)
		}
	}
	if n := wide.Entries(); n != 0 {
		t.Errorf("m = 65537: holds %d indices, want none", n)
	}
}

func TestFunctionTrainer(t *testing.T) {
	opt, _ := optim.New("momentum", nil)
	ft := &FunctionTrainer{F: testfunc.IllConditionedQuadratic{}, Optimizer: opt, Schedule: constant(0.05), Steps: 200}
	var curve []Epoch
	res, err := ft.Run(context.Background(), Watch(func(e Epoch) { curve = append(curve, e) }))
	if err != nil {
		t.Fatal(err)
	}
	if len(curve) != 201 || curve[0].Values[metric.X] != 1.5 || curve[0].Values[metric.Y] != -9 {
		t.Fatalf("%d points starting at (%v, %v), want 201 from (1.5, −9)", len(curve), curve[0].Values[metric.X], curve[0].Values[metric.Y])
	}
	if last := curve[200]; !(last.Values[metric.TrainLoss] < 1e-3) {
		t.Errorf("f = %v after 200 momentum steps, want < 1e-3", last.Values[metric.TrainLoss])
	}
	if res.Status != Completed {
		t.Errorf("status %s", res.Status)
	}
	ft = &FunctionTrainer{F: testfunc.Rosenbrock{}, Optimizer: opt, Schedule: constant(10), Steps: 100}
	if res, _ := ft.Run(context.Background(), nil); res.Status != Diverged {
		t.Errorf("Rosenbrock with α = 10: status %s, want diverged", res.Status)
	}
}
