package optim

import "math"

// AdamaxConfig configures Adamax.
type AdamaxConfig struct {
	// Beta1 is the decay β1 of the first moment, in [0, 1); default 0.9.
	Beta1 float64
	// Beta2 is the decay β2 of the infinity norm, in [0, 1); default 0.999.
	Beta2 float64
	// Eps is added to |g| before it enters the infinity norm, in gradient
	// units, in (0, ∞); default 1e-8.
	Eps float64
	// WeightDecay is the L2 penalty λ added to the gradient as λθ; default 0.
	WeightDecay float64
}

// DefaultAdamaxConfig holds torch.optim.Adamax's defaults (torch's default
// learning rate, 2e-3, is the caller's to choose).
var DefaultAdamaxConfig = AdamaxConfig{Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}

// Adamax is Adam with the infinity norm in place of the second moment
// (Kingma and Ba, 2015, Algorithm 2), with the semantics and order of
// operations of torch.optim.Adamax. With learning rate α at step t,
// starting from m = u = 0:
//
//	g ← g + λθ
//	m ← β1·m + (1 − β1)·g
//	u ← max(β2·u, |g| + ε)
//	θ ← θ − (α/(1 − β1^t))·m/u
//
// As in torch, ε is added to |g| inside the maximum, not to u; the paper
// has no ε.
type Adamax struct {
	cfg AdamaxConfig
	t   int
	m   []float64
	u   []float64
}

var _ Optimizer = (*Adamax)(nil)

// NewAdamax returns Adamax configured by cfg.
func NewAdamax(cfg AdamaxConfig) (*Adamax, error) {
	if err := check("adamax", cfg.fields()); err != nil {
		return nil, err
	}
	return &Adamax{cfg: cfg}, nil
}

func (c AdamaxConfig) fields() []field {
	d := DefaultAdamaxConfig
	return []field{
		{beta1Spec(d.Beta1), c.Beta1},
		{decaySpec("beta2", d.Beta2, "decay of the infinity norm"), c.Beta2},
		{positiveSpec("eps", d.Eps, "added to |g| before the maximum"), c.Eps},
		{weightDecaySpec(d.WeightDecay), c.WeightDecay},
	}
}

func adamaxFromSettings(v map[string]float64) AdamaxConfig {
	return AdamaxConfig{Beta1: v["beta1"], Beta2: v["beta2"], Eps: v["eps"], WeightDecay: v["weight_decay"]}
}

// Step applies one update.
func (o *Adamax) Step(params, grads []float64, lr float64) {
	n := checkLengths("adamax", params, grads, o.t > 0, len(o.m))
	if o.t == 0 {
		o.m = filled(o.m, n, 0)
		o.u = filled(o.u, n, 0)
	}
	o.t++
	cfg := o.cfg
	b1, b2, eps, wd := cfg.Beta1, cfg.Beta2, cfg.Eps, cfg.WeightDecay
	c1 := 1 - b1
	clr := lr / (1 - powInt(b1, o.t))
	g, m, u := grads[:n], o.m[:n], o.u[:n]
	for i, p := range params {
		gi := g[i] + float64(wd*p)
		mi := float64(b1*m[i]) + float64(c1*gi)
		ui := math.Max(b2*u[i], math.Abs(gi)+eps)
		m[i], u[i] = mi, ui
		params[i] = p - clr*mi/ui
	}
}

// Reset forgets the moment, the norm and the step count.
func (o *Adamax) Reset() { o.t = 0 }
