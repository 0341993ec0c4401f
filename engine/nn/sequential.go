package nn

import (
	"fmt"

	"github.com/optbench/optbench/engine/rng"
)

// Sequential is a network built from layers applied in turn, followed by
// the output activation that matches its loss (sigmoid for binary
// cross-entropy, softmax for softmax cross-entropy, identity for squared
// error), so that its last layer computes logits. It offers the methods
// the trainer uses of Network (Forward, Output, Loss, Backward, Correct,
// Penalty, Params, Grads, Inputs, Outputs) with the same batch layout and
// the same meaning; its parameters are the layers' parameters in order,
// in one flat vector.
//
// Workspaces are sized for the largest training batch seen: the first
// training Forward of a larger batch allocates, later steps do not. An
// inference Forward of a larger batch runs in pieces of that capacity (of
// up to SequentialMaxBatch examples before any training batch), so that
// evaluating a whole dataset needs no more memory than training does;
// Backward after a pass in pieces panics.
//
// It is not safe for concurrent use.
type Sequential struct {
	layers []Layer
	in     Shape
	sizes  []int
	loss   Loss
	act    Activation
	k      int // outputs

	params, grads []float64
	cap           int  // batch capacity of the layers
	trained       bool // a training batch has set cap
	batch         int
	pieces        bool      // the last Forward ran in pieces
	out           []float64 // output activations, k×batch
	delta         []float64
	xpiece        []float64 // one piece's input
	logs          []float64 // the loss's logarithms (lossSum)
}

// SequentialMaxBatch bounds the batch capacity an inference pass sizes
// the workspaces for before a training batch has set it.
const SequentialMaxBatch = 256

// NewSequential plans layers for examples of shape in, allocates the
// parameters and initializes them from r (layer by layer, in order). The
// last layer's output must be a vector: one logit per output unit.
func NewSequential(in Shape, loss Loss, r *rng.RandomState, layers ...Layer) (*Sequential, error) {
	if err := in.check("input"); err != nil {
		return nil, err
	}
	if len(layers) == 0 {
		return nil, fmt.Errorf("a network needs at least one layer")
	}
	shapes, sizes, err := planLayers(in, layers)
	if err != nil {
		return nil, err
	}
	last := shapes[len(shapes)-1]
	if len(last) != 1 {
		return nil, fmt.Errorf("the last layer gives %v per example, not a vector of outputs", last)
	}
	n := &Sequential{layers: layers, in: append(Shape(nil), in...), sizes: sizes, loss: loss, k: last[0]}
	switch loss {
	case BinaryCrossEntropy:
		n.act = Sigmoid
	case SoftmaxCrossEntropy:
		n.act = Softmax
		if n.k < 2 {
			return nil, fmt.Errorf("loss softmax_cross_entropy needs at least 2 output units, got %d", n.k)
		}
	case MeanSquaredError:
		n.act = Identity
	default:
		return nil, fmt.Errorf("loss: unknown value %d", int(loss))
	}
	total := 0
	for _, s := range sizes {
		total += s
	}
	n.params = make([]float64, total)
	n.grads = make([]float64, total)
	n.bind(1)
	for _, ly := range layers {
		ly.Init(r)
	}
	return n, nil
}

func (n *Sequential) bind(batch int) {
	if batch <= n.cap {
		return
	}
	bindLayers(n.layers, n.sizes, n.params, n.grads, batch)
	n.cap = batch
	n.delta = grow(n.delta, n.k*batch)
	n.xpiece = grow(n.xpiece, n.in.Size()*batch)
	if len(n.out) < n.k*batch {
		n.out = make([]float64, n.k*batch)
	}
}

// WorkspacePerExample is the number of values (8 bytes each) the
// network's buffers hold per example of batch capacity: a training batch
// of B examples needs about 8·B·WorkspacePerExample() bytes besides the
// parameters. Callers that take the batch size from a user check it
// against their memory budget with this.
func (n *Sequential) WorkspacePerExample() int {
	w := 2*n.k + n.in.Size() // delta and output; a piece's input
	for _, ly := range n.layers {
		w += ly.Workspace()
	}
	return w
}

// Layers returns the network's layers.
func (n *Sequential) Layers() []Layer { return n.layers }

// Params returns the flat parameter vector; optimizers update it in place.
func (n *Sequential) Params() []float64 { return n.params }

// Grads returns the gradient of the last Backward, laid out as Params.
func (n *Sequential) Grads() []float64 { return n.grads }

// ParamsPerLayer returns the number of parameters of each layer, in the
// order Params holds them.
func (n *Sequential) ParamsPerLayer() []int { return append([]int(nil), n.sizes...) }

// Inputs is the number of values of one input example; Outputs the number
// of output units.
func (n *Sequential) Inputs() int  { return n.in.Size() }
func (n *Sequential) Outputs() int { return n.k }

// Forward computes the network's output for x, an Inputs()×batch
// row-major matrix (one example per column; see Shape for images). In
// training mode dropout masks are drawn from dropout and batch norm uses
// batch statistics and updates its running averages; otherwise dropout is
// off and batch norm uses its running averages.
func (n *Sequential) Forward(x []float64, batch int, train bool, dropout *rng.RandomState) {
	n.forward(x, batch, Mode{Train: train, Dropout: dropout})
}

func (n *Sequential) forward(x []float64, batch int, mode Mode) {
	d := n.in.Size()
	if batch < 1 || len(x) != d*batch {
		panic(fmt.Sprintf("nn: input has %d values, want %d×%d", len(x), d, batch))
	}
	n.batch, n.pieces = batch, false
	switch {
	case mode.Train:
		n.bind(batch)
		n.trained = true
	case !n.trained:
		n.bind(min(batch, SequentialMaxBatch))
	}
	if batch <= n.cap {
		n.activate(n.logits(x, batch, mode), batch, n.out[:n.k*batch])
		return
	}
	// Inference over more examples than the workspaces hold: gather
	// pieces of columns, run each and scatter its outputs.
	if len(n.out) < n.k*batch {
		n.out = make([]float64, n.k*batch)
	}
	n.pieces = true
	out := n.out[:n.k*batch]
	for lo := 0; lo < batch; lo += n.cap {
		B := min(n.cap, batch-lo)
		xp := n.xpiece[:d*B]
		for r := range d {
			copy(xp[r*B:(r+1)*B], x[r*batch+lo:r*batch+lo+B])
		}
		piece := n.delta[:n.k*B]
		n.activate(n.logits(xp, B, mode), B, piece)
		for r := range n.k {
			copy(out[r*batch+lo:r*batch+lo+B], piece[r*B:(r+1)*B])
		}
	}
}

func (n *Sequential) logits(x []float64, batch int, mode Mode) []float64 {
	h := x
	for _, ly := range n.layers {
		h = ly.Forward(h, batch, mode)
	}
	return h
}

func (n *Sequential) activate(z []float64, batch int, out []float64) {
	activate(n.act, out, z, n.k, batch, 0, 0)
}

// Output returns the output activations of the last Forward, an
// Outputs()×batch row-major view valid until the next Forward.
func (n *Sequential) Output() []float64 { return n.out[:n.k*n.batch] }

func (n *Sequential) checkTargets(y []float64) {
	if len(y) != n.k*n.batch {
		panic(fmt.Sprintf("nn: targets have %d values, want %d×%d", len(y), n.k, n.batch))
	}
}

// Loss returns the loss of the last Forward against y (Outputs()×batch),
// summed over the batch, as Network.Loss.
func (n *Sequential) Loss(y []float64) float64 {
	n.checkTargets(y)
	return lossSum(n.loss, n.Output(), y, n.k, false, &n.logs)
}

// Penalty is 0: a Sequential network has no weight penalty (use the
// optimizer's weight decay).
func (n *Sequential) Penalty(m int) float64 { return 0 }

// Backward computes Grads for the last Forward against targets y: the
// gradient of the batch mean of the loss, as Network.Backward.
func (n *Sequential) Backward(y []float64) {
	n.checkTargets(y)
	if n.pieces {
		panic("nn: Backward after an inference pass larger than the batch capacity")
	}
	B := n.batch
	inv := 1 / float64(B)
	delta, out := n.delta[:n.k*B], n.Output()
	switch n.loss {
	case BinaryCrossEntropy, SoftmaxCrossEntropy:
		// Sigmoid + BCE and softmax + CE both give dZ = A − Y.
		for j := range delta {
			delta[j] = inv * (out[j] - y[j])
		}
	default:
		scale := 2 * inv / float64(n.k)
		for j := range delta {
			delta[j] = scale * (out[j] - y[j])
		}
	}
	d := delta
	for i := len(n.layers) - 1; i >= 0; i-- {
		d = n.layers[i].Backward(d, i > 0)
	}
}

// Correct counts the examples of the last Forward classified correctly
// against y, as Network.Correct; -1 for squared error.
func (n *Sequential) Correct(y []float64) int {
	n.checkTargets(y)
	return countCorrect(n.loss, n.Output(), y, n.k, n.batch)
}

// SequentialObjective returns the training objective of n on the batch
// x, y, J(θ) = (1/B)·Σ loss, for CheckGradient. Dropout masks are drawn
// from dropout when the gradient is computed and then held fixed, and
// batch norm's running averages stay as they are while J is evaluated.
func SequentialObjective(n *Sequential, x, y []float64, batch int, dropout *rng.RandomState) Objective {
	return &sequentialObjective{n: n, x: x, y: y, batch: batch, dropout: dropout}
}

type sequentialObjective struct {
	n       *Sequential
	x, y    []float64
	batch   int
	dropout *rng.RandomState
}

func (o *sequentialObjective) Params() []float64 { return o.n.params }

func (o *sequentialObjective) Value() float64 {
	o.n.forward(o.x, o.batch, Mode{Train: true, Frozen: true})
	return o.n.Loss(o.y) / float64(o.batch)
}

func (o *sequentialObjective) Gradient() []float64 {
	o.n.forward(o.x, o.batch, Mode{Train: true, Dropout: o.dropout})
	o.n.Backward(o.y)
	return o.n.grads
}
