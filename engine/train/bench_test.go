package train

import (
	"testing"

	"github.com/optbench/optbench/engine/nn"
	"github.com/optbench/optbench/engine/optim"
	"github.com/optbench/optbench/engine/rng"
)

// BenchmarkStep measures one training step (forward, loss, backward,
// optimizer update) in steady state. Goal: 0 allocs/op, and a few
// microseconds for the course network.
func BenchmarkStep(b *testing.B) {
	for _, bc := range []struct {
		name   string
		layers []int
		batch  int
		loss   nn.Loss
	}{
		{"course-2-5-2-1/batch64/adam", []int{2, 5, 2, 1}, 64, nn.BinaryCrossEntropy},
		{"mnist-784-256-10/batch128/adam", []int{784, 256, 10}, 128, nn.SoftmaxCrossEntropy},
	} {
		b.Run(bc.name, func(b *testing.B) {
			r := rng.New(1)
			net, err := nn.New(nn.Config{Layers: bc.layers, Loss: bc.loss}, r)
			if err != nil {
				b.Fatal(err)
			}
			d, k := bc.layers[0], bc.layers[len(bc.layers)-1]
			x := make([]float64, d*bc.batch)
			r.Randn(x)
			y := make([]float64, k*bc.batch)
			for c := 0; c < bc.batch; c++ {
				y[(c%k)*bc.batch+c] = 1
			}
			opt, err := optim.New("adam", nil)
			if err != nil {
				b.Fatal(err)
			}
			step := func() {
				net.Forward(x, bc.batch, true, nil)
				_ = net.Loss(y)
				net.Backward(y)
				opt.Step(net.Params(), net.Grads(), 0.001)
			}
			step() // size workspaces and optimizer state
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				step()
			}
		})
	}
}

// BenchmarkEpoch measures a whole epoch of the course setup through the
// Trainer (gather, shuffle, five mini-batches, metrics).
func BenchmarkEpoch(b *testing.B) {
	r := rng.New(3)
	net, err := nn.New(nn.Config{Layers: []int{2, 5, 2, 1}}, r)
	if err != nil {
		b.Fatal(err)
	}
	const m = 300
	s := Split{X: make([]float64, 2*m), Y: make([]float64, m), M: m}
	r.Randn(s.X)
	for i := range s.Y {
		s.Y[i] = float64(i % 2)
	}
	opt, _ := optim.New("adam", nil)
	tr := &Trainer{Net: net, Optimizer: opt, Schedule: constant(0.001), Train: s,
		Shuffle: &CourseShuffle{Base: 10}, Config: Config{Epochs: 1, BatchSize: 64}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tr.Run(b.Context(), nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSequentialStep measures one training step of a network of
// layers through the Trainer in steady state (an epoch of 8 mini-batches
// per op, reported per step): the course's CNN scaled to 8×8 images, as
// digits-cnn trains it, and DeepOBS's fmnist_2c2d on 28×28. Goal: 0
// allocations per step (TestSequentialStepsAllocateNothing checks it).
func BenchmarkSequentialStep(b *testing.B) {
	for _, bc := range []struct {
		name   string
		in     nn.Shape
		layers []nn.Layer
		batch  int
	}{
		{"cnn-8x16-k3/1x8x8/batch32/adam", nn.Shape{1, 8, 8}, nn.CNN(nn.CNNConfig{Channels: []int{8, 16}, Kernel: 3, Convs: 1}, 10), 32},
		{"2c2d/1x28x28/batch128/adam", nn.Shape{1, 28, 28}, nn.TwoConvTwoDense(10), 128},
	} {
		b.Run(bc.name, func(b *testing.B) {
			const steps = 8
			r := rng.New(1)
			net, err := nn.NewSequential(bc.in, nn.SoftmaxCrossEntropy, r, bc.layers...)
			if err != nil {
				b.Fatal(err)
			}
			m := steps * bc.batch
			s := Split{X: make([]float64, bc.in.Size()*m), Y: make([]float64, 10*m), M: m}
			r.Randn(s.X)
			for c := range m {
				s.Y[(c%10)*m+c] = 1
			}
			opt, _ := optim.New("adam", nil)
			tr := &Trainer{Net: net, Optimizer: opt, Schedule: constant(0.001), Train: s,
				Shuffle: StreamShuffle{R: rng.New(2)}, Config: Config{Epochs: 1, BatchSize: bc.batch}}
			if _, err := tr.Run(b.Context(), nil); err != nil { // size workspaces and optimizer state
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := tr.Run(b.Context(), nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*steps), "ns/step")
		})
	}
}

type constant float64

func (c constant) LR(int, int) float64 { return float64(c) }
