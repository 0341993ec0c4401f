package optim

// NesterovConfig configures Nesterov momentum in torch's form.
type NesterovConfig struct {
	// Momentum is the velocity's decay μ, in [0, 1); default 0.9.
	Momentum float64
	// WeightDecay is the L2 penalty λ added to the gradient as λθ; default 0.
	WeightDecay float64
}

// DefaultNesterovConfig is μ = 0.9 without weight decay.
var DefaultNesterovConfig = NesterovConfig{Momentum: 0.9}

// Nesterov is Nesterov's accelerated gradient in the form of Sutskever et
// al. (2013) that torch.optim.SGD(momentum=μ, nesterov=True, weight_decay=λ)
// implements. With learning rate α, starting from v = 0:
//
//	g ← g + λθ
//	v ← μ·v + g
//	θ ← θ − α·(g + μ·v)
//
// torch requires dampening = 0 with nesterov=True, so there is no dampening
// setting; starting from v = 0 is then the same as torch's copying the first
// gradient into v.
type Nesterov struct {
	cfg NesterovConfig
	t   int
	v   []float64
}

var _ Optimizer = (*Nesterov)(nil)

// NewNesterov returns Nesterov momentum configured by cfg.
func NewNesterov(cfg NesterovConfig) (*Nesterov, error) {
	if err := check("nesterov", cfg.fields()); err != nil {
		return nil, err
	}
	return &Nesterov{cfg: cfg}, nil
}

func (c NesterovConfig) fields() []field {
	d := DefaultNesterovConfig
	return []field{
		{decaySpec("momentum", d.Momentum, "velocity decay μ"), c.Momentum},
		{weightDecaySpec(d.WeightDecay), c.WeightDecay},
	}
}

func nesterovFromSettings(v map[string]float64) NesterovConfig {
	return NesterovConfig{Momentum: v["momentum"], WeightDecay: v["weight_decay"]}
}

// Step applies one update.
func (o *Nesterov) Step(params, grads []float64, lr float64) {
	n := checkLengths("nesterov", params, grads, o.t > 0, len(o.v))
	if o.t == 0 {
		o.v = filled(o.v, n, 0)
	}
	o.t++
	mu, wd := o.cfg.Momentum, o.cfg.WeightDecay
	g, v := grads[:n], o.v[:n]
	for i, p := range params {
		gi := g[i] + float64(wd*p)
		vi := float64(mu*v[i]) + gi
		v[i] = vi
		params[i] = p - float64(lr*(gi+float64(mu*vi)))
	}
}

// Reset forgets the velocity.
func (o *Nesterov) Reset() { o.t = 0 }
