package nn

import (
	"fmt"
	"math"

	"github.com/optbench/optbench/engine/hparam"
	"github.com/optbench/optbench/engine/internal/gemm"
	"github.com/optbench/optbench/engine/internal/vecmath"
	"github.com/optbench/optbench/engine/rng"
)

// Config describes a fully connected network. The zero value of every field
// but Layers is usable.
type Config struct {
	// Layers are the unit counts from input to output, e.g. [2, 5, 2, 1]:
	// at least two entries, each ≥ 1.
	Layers []int
	// Hidden is the activation of hidden layers; default (Auto) ReLU.
	Hidden Activation
	// Output is the activation of the last layer; default (Auto) the one
	// that matches Loss.
	Output Activation
	// LeakySlope is the slope of LeakyReLU for z ≤ 0; default 0.01.
	LeakySlope float64
	// ELUAlpha is α of ELU; default 1.
	ELUAlpha float64
	// Loss is the training objective; default binary cross-entropy.
	Loss Loss
	// RawLog makes the cross-entropy losses take the raw logarithm, as the
	// DeepLearning.AI course's compute_loss does: a saturated prediction
	// (a = 0 or 1 against the other label) costs +Inf. A term whose label
	// weight is 0 contributes 0 even when its log is −Inf, as the course's
	// np.nansum drops the 0·∞ = NaN it gives. Default false: logarithms
	// are clamped at −100 (torch.nn.BCELoss), so every cost is finite.
	RawLog bool
	// PairwiseLoss makes Loss add the loss terms of a batch in the order
	// numpy's np.sum adds an array (see [PairwiseSum]) instead of left to
	// right, so that a cost a numpy reference computes as
	// np.sum(logprobs)/m comes out with numpy's bits when the terms are
	// numpy's (PairwiseSum is tested bit for bit against numpy 1.24.2 on
	// lengths 0 to 20 000). Default false: left to right.
	PairwiseLoss bool
	// Init is the weight initialization; default He normal.
	Init Init
	// InitScale is the standard deviation of RandomNormal; default 0.01.
	InitScale float64
	// L2 is λ of the course's penalty λ/(2m)·Σ‖W‖²; default 0 (off).
	L2 float64
	// L1 is λ₁ of the penalty λ₁/m·Σ|W|; default 0 (off).
	L1 float64
	// KeepProb is the inverted-dropout keep probability of each hidden
	// layer, in (0, 1]: one value for all hidden layers, or one per hidden
	// layer. Empty means no dropout.
	KeepProb []float64
	// BatchNorm normalizes the pre-activations of every hidden layer with
	// mini-batch statistics in training and running averages at inference
	// (Ioffe & Szegedy 2015). The layer's bias is replaced by β and a scale γ.
	BatchNorm bool
	// BNMomentum is the weight of the old value in the running averages,
	// running = m·running + (1−m)·batch, in [0, 1); default 0.9.
	BNMomentum float64
	// BNEps is added to the variance before the square root; default 1e-5.
	BNEps float64
}

// Limits that keep a mistyped size from exhausting memory.
const (
	MaxLayerSize = 1 << 20 // units in one layer
	MaxParams    = 1 << 27 // weights, biases and batch-norm scales (1 GiB of float64)
)

var (
	keepSpec     = hparam.Spec{Name: "keep_prob", Min: 0, Max: 1, MinOpen: true}
	l2Spec       = hparam.Spec{Name: "l2", Min: 0, Max: math.Inf(1)}
	l1Spec       = hparam.Spec{Name: "l1", Min: 0, Max: math.Inf(1)}
	slopeSpec    = hparam.Spec{Name: "leaky_slope", Min: 0, Max: 1, MaxOpen: true}
	eluSpec      = hparam.Spec{Name: "elu_alpha", Min: 0, Max: math.Inf(1), MinOpen: true}
	scaleSpec    = hparam.Spec{Name: "init_scale", Min: 0, Max: math.Inf(1), MinOpen: true}
	bnMomentSpec = hparam.Spec{Name: "bn_momentum", Min: 0, Max: 1, MaxOpen: true}
	bnEpsSpec    = hparam.Spec{Name: "bn_eps", Min: 0, Max: math.Inf(1), MinOpen: true}
)

// withDefaults returns c with zero fields replaced by their defaults.
func (c Config) withDefaults() Config {
	if c.Hidden == Auto {
		c.Hidden = ReLU
	}
	if c.Output == Auto {
		switch c.Loss {
		case BinaryCrossEntropy:
			c.Output = Sigmoid
		case SoftmaxCrossEntropy:
			c.Output = Softmax
		default:
			c.Output = Identity
		}
	}
	if c.LeakySlope == 0 {
		c.LeakySlope = 0.01
	}
	if c.ELUAlpha == 0 {
		c.ELUAlpha = 1
	}
	if c.InitScale == 0 {
		c.InitScale = 0.01
	}
	if c.BNMomentum == 0 {
		c.BNMomentum = 0.9
	}
	if c.BNEps == 0 {
		c.BNEps = 1e-5
	}
	return c
}

// Validate reports the first setting that is out of range, naming it and
// the allowed range.
func (c Config) Validate() error {
	if len(c.Layers) < 2 {
		return fmt.Errorf("layers: need at least an input and an output size, got %v", c.Layers)
	}
	params := 0
	for i, n := range c.Layers {
		if n < 1 || n > MaxLayerSize {
			return fmt.Errorf("layers[%d] = %d is outside the allowed range [1, %d]", i, n, MaxLayerSize)
		}
		if i > 0 {
			params += (c.Layers[i-1] + 2) * n
		}
	}
	if params > MaxParams {
		return fmt.Errorf("layers %v: about %d parameters, more than the %d allowed", c.Layers, params, MaxParams)
	}
	d := c.withDefaults()
	if d.Hidden == Softmax {
		return fmt.Errorf("hidden activation: softmax is allowed only at the output")
	}
	if d.Hidden < Auto || d.Hidden > Softmax {
		return fmt.Errorf("hidden activation: unknown value %d", int(d.Hidden))
	}
	if d.Loss < BinaryCrossEntropy || d.Loss > MeanSquaredError {
		return fmt.Errorf("loss: unknown value %d", int(d.Loss))
	}
	if d.Init < HeNormal || d.Init > Zeros {
		return fmt.Errorf("init: unknown value %d", int(d.Init))
	}
	out := c.Layers[len(c.Layers)-1]
	switch d.Loss {
	case BinaryCrossEntropy:
		if d.Output != Sigmoid {
			return fmt.Errorf("loss binary_cross_entropy needs a sigmoid output, not %s", d.Output)
		}
	case SoftmaxCrossEntropy:
		if d.Output != Softmax {
			return fmt.Errorf("loss softmax_cross_entropy needs a softmax output, not %s", d.Output)
		}
		if out < 2 {
			return fmt.Errorf("loss softmax_cross_entropy needs at least 2 output units, got %d", out)
		}
	case MeanSquaredError:
		if d.Output == Softmax {
			return fmt.Errorf("loss mse with a softmax output is not supported; use softmax_cross_entropy")
		}
	}
	hidden := len(c.Layers) - 2
	if len(c.KeepProb) > 1 && len(c.KeepProb) != hidden {
		return fmt.Errorf("keep_prob: give one value or one per hidden layer (%d), got %d", hidden, len(c.KeepProb))
	}
	for _, p := range c.KeepProb {
		if err := keepSpec.Check(p); err != nil {
			return err
		}
	}
	for _, chk := range []struct {
		s hparam.Spec
		v float64
	}{{l2Spec, c.L2}, {l1Spec, c.L1}, {slopeSpec, d.LeakySlope}, {eluSpec, d.ELUAlpha},
		{scaleSpec, d.InitScale}, {bnMomentSpec, d.BNMomentum}, {bnEpsSpec, d.BNEps}} {
		if err := chk.s.Check(chk.v); err != nil {
			return err
		}
	}
	return nil
}

type layer struct {
	in, out int
	act     Activation
	keep    float64 // dropout keep probability; 1 = off
	bn      bool

	w, dw     []float64 // out×in, views into the flat vectors
	b, db     []float64 // bias (or β with batch norm)
	g, dg     []float64 // γ with batch norm
	runMean   []float64 // batch-norm running averages
	runVar    []float64
	mean, inv []float64 // batch-norm statistics of the last training batch

	// Per-batch workspaces, out×B with stride B, grown on demand. a (and
	// act0, which it may share) holds one more row, of ones (see ones).
	z, zhat, act0, a, mask, delta []float64
	// ones is the batch size whose row of ones a holds after its out rows
	// (the bias's input for the next layer's weight gradient), 0 for none.
	ones int
}

// Network is a fully connected network with its parameters, gradients and
// workspaces. It is not safe for concurrent use.
type Network struct {
	cfg    Config
	layers []layer
	params []float64
	grads  []float64
	cap    int       // batch capacity of the workspaces
	batch  int       // size of the last forward batch
	x      []float64 // input of the last forward batch
	train  bool      // whether the last forward pass was in training mode
	frozen bool      // reuse the current dropout masks (gradient checking)
	terms  []float64 // loss terms of the last batch (Config.PairwiseLoss)
	logs   []float64 // the loss's logarithms (lossSum, lossTerms)
	xOnes  []float64 // the input and a row of ones, (inputs+1)×batch
	xOnesB int       // the batch size whose row of ones xOnes holds
	grad   []float64 // a layer's weight gradient and, last, its bias gradient: out×(in+1)
	mm     gemm.Workspace
}

// New builds a network and initializes its weights from r.
func New(cfg Config, r *rng.RandomState) (*Network, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	cfg.Layers = append([]int(nil), cfg.Layers...)
	n := &Network{cfg: cfg}
	L := len(cfg.Layers) - 1
	size := 0
	for l := 1; l <= L; l++ {
		size += cfg.Layers[l]*cfg.Layers[l-1] + cfg.Layers[l]
		if cfg.BatchNorm && l < L {
			size += cfg.Layers[l]
		}
	}
	n.params = make([]float64, size)
	n.grads = make([]float64, size)
	off := 0
	take := func(k int) ([]float64, []float64) {
		p, g := n.params[off:off+k:off+k], n.grads[off:off+k:off+k]
		off += k
		return p, g
	}
	n.layers = make([]layer, L)
	for i := range n.layers {
		ly := &n.layers[i]
		ly.in, ly.out = cfg.Layers[i], cfg.Layers[i+1]
		ly.act, ly.keep = cfg.Hidden, 1
		if i == L-1 {
			ly.act = cfg.Output
		} else {
			ly.bn = cfg.BatchNorm
			switch len(cfg.KeepProb) {
			case 0:
			case 1:
				ly.keep = cfg.KeepProb[0]
			default:
				ly.keep = cfg.KeepProb[i]
			}
		}
		ly.w, ly.dw = take(ly.out * ly.in)
		ly.b, ly.db = take(ly.out)
		if ly.bn {
			ly.g, ly.dg = take(ly.out)
			for j := range ly.g {
				ly.g[j] = 1
			}
			ly.runMean = make([]float64, ly.out)
			ly.runVar = make([]float64, ly.out)
			for j := range ly.runVar {
				ly.runVar[j] = 1
			}
			ly.mean = make([]float64, ly.out)
			ly.inv = make([]float64, ly.out)
		}
	}
	for i := range n.layers {
		ly := &n.layers[i]
		cfg.Init.fill(ly.w, ly.in, ly.out, cfg.InitScale, r)
	}
	return n, nil
}

// Config returns the network's configuration with defaults filled in.
func (n *Network) Config() Config { return n.cfg }

// Params returns the flat parameter vector. Per layer it holds W
// (row-major, n_l × n_{l−1}), then b (β with batch norm), then γ with
// batch norm. Optimizers update it in place.
func (n *Network) Params() []float64 { return n.params }

// Grads returns the gradient of the last Backward, laid out as Params.
func (n *Network) Grads() []float64 { return n.grads }

// Inputs is the number of input features; Outputs the number of output units.
func (n *Network) Inputs() int  { return n.cfg.Layers[0] }
func (n *Network) Outputs() int { return n.cfg.Layers[len(n.cfg.Layers)-1] }

// Weights returns the weight matrix of layer l (1-based, as in the course)
// as a row-major view, and its shape.
func (n *Network) Weights(l int) (w []float64, rows, cols int) {
	ly := &n.layers[l-1]
	return ly.w, ly.out, ly.in
}

// Bias returns the bias vector of layer l (1-based).
func (n *Network) Bias(l int) []float64 { return n.layers[l-1].b }

func (n *Network) grow(batch int) {
	if batch <= n.cap {
		return
	}
	for i := range n.layers {
		ly := &n.layers[i]
		k := ly.out * batch
		ly.z = make([]float64, k)
		ly.act0 = make([]float64, k+batch)
		ly.delta = make([]float64, k)
		if ly.keep < 1 {
			ly.a = make([]float64, k+batch)
			ly.mask = make([]float64, k)
		} else {
			ly.a = ly.act0
		}
		ly.ones = 0
		if ly.bn {
			ly.zhat = make([]float64, k)
		}
	}
	if n.grad == nil {
		size := 0
		for i := range n.layers {
			size = max(size, n.layers[i].out*(n.layers[i].in+1))
		}
		n.grad = make([]float64, size)
	}
	n.cap = batch
}

// Forward computes the network's output for x, a d×batch row-major matrix
// (one example per column). In training mode, dropout masks are drawn from
// dropout (one uniform per unit, row-major, as numpy's rand(n_l, B)) and
// batch-norm layers use batch statistics and update their running averages.
// Outside training mode dropout is off and batch norm uses the running
// averages. dropout may be nil when no layer drops units.
func (n *Network) Forward(x []float64, batch int, train bool, dropout *rng.RandomState) {
	if len(x) != n.Inputs()*batch {
		panic(fmt.Sprintf("nn: input has %d values, want %d×%d", len(x), n.Inputs(), batch))
	}
	n.grow(batch)
	n.batch, n.x, n.train = batch, x, train
	prev := x
	for i := range n.layers {
		ly := &n.layers[i]
		k := ly.out * batch
		z := ly.z[:k]
		if batch > ly.ones {
			ly.ones = 0 // the activations below overwrite the row of ones
		}
		act := ly.act0[:k]
		if ly.bn {
			n.mul(gemm.NoTrans, gemm.NoTrans, matrix(ly.w, ly.out, ly.in), matrix(prev, ly.in, batch), matrix(z, ly.out, batch))
			n.normalize(ly, z, batch, train)
			activate(ly.act, act, z, ly.out, batch, n.cfg.LeakySlope, n.cfg.ELUAlpha)
		} else {
			// z = W·prev, then + b, one rounding each; ReLU's max(0, z)
			// in the same pass (vecmath.ReLU's bits, gemm.Epilogue).
			e := gemm.Epilogue{Bias: ly.b}
			if ly.act == ReLU {
				e.ReLU = matrix(act, ly.out, batch)
			}
			n.mm.MulWith(gemm.NoTrans, matrix(ly.w, ly.out, ly.in), matrix(prev, ly.in, batch), matrix(z, ly.out, batch), e)
			if ly.act != ReLU {
				activate(ly.act, act, z, ly.out, batch, n.cfg.LeakySlope, n.cfg.ELUAlpha)
			}
		}
		if ly.keep < 1 {
			a, mask := ly.a[:k], ly.mask[:k]
			if train && !n.frozen {
				if dropout == nil {
					panic("nn: dropout layer without a random source")
				}
				for j := range mask {
					if dropout.Float64() < ly.keep {
						mask[j] = 1
					} else {
						mask[j] = 0
					}
				}
			}
			if train {
				// Inverted dropout as in the course: A = A·D, then A /= keep_prob.
				for j := range a {
					a[j] = act[j] * mask[j] / ly.keep
				}
			} else {
				copy(a, act)
			}
		}
		prev = ly.a[:k]
	}
}

// normalize applies batch normalization to z in place: z ← γ·ẑ + β.
func (n *Network) normalize(ly *layer, z []float64, batch int, train bool) {
	mom, eps := n.cfg.BNMomentum, n.cfg.BNEps
	zhat := ly.zhat[:len(z)]
	for r := 0; r < ly.out; r++ {
		row := z[r*batch : (r+1)*batch]
		var mean, inv float64
		if train {
			for _, v := range row {
				mean += v
			}
			mean /= float64(batch)
			var vr float64
			for _, v := range row {
				d := v - mean
				vr += float64(d * d)
			}
			vr /= float64(batch)
			inv = 1 / math.Sqrt(vr+eps)
			ly.mean[r], ly.inv[r] = mean, inv
			ly.runMean[r] = float64(mom*ly.runMean[r]) + float64((1-mom)*mean)
			ly.runVar[r] = float64(mom*ly.runVar[r]) + float64((1-mom)*vr)
		} else {
			mean, inv = ly.runMean[r], 1/math.Sqrt(ly.runVar[r]+eps)
		}
		h := zhat[r*batch : (r+1)*batch]
		g, b := ly.g[r], ly.b[r]
		for c, v := range row {
			h[c] = (v - mean) * inv
			row[c] = float64(g*h[c]) + b
		}
	}
}

// Output returns the activations of the last layer after Forward, an
// outputs×batch row-major view valid until the next Forward.
func (n *Network) Output() []float64 {
	ly := &n.layers[len(n.layers)-1]
	return ly.a[:ly.out*n.batch]
}

// Loss returns the data loss of the last Forward against y (outputs×batch,
// row-major), summed over the batch: left to right, or in numpy's pairwise
// order over the outputs×batch terms in that layout under
// Config.PairwiseLoss. Regularization is not included; see Penalty.
func (n *Network) Loss(y []float64) float64 {
	n.checkTargets(y)
	a := n.Output()
	if !n.cfg.PairwiseLoss {
		return lossSum(n.cfg.Loss, a, y, n.Outputs(), n.cfg.RawLog, &n.logs)
	}
	if cap(n.terms) < len(a) {
		n.terms = make([]float64, len(a))
	}
	terms := n.terms[:len(a)]
	lossTerms(terms, n.cfg.Loss, a, y, n.cfg.RawLog, &n.logs)
	sum := PairwiseSum(terms)
	if n.cfg.Loss == MeanSquaredError {
		sum /= float64(n.Outputs())
	}
	return sum
}

func (n *Network) checkTargets(y []float64) {
	if len(y) != n.Outputs()*n.batch {
		panic(fmt.Sprintf("nn: targets have %d values, want %d×%d", len(y), n.Outputs(), n.batch))
	}
}

// Penalty returns the regularization term λ/(2m)·Σ‖W‖² + λ₁/m·Σ|W| for a
// set of m examples.
func (n *Network) Penalty(m int) float64 {
	if n.cfg.L2 == 0 && n.cfg.L1 == 0 {
		return 0
	}
	var sq, abs float64
	for i := range n.layers {
		for _, w := range n.layers[i].w {
			sq += float64(w * w)
			abs += math.Abs(w)
		}
	}
	return float64(n.cfg.L2/(2*float64(m))*sq) + float64(n.cfg.L1/float64(m)*abs)
}

// Backward computes Grads for the last Forward against targets y: the
// gradient of the batch mean of the loss plus Penalty(batch), as in the
// course (dZ_L = (1/B)·(A_L − Y); dW += λ/B·W).
func (n *Network) Backward(y []float64) {
	n.checkTargets(y)
	B := n.batch
	inv := 1 / float64(B)
	last := &n.layers[len(n.layers)-1]
	k := last.out * B
	delta, out := last.delta[:k], last.a[:k]
	switch {
	case n.cfg.Loss == BinaryCrossEntropy || n.cfg.Loss == SoftmaxCrossEntropy:
		// Sigmoid + BCE and softmax + CE both give dZ = A − Y.
		vecmath.ScaledDiff(delta, out, y, inv)
	default: // mean squared error over k outputs
		scale := 2 * inv / float64(last.out)
		for j := range delta {
			delta[j] = scale * (out[j] - y[j])
		}
		backprop(last.act, delta, last.z[:k], last.act0[:k], n.cfg.LeakySlope, n.cfg.ELUAlpha)
	}
	// The deltas first, last layer to first, then the gradients of the
	// weights and biases. Each gradient is the same chain of operations in
	// any order of the layers.
	for i := len(n.layers) - 1; i >= 0; i-- {
		ly := &n.layers[i]
		delta := ly.delta[:ly.out*B]
		if ly.bn {
			n.normalizeBackward(ly, delta, B)
		}
		if i == 0 {
			break
		}
		p := &n.layers[i-1]
		pk := p.out * B
		pd := p.delta[:pk]
		if p.act == ReLU && !(p.keep < 1 && n.train) {
			// δ_prev = Wᵀδ times ReLU's derivative at z in the same pass
			// (vecmath.ReLU's bits, gemm.Epilogue).
			n.mm.MulWith(gemm.Trans, matrix(ly.w, ly.out, ly.in), matrix(delta, ly.out, B), matrix(pd, p.out, B),
				gemm.Epilogue{Mask: matrix(p.z[:pk], p.out, B)})
			continue
		}
		n.mul(gemm.Trans, gemm.NoTrans, matrix(ly.w, ly.out, ly.in), matrix(delta, ly.out, B), matrix(pd, p.out, B))
		if p.keep < 1 && n.train {
			mask := p.mask[:pk]
			for j := range pd {
				pd[j] = pd[j] * mask[j] / p.keep
			}
		}
		backprop(p.act, pd, p.z[:pk], p.act0[:pk], n.cfg.LeakySlope, n.cfg.ELUAlpha)
	}
	for i := len(n.layers) - 1; i >= 0; i-- {
		ly := &n.layers[i]
		delta := matrix(ly.delta[:ly.out*B], ly.out, B)
		prev := n.x
		if i > 0 {
			prev = n.layers[i-1].a[:n.layers[i-1].out*B]
		}
		if ly.bn || ly.in*ly.out > onesWork {
			if !ly.bn {
				rowSums(ly.db, delta.Data, ly.out, B)
			}
			n.mul(gemm.NoTrans, gemm.Trans, delta, matrix(prev, ly.in, B), matrix(ly.dw, ly.out, ly.in))
		} else {
			// A small layer: [dW | db] = δ·[prev; 1]ᵀ. The bias gradient is
			// the chain of fma(δ, 1, s) = s + δ, the sum of δ's row left to
			// right as rowSums takes it, computed in a spare lane of the
			// weight gradient's pass (the product's chains wait on the
			// FMA's latency, not on its throughput).
			prevOnes := n.withOnes(i, B)
			grad := n.grad[:ly.out*(ly.in+1)]
			n.mul(gemm.NoTrans, gemm.Trans, delta, matrix(prevOnes, ly.in+1, B), matrix(grad, ly.out, ly.in+1))
			for r := 0; r < ly.out; r++ {
				row := grad[r*(ly.in+1) : (r+1)*(ly.in+1)]
				dw := ly.dw[r*ly.in : (r+1)*ly.in]
				for j := range dw { // a few values: a loop, not memmove's call
					dw[j] = row[j]
				}
				ly.db[r] = row[ly.in]
			}
		}
		if l2 := n.cfg.L2; l2 != 0 {
			for j, w := range ly.w {
				ly.dw[j] += float64(l2 * w * inv)
			}
		}
		if l1 := n.cfg.L1; l1 != 0 {
			for j, w := range ly.w {
				switch {
				case w > 0:
					ly.dw[j] += float64(l1 * inv)
				case w < 0:
					ly.dw[j] -= float64(l1 * inv)
				}
			}
		}
	}
}

// onesWork bounds the weights of a layer whose bias gradient Backward takes
// in the weight gradient's pass: past it, copying the input and the
// gradient costs more than the separate sum saves.
const onesWork = 64

// withOnes returns the input of layer i for a batch of B followed by a row
// of B ones, an (in+1)×B matrix: the previous layer's activations, which
// have room for the row, or a copy of the network's input.
func (n *Network) withOnes(i, B int) []float64 {
	in := n.layers[i].in
	if i == 0 {
		need := (in + 1) * B
		if cap(n.xOnes) < need {
			n.xOnes = make([]float64, (in+1)*n.cap)
			n.xOnesB = 0
		}
		buf := n.xOnes[:need]
		copy(buf, n.x[:in*B])
		if n.xOnesB != B {
			fillOnes(buf[in*B:])
			n.xOnesB = B
		}
		return buf
	}
	p := &n.layers[i-1]
	buf := p.a[:(in+1)*B]
	if p.ones != B {
		fillOnes(buf[in*B:])
		p.ones = B
	}
	return buf
}

func fillOnes(x []float64) {
	for i := range x {
		x[i] = 1
	}
}

// normalizeBackward turns delta = dL/d(γẑ+β) into dL/dZ in place and
// writes dγ and dβ.
func (n *Network) normalizeBackward(ly *layer, delta []float64, B int) {
	zhat := ly.zhat[:len(delta)]
	fb := float64(B)
	for r := 0; r < ly.out; r++ {
		d, h := delta[r*B:(r+1)*B], zhat[r*B:(r+1)*B]
		var sumD, sumDH float64
		for c := range d {
			sumD += d[c]
			sumDH += float64(d[c] * h[c])
		}
		ly.db[r], ly.dg[r] = sumD, sumDH
		if !n.train {
			// Inference statistics are constants: dZ = γ·inv·δ.
			s := ly.g[r] / math.Sqrt(ly.runVar[r]+n.cfg.BNEps)
			for c := range d {
				d[c] *= s
			}
			continue
		}
		// dẑ = γ·δ; dZ = inv/B·(B·dẑ − Σdẑ − ẑ·Σ(dẑ·ẑ)).
		g, inv := ly.g[r], ly.inv[r]
		for c := range d {
			d[c] = g * inv / fb * (float64(fb*d[c]) - sumD - float64(h[c]*sumDH))
		}
	}
}

// Correct counts the examples of the last Forward that are classified
// correctly against y: a > 0.5 against y for a single sigmoid unit (the
// course's predict), all units right for several sigmoid units, and the
// arg max for softmax. It returns -1 for squared error, which has no
// notion of a class.
func (n *Network) Correct(y []float64) int {
	n.checkTargets(y)
	return countCorrect(n.cfg.Loss, n.Output(), y, n.Outputs(), n.batch)
}

// countCorrect is Correct's rule on a k×B output block, one example per
// column; Sequential.Correct counts with it too.
func countCorrect(loss Loss, out, y []float64, k, B int) int {
	count := 0
	switch loss {
	case BinaryCrossEntropy:
		// Without data-dependent branches (half the predictions would
		// mispredict): the prediction is 1 where a > 0.5, else 0, and an
		// example counts when all its units equal their targets.
		if k == 1 {
			return vecmath.Hits(out, y)
		}
		for c := 0; c < B; c++ {
			ok := 1
			for r := 0; r < k; r++ {
				p := float64(b2i(out[r*B+c] > 0.5))
				ok &= b2i(p == y[r*B+c])
			}
			count += ok
		}
	case SoftmaxCrossEntropy:
		for c := 0; c < B; c++ {
			best, want := 0, 0
			for r := 1; r < k; r++ {
				if out[r*B+c] > out[best*B+c] {
					best = r
				}
				if y[r*B+c] > y[want*B+c] {
					want = r
				}
			}
			if best == want {
				count++
			}
		}
	default:
		return -1
	}
	return count
}

// rowSums sets dst[r] to the sum of row r of the rows×cols block x, left to
// right. Up to eight rows' sums run side by side: each is a chain of
// dependent additions, which one row at a time would wait on. A group of
// five to seven rows (the course network's first layer has five) runs as
// eight, its last row standing in for the missing ones, so that it takes
// one pass, not two.
func rowSums(dst, x []float64, rows, cols int) {
	r := 0
	for ; rows-r >= 5; r += 8 {
		var i [8]int
		for k := range i {
			i[k] = r + min(k, rows-r-1)
		}
		x0, x1, x2, x3 := x[i[0]*cols:][:cols], x[i[1]*cols:][:cols], x[i[2]*cols:][:cols], x[i[3]*cols:][:cols]
		x4, x5, x6, x7 := x[i[4]*cols:][:cols], x[i[5]*cols:][:cols], x[i[6]*cols:][:cols], x[i[7]*cols:][:cols]
		var s0, s1, s2, s3, s4, s5, s6, s7 float64
		for c := range x0 {
			s0 += x0[c]
			s1 += x1[c]
			s2 += x2[c]
			s3 += x3[c]
			s4 += x4[c]
			s5 += x5[c]
			s6 += x6[c]
			s7 += x7[c]
		}
		dst[i[7]], dst[i[6]], dst[i[5]], dst[i[4]] = s7, s6, s5, s4
		dst[i[3]], dst[i[2]], dst[i[1]], dst[i[0]] = s3, s2, s1, s0
	}
	for ; rows-r >= 3; r += 4 {
		i3 := r + min(3, rows-r-1)
		x0, x1 := x[r*cols:][:cols], x[(r+1)*cols:][:cols]
		x2, x3 := x[(r+2)*cols:][:cols], x[i3*cols:][:cols]
		var s0, s1, s2, s3 float64
		for c := range x0 {
			s0 += x0[c]
			s1 += x1[c]
			s2 += x2[c]
			s3 += x3[c]
		}
		dst[i3], dst[r+2], dst[r+1], dst[r] = s3, s2, s1, s0
	}
	for ; r+2 <= rows; r += 2 {
		x0, x1 := x[r*cols:(r+1)*cols], x[(r+1)*cols:(r+2)*cols]
		var s0, s1 float64
		for c := range x0 {
			s0 += x0[c]
			s1 += x1[c]
		}
		dst[r], dst[r+1] = s0, s1
	}
	for ; r < rows; r++ {
		var s float64
		for _, v := range x[r*cols : (r+1)*cols] {
			s += v
		}
		dst[r] = s
	}
}

// b2i is 1 for true and 0 for false (compiled to a flag read, no branch).
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
