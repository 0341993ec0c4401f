package nn

import (
	"math"
	"runtime"
	"testing"

	"github.com/optbench/optbench/engine/optim"
	"github.com/optbench/optbench/engine/rng"
)

// TestSequentialStepAllocs checks that a training step (forward, loss,
// accuracy, backward, Adam) allocates nothing once the workspaces exist,
// for a CNN with dropout and a ResNet.
func TestSequentialStepAllocs(t *testing.T) {
	for _, tc := range []struct {
		name   string
		in     Shape
		layers []Layer
	}{
		{"cnn", Shape{1, 8, 8}, append(smallCNN(2, 3, 4)[:15], &Dropout{P: 0.25}, &Dense{Out: 4})},
		{"resnet", Shape{2, 6, 6}, smallResNet(3, 4, 4)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := rng.New(3)
			net, err := NewSequential(tc.in, SoftmaxCrossEntropy, r, tc.layers...)
			if err != nil {
				t.Fatal(err)
			}
			const B = 6
			x := make([]float64, tc.in.Size()*B)
			r.Randn(x)
			y := oneHot(r, net.Outputs(), B)
			adam, _ := optim.NewAdam(optim.DefaultAdamConfig)
			step := func() {
				net.Forward(x, B, true, r)
				net.Loss(y)
				net.Correct(y)
				net.Backward(y)
				adam.Step(net.Params(), net.Grads(), 0.01)
			}
			step()
			if a := testing.AllocsPerRun(5, step); a != 0 {
				t.Errorf("%v allocations per step, want 0", a)
			}
			// A smaller last batch of the epoch reuses the workspaces.
			if a := testing.AllocsPerRun(3, func() { net.Forward(x[:tc.in.Size()*2], 2, true, r) }); a != 0 {
				t.Errorf("%v allocations for a smaller batch, want 0", a)
			}
		})
	}
}

// TestSequentialInferencePieces checks that an inference pass over more
// examples than the training batch gives, column by column, what passes
// over single examples give, without growing the workspaces; and that
// before any training an inference pass sizes them for at most
// SequentialMaxBatch examples.
func TestSequentialInferencePieces(t *testing.T) {
	r := rng.New(5)
	in := Shape{1, 8, 8}
	net, err := NewSequential(in, SoftmaxCrossEntropy, r, smallCNN(2, 3, 3)...)
	if err != nil {
		t.Fatal(err)
	}
	const B, M = 4, 11 // pieces of the training batch's 4, the last one short
	d := in.Size()
	xb := make([]float64, d*B)
	r.Randn(xb)
	net.Forward(xb, B, true, nil) // sets the capacity and the running averages
	x := make([]float64, d*M)
	r.Randn(x)
	net.Forward(x, M, false, nil)
	all := append([]float64(nil), net.Output()...)
	for c := range M {
		col := make([]float64, d)
		for i := range d {
			col[i] = x[i*M+c]
		}
		net.Forward(col, 1, false, nil)
		for k, v := range net.Output() {
			if all[k*M+c] != v {
				t.Fatalf("example %d, output %d: %v in a pass of %d, %v alone", c, k, all[k*M+c], M, v)
			}
		}
	}
	if net.cap != B {
		t.Errorf("capacity %d after inference passes, want the training batch's %d", net.cap, B)
	}
	fresh, err := NewSequential(in, SoftmaxCrossEntropy, r, smallCNN(2, 3, 3)...)
	if err != nil {
		t.Fatal(err)
	}
	big := make([]float64, d*(SequentialMaxBatch+3))
	fresh.Forward(big, SequentialMaxBatch+3, false, nil)
	if fresh.cap != SequentialMaxBatch || !fresh.pieces {
		t.Errorf("before training: capacity %d (pieces %v) for %d examples, want %d in pieces",
			fresh.cap, fresh.pieces, SequentialMaxBatch+3, SequentialMaxBatch)
	}
	defer func() {
		if recover() == nil {
			t.Error("Backward after a pass in pieces did not panic")
		}
	}()
	net.Forward(x, M, false, nil)
	net.Backward(make([]float64, 3*M))
}

// TestWorkspace checks each layer's Workspace against the bytes Bind
// really allocates for a batch capacity of about 16 MiB of buffers, and
// the network's sum.
func TestWorkspace(t *testing.T) {
	const target = 2 << 20 // values
	allocated := func(f func()) float64 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		f()
		runtime.ReadMemStats(&after)
		return float64(after.TotalAlloc - before.TotalAlloc)
	}
	near := func(got, want float64) bool {
		// Each buffer is rounded up to whole pages of 8 KiB (a residual
		// block has about 20 buffers); running averages and the like do
		// not grow with the batch. A buffer left out of the count would
		// be a third of the total or more.
		return math.Abs(got-want) <= 0.005*want+32*8<<10
	}
	for _, tc := range layerCases() {
		t.Run(tc.name, func(t *testing.T) {
			ly := tc.layer()
			_, n, err := ly.Plan(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			params, grads := make([]float64, n), make([]float64, n)
			batch := 1 + target/max(ly.Workspace(), 1)
			got := allocated(func() { ly.Bind(params, grads, batch) })
			want := 8 * float64(batch*ly.Workspace())
			if !near(got, want) {
				t.Errorf("Bind allocated %.0f bytes, Workspace says %.0f", got, want)
			}
		})
	}
	t.Run("sequential", func(t *testing.T) {
		net, err := NewSequential(Shape{1, 12, 12}, SoftmaxCrossEntropy, rng.New(1), smallResNet(3, 4, 5)...)
		if err != nil {
			t.Fatal(err)
		}
		batch := target / net.WorkspacePerExample()
		got := allocated(func() { net.bind(batch) })
		if want := 8 * float64(batch*net.WorkspacePerExample()); !near(got, want) {
			t.Errorf("bind allocated %.0f bytes, WorkspacePerExample says %.0f", got, want)
		}
	})
}
