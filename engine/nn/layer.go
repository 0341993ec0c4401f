package nn

import (
	"fmt"

	"github.com/optbench/optbench/engine/rng"
)

// Shape is the shape of one example: [features] for a vector, [C, H, W]
// for an image with C channels of H rows and W columns.
//
// A batch of B examples is stored as in the rest of the package, one
// example per column: the features of an example, in row-major order of
// its shape, down the rows, and the B examples along each row. Element
// (c, h, w) of example b of a [C, H, W] batch is at ((c·H + h)·W + w)·B + b.
// Flattening [C, H, W] to [C·H·W] (torch.flatten of an N×C×H×W tensor from
// dimension 1) therefore moves no data, and a dense layer's batch is the
// course's n×B matrix.
type Shape []int

// Size is the number of values of one example.
func (s Shape) Size() int {
	n := 1
	for _, d := range s {
		n *= d
	}
	return n
}

func (s Shape) String() string { return fmt.Sprint([]int(s)) }

// check reports a shape with no dimensions, a dimension outside
// [1, MaxLayerSize] or more than MaxLayerSize values, naming the layer.
func (s Shape) check(layer string) error {
	if len(s) == 0 {
		return fmt.Errorf("%s: empty input shape", layer)
	}
	for _, d := range s {
		if d < 1 || d > MaxLayerSize {
			return fmt.Errorf("%s: input shape %v has a dimension outside [1, %d]", layer, s, MaxLayerSize)
		}
	}
	if s.Size() > MaxLayerSize {
		return fmt.Errorf("%s: input shape %v has more than %d values", layer, s, MaxLayerSize)
	}
	return nil
}

// image returns C, H, W of a [C, H, W] shape, or an error naming the layer.
func (s Shape) image(layer string) (c, h, w int, err error) {
	if len(s) != 3 {
		return 0, 0, 0, fmt.Errorf("%s: input shape %v is not [channels, height, width]", layer, s)
	}
	if err := s.check(layer); err != nil {
		return 0, 0, 0, err
	}
	return s[0], s[1], s[2], nil
}

// Mode says how a forward pass runs.
type Mode struct {
	// Train selects training behaviour: batch statistics in batch norm
	// (and updates of its running averages), dropout on. Otherwise batch
	// norm uses its running averages and dropout passes values through.
	Train bool
	// Dropout draws dropout masks in training; needed only when a layer
	// drops units.
	Dropout *rng.RandomState
	// Frozen reuses the dropout masks of the last training pass instead of
	// drawing new ones, and leaves batch norm's running averages as they
	// are, so that a gradient check differentiates one fixed function
	// without side effects.
	Frozen bool
}

// Layer is one stage of a Sequential network. A layer is planned once
// for the shape of one input example, then bound to its parameters and
// sized for a batch capacity; Forward and Backward then allocate nothing.
//
// Layers are not safe for concurrent use and keep the state of their last
// Forward (inputs, masks, statistics) for Backward.
type Layer interface {
	// Plan checks the shape of one input example and returns the shape of
	// one output example and the number of parameters the layer needs.
	// It is called once, before Bind.
	Plan(in Shape) (out Shape, params int, err error)
	// Bind gives the layer views of its parameters and of their gradients
	// (each of the length Plan returned, inside the network's flat
	// vectors) and sizes its workspaces for batches of up to maxBatch
	// examples. It may be called again with a larger maxBatch.
	Bind(params, grads []float64, maxBatch int)
	// Workspace is the number of values (8 bytes each) the layer's
	// buffers hold per example of batch capacity, after Plan: Bind with
	// maxBatch allocates about maxBatch·Workspace() values, so that a
	// caller can refuse a batch too large for memory before binding.
	Workspace() int
	// Init draws the layer's initial parameters from r.
	Init(r *rng.RandomState)
	// Forward computes the layer's output for a batch x of at most
	// maxBatch examples and returns it as a view of the layer's own
	// buffer, valid until the next Forward. x must stay unchanged until
	// Backward.
	Forward(x []float64, batch int, mode Mode) []float64
	// Backward takes dL/dy for the output of the last Forward, writes
	// dL/dθ into the gradient view (overwriting it) and, when needDx,
	// returns dL/dx as a view of the layer's own buffer. It does not
	// modify dy, and is called at most once after each Forward (a layer
	// may reuse its saved inputs' storage).
	Backward(dy []float64, needDx bool) []float64
}

// grow returns buf with length n, reusing its storage when it is large
// enough.
func grow(buf []float64, n int) []float64 {
	if cap(buf) >= n {
		return buf[:n]
	}
	return make([]float64, n)
}

func checkBatch(layer string, x []float64, size, batch, maxBatch int) {
	if batch < 1 || batch > maxBatch {
		panic(fmt.Sprintf("nn: %s: batch of %d examples, capacity %d", layer, batch, maxBatch))
	}
	if len(x) != size*batch {
		panic(fmt.Sprintf("nn: %s: input has %d values, want %d×%d", layer, len(x), size, batch))
	}
}

// planLayers plans layers in turn from the shape in and returns the shape
// after each layer and the parameter count of each.
func planLayers(in Shape, layers []Layer) (shapes []Shape, sizes []int, err error) {
	shape := in
	total := 0
	for i, ly := range layers {
		out, n, err := ly.Plan(shape)
		if err != nil {
			return nil, nil, fmt.Errorf("layer %d: %w", i+1, err)
		}
		if n < 0 || total+n > MaxParams {
			return nil, nil, fmt.Errorf("layer %d: more than the %d parameters allowed", i+1, MaxParams)
		}
		total += n
		shapes = append(shapes, out)
		sizes = append(sizes, n)
		shape = out
	}
	return shapes, sizes, nil
}

// bindLayers binds layers to consecutive parts of params and grads.
func bindLayers(layers []Layer, sizes []int, params, grads []float64, maxBatch int) {
	off := 0
	for i, ly := range layers {
		n := sizes[i]
		ly.Bind(params[off:off+n:off+n], grads[off:off+n:off+n], maxBatch)
		off += n
	}
}
