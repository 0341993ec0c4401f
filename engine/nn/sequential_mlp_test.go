package nn

import (
	"fmt"
	"math"
	"testing"

	"github.com/optbench/optbench/engine/rng"
)

// TestSequentialMatchesNetwork checks that a Sequential of Dense,
// Activate and Dropout layers computes what Network computes for the
// same configuration, bit for bit: outputs, loss, accuracy and gradients
// over two training steps and an inference pass, with the weights and
// the dropout masks drawn from the same seeds. Network's parameter layout
// (per layer W, then b) is the Sequential's, so the one can replace the
// other without changing the numbers of a trial that uses neither batch
// norm (Network keeps the course's running averages, BatchNorm torch's)
// nor what Sequential lacks: the L2 and L1 penalties and the raw
// logarithm (Config.RawLog).
func TestSequentialMatchesNetwork(t *testing.T) {
	for _, tc := range []struct {
		loss   Loss
		hidden Activation
		keep   float64
	}{
		{SoftmaxCrossEntropy, ReLU, 0.8},
		{BinaryCrossEntropy, Tanh, 1},
		{MeanSquaredError, LeakyReLU, 0.7},
		{SoftmaxCrossEntropy, Sigmoid, 1},
	} {
		t.Run(fmt.Sprintf("%s/%s/keep=%g", tc.loss, tc.hidden, tc.keep), func(t *testing.T) {
			sizes := []int{5, 7, 6, 3}
			cfg := Config{Layers: sizes, Hidden: tc.hidden, Loss: tc.loss}
			if tc.keep < 1 {
				cfg.KeepProb = []float64{tc.keep}
			}
			mlp, err := New(cfg, rng.New(4))
			if err != nil {
				t.Fatal(err)
			}
			var layers []Layer
			for _, h := range sizes[1 : len(sizes)-1] {
				layers = append(layers, &Dense{Out: h}, &Activate{Func: tc.hidden})
				if tc.keep < 1 {
					layers = append(layers, &Dropout{P: 1 - tc.keep})
				}
			}
			layers = append(layers, &Dense{Out: sizes[len(sizes)-1]})
			seq, err := NewSequential(Shape{sizes[0]}, tc.loss, rng.New(4), layers...)
			if err != nil {
				t.Fatal(err)
			}
			if !bitsEqual(seq.Params(), mlp.Params()) {
				t.Fatal("He initialization from the same seed differs")
			}
			r := rng.New(8)
			const B = 9
			x, y := randomBatch(r, sizes[0], sizes[len(sizes)-1], B, tc.loss)
			dropA, dropB := rng.New(21), rng.New(21)
			for step := range 2 {
				mlp.Forward(x, B, true, dropA)
				seq.Forward(x, B, true, dropB)
				if !bitsEqual(seq.Output(), mlp.Output()) {
					t.Fatalf("step %d: outputs differ", step)
				}
				if a, b := seq.Loss(y), mlp.Loss(y); math.Float64bits(a) != math.Float64bits(b) {
					t.Fatalf("step %d: loss %v, Network %v", step, a, b)
				}
				if a, b := seq.Correct(y), mlp.Correct(y); a != b {
					t.Fatalf("step %d: %d correct, Network %d", step, a, b)
				}
				mlp.Backward(y)
				seq.Backward(y)
				if !bitsEqual(seq.Grads(), mlp.Grads()) {
					t.Fatalf("step %d: gradients differ", step)
				}
				for i, g := range mlp.Grads() {
					mlp.Params()[i] -= 0.1 * g
					seq.Params()[i] -= 0.1 * g
				}
			}
			mlp.Forward(x, B, false, nil)
			seq.Forward(x, B, false, nil)
			if !bitsEqual(seq.Output(), mlp.Output()) {
				t.Fatal("inference outputs differ")
			}
		})
	}
}

func bitsEqual(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}
