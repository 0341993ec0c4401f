package nn

import (
	"testing"
	"time"

	"github.com/optbench/optbench/engine/optim"
	"github.com/optbench/optbench/engine/rng"
)

// stepFlops counts the multiply-adds (×2) of the products of one training
// step: each conv and dense layer's forward product, its weight gradient
// and, except for the first layer, its input gradient.
func stepFlops(net *Sequential, batch int) float64 {
	var f float64
	for i, ly := range net.layers {
		var macs float64
		switch l := ly.(type) {
		case *Conv2D:
			macs = float64(l.Out * l.rows * l.oh * l.ow)
		case *Dense:
			macs = float64(l.Out * l.in)
		default:
			continue
		}
		passes := 3.0
		if i == 0 {
			passes = 2
		}
		f += 2 * macs * passes * float64(batch)
	}
	return f
}

func benchmarkStep(b *testing.B, layers []Layer) {
	const B = 128
	in := Shape{1, 28, 28}
	r := rng.New(1)
	net, err := NewSequential(in, SoftmaxCrossEntropy, r, layers...)
	if err != nil {
		b.Fatal(err)
	}
	x := make([]float64, in.Size()*B)
	r.Randn(x)
	y := oneHot(r, 10, B)
	adam, _ := optim.NewAdam(optim.DefaultAdamConfig)
	step := func() {
		net.Forward(x, B, true, nil)
		net.Loss(y)
		net.Backward(y)
		adam.Step(net.Params(), net.Grads(), 0.001)
	}
	step()
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for b.Loop() {
		step()
	}
	b.ReportMetric(stepFlops(net, B)*float64(b.N)/time.Since(start).Seconds()/1e9, "GFLOP/s")
}

// BenchmarkStepCNN is one training step (forward, loss, backward, Adam)
// of the course's CNN with 8 and 16 channels on 1×28×28 at batch 128.
func BenchmarkStepCNN(b *testing.B) {
	layers := smallCNN(8, 16, 10)
	benchmarkStep(b, layers)
}

// BenchmarkStep2c2d is one training step of DeepOBS's fmnist_2c2d on
// 1×28×28 at batch 128.
func BenchmarkStep2c2d(b *testing.B) { benchmarkStep(b, TwoConvTwoDense(10)) }
