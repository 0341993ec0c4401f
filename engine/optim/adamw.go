package optim

import "math"

// AdamWConfig configures AdamW.
type AdamWConfig struct {
	// Beta1 is the decay β1 of the first moment, in [0, 1); default 0.9.
	Beta1 float64
	// Beta2 is the decay β2 of the second moment, in [0, 1); default 0.999.
	Beta2 float64
	// Eps is added to the root of the second moment, in gradient units, in
	// (0, ∞); default 1e-8.
	Eps float64
	// WeightDecay is the decoupled decay λ: each step multiplies θ by
	// 1 − α·λ, per unit of learning rate, in [0, ∞); default 0.01 (torch's).
	WeightDecay float64
}

// DefaultAdamWConfig holds torch.optim.AdamW's defaults.
var DefaultAdamWConfig = AdamWConfig{Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: 0.01}

// AdamW is Adam with decoupled weight decay (Loshchilov and Hutter, 2019),
// with the semantics and order of operations of torch.optim.AdamW
// (amsgrad=False). With learning rate α at step t, starting from m = s = 0:
//
//	θ ← θ·(1 − α·λ)
//	m ← β1·m + (1 − β1)·g
//	s ← β2·s + (1 − β2)·g²
//	θ ← θ − (α/(1 − β1^t))·m / (√s/√(1 − β2^t) + ε)
//
// The decay is scaled by the learning rate, as in torch, so a schedule
// shrinks it too; the paper's separate schedule multiplier is not modelled.
type AdamW struct {
	cfg AdamWConfig
	t   int
	m   []float64
	s   []float64
}

var _ Optimizer = (*AdamW)(nil)

// NewAdamW returns AdamW configured by cfg.
func NewAdamW(cfg AdamWConfig) (*AdamW, error) {
	if err := check("adamw", cfg.fields()); err != nil {
		return nil, err
	}
	return &AdamW{cfg: cfg}, nil
}

func (c AdamWConfig) fields() []field {
	d := DefaultAdamWConfig
	return []field{
		{beta1Spec(d.Beta1), c.Beta1},
		{beta2Spec(d.Beta2), c.Beta2},
		{epsSpec(d.Eps), c.Eps},
		{nonNegativeSpec("weight_decay", d.WeightDecay, "decoupled decay λ: θ ← θ·(1 − lr·λ) each step"), c.WeightDecay},
	}
}

func adamWFromSettings(v map[string]float64) AdamWConfig {
	return AdamWConfig{Beta1: v["beta1"], Beta2: v["beta2"], Eps: v["eps"], WeightDecay: v["weight_decay"]}
}

// Step applies one update.
func (o *AdamW) Step(params, grads []float64, lr float64) {
	n := checkLengths("adamw", params, grads, o.t > 0, len(o.m))
	if o.t == 0 {
		o.m = filled(o.m, n, 0)
		o.s = filled(o.s, n, 0)
	}
	o.t++
	cfg := o.cfg
	b1, b2, eps := cfg.Beta1, cfg.Beta2, cfg.Eps
	c1, c2 := 1-b1, 1-b2
	decay := 1 - float64(lr*cfg.WeightDecay)
	stepSize := lr / (1 - powInt(b1, o.t))
	bc2Sqrt := math.Sqrt(1 - powInt(b2, o.t))
	g, m, s := grads[:n], o.m[:n], o.s[:n]
	for i, p := range params {
		p = float64(p * decay) // rounded: p feeds the subtraction below
		gi := g[i]
		mi := float64(b1*m[i]) + float64(c1*gi)
		si := float64(b2*s[i]) + float64(c2*gi*gi)
		m[i], s[i] = mi, si
		params[i] = p - stepSize*mi/(math.Sqrt(si)/bc2Sqrt+eps)
	}
}

// Reset forgets the moments and the step count.
func (o *AdamW) Reset() { o.t = 0 }
