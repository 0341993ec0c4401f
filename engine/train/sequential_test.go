package train

import (
	"math"
	"slices"
	"testing"

	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/engine/nn"
	"github.com/optbench/optbench/engine/optim"
	"github.com/optbench/optbench/engine/rng"
)

// barImages draws m noisy 1×8×8 images, each with one bright horizontal
// (class 0) or vertical (class 1) bar of three pixels' width at a random
// place, as a split in the trainer's layout (pixels down the rows, one
// image per column, one-hot targets).
func barImages(r *rng.RandomState, m int) Split {
	const side = 8
	s := Split{X: make([]float64, side*side*m), Y: make([]float64, 2*m), M: m}
	noise := make([]float64, side*side)
	for c := range m {
		class := int(r.Interval(1))
		at := int(r.Interval(side - 3))
		r.Randn(noise)
		for h := range side {
			for w := range side {
				v := 0.3 * noise[h*side+w]
				if pos := []int{h, w}[class]; pos >= at && pos < at+3 {
					v++
				}
				s.X[(h*side+w)*m+c] = v
			}
		}
		s.Y[class*m+c] = 1
	}
	return s
}

// TestTrainSequentialCNN trains the course's CNN (small widths) through
// the Trainer on bar images; it must learn them (validation accuracy ≥
// 0.95; chance is 0.5) and give the same curve twice.
func TestTrainSequentialCNN(t *testing.T) {
	run := func() []Epoch {
		r := rng.New(11)
		tr, val := barImages(r, 256), barImages(r, 128)
		net, err := nn.NewSequential(nn.Shape{1, 8, 8}, nn.SoftmaxCrossEntropy, rng.New(12),
			nn.CNN(nn.CNNConfig{Channels: []int{4, 8}, Kernel: 3}, 2)...)
		if err != nil {
			t.Fatal(err)
		}
		opt, err := optim.New("adam", nil)
		if err != nil {
			t.Fatal(err)
		}
		trainer := &Trainer{Net: net, Optimizer: opt, Schedule: constant(0.01), Train: tr, Val: &val,
			Shuffle: StreamShuffle{R: rng.New(13)}, Config: Config{Epochs: 3, BatchSize: 32}}
		_, curve := collect(t, trainer)
		return curve
	}
	a, b := run(), run()
	last := a[len(a)-1]
	if acc := last.Value(metric.ValAccuracy); !(acc >= 0.95) {
		t.Errorf("validation accuracy %v after %d epochs, want ≥ 0.95", acc, len(a))
	}
	for i := range a {
		a[i].Seconds, b[i].Seconds = 0, 0
		if !slices.EqualFunc(a[i].Values[:], b[i].Values[:], func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) }) {
			t.Fatalf("epoch %d differs between two runs: %v vs %v", i, a[i].Values, b[i].Values)
		}
	}
	t.Logf("train loss %.4g, val accuracy %.4g", last.Value(metric.TrainLoss), last.Value(metric.ValAccuracy))
}

// TestSequentialStepsAllocateNothing: training the course's CNN through
// the Trainer allocates nothing per step in steady state. An epoch of 16
// mini-batches allocates exactly what an epoch of 2 does (the trainer's
// per-run buffers and the epoch's record), so each step adds 0.
func TestSequentialStepsAllocateNothing(t *testing.T) {
	const batch = 16
	r := rng.New(21)
	net, err := nn.NewSequential(nn.Shape{1, 8, 8}, nn.SoftmaxCrossEntropy, rng.New(22),
		nn.CNN(nn.CNNConfig{Channels: []int{4, 8}, Kernel: 3}, 2)...)
	if err != nil {
		t.Fatal(err)
	}
	opt, err := optim.New("adam", nil)
	if err != nil {
		t.Fatal(err)
	}
	allocs := func(m int) float64 {
		tr := &Trainer{Net: net, Optimizer: opt, Schedule: constant(0.01), Train: barImages(r, m),
			Shuffle: StreamShuffle{R: rng.New(23)}, Config: Config{Epochs: 1, BatchSize: batch}}
		run := func() {
			if _, err := tr.Run(t.Context(), nil); err != nil {
				t.Fatal(err)
			}
		}
		run() // workspaces sized, optimizer state made
		return testing.AllocsPerRun(5, run)
	}
	few, many := allocs(2*batch), allocs(16*batch)
	if few != many {
		t.Errorf("an epoch of 2 steps allocates %v times, one of 16 steps %v: %.2f allocations per step, want 0",
			few, many, (many-few)/14)
	}
}
