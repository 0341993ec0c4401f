package optim

import "math"

// RMSPropConfig configures RMSProp.
type RMSPropConfig struct {
	// Beta is the decay β of the squared-gradient average (torch's alpha),
	// in [0, 1); default 0.9, the value in Hinton's lecture. torch uses 0.99:
	// see TorchRMSPropConfig.
	Beta float64
	// Eps is added to the root of the average, in gradient units, in
	// (0, ∞); default 1e-8.
	Eps float64
	// Centered divides by an estimate of the gradient's standard deviation
	// (the average of g² minus the square of the average of g) instead of
	// its root mean square; default false.
	Centered bool
	// Momentum μ, in [0, 1), keeps a velocity of the scaled gradients as
	// torch does; default 0 (none).
	Momentum float64
	// WeightDecay is the L2 penalty λ added to the gradient as λθ; default 0.
	WeightDecay float64
}

// DefaultRMSPropConfig is the course's and Hinton's RMSProp: β = 0.9,
// ε = 1e-8, not centered, no momentum.
var DefaultRMSPropConfig = RMSPropConfig{Beta: 0.9, Eps: 1e-8}

// TorchRMSPropConfig holds torch.optim.RMSprop's defaults (alpha=0.99,
// eps=1e-8), for reproducing runs that used them.
var TorchRMSPropConfig = RMSPropConfig{Beta: 0.99, Eps: 1e-8}

// RMSProp divides each gradient by a running root mean square of its recent
// values. With learning rate α, starting from s = 0 (and ḡ = 0, b = 0):
//
//	g ← g + λθ
//	s ← β·s + (1 − β)·g²
//	d = √s + ε                  (not centered)
//	ḡ ← β·ḡ + (1 − β)·g,  d = √(s − ḡ²) + ε   (centered)
//	θ ← θ − α·g/d               (μ = 0)
//	b ← μ·b + g/d,  θ ← θ − α·b (μ > 0)
//
// Source: Hinton, "Neural Networks for Machine Learning", lecture 6e, and the
// DeepLearning.AI course's RMSprop lecture for the plain form; the centered,
// momentum and weight-decay variants, and the order of operations, follow
// torch.optim.RMSprop, whose plain form is the same rule with β named alpha.
type RMSProp struct {
	cfg RMSPropConfig
	t   int
	s   []float64 // average of g²
	a   []float64 // average of g, when centered
	b   []float64 // velocity, when Momentum > 0
}

var _ Optimizer = (*RMSProp)(nil)

// NewRMSProp returns RMSProp configured by cfg.
func NewRMSProp(cfg RMSPropConfig) (*RMSProp, error) {
	if err := check("rmsprop", cfg.fields()); err != nil {
		return nil, err
	}
	return &RMSProp{cfg: cfg}, nil
}

func (c RMSPropConfig) fields() []field {
	d := DefaultRMSPropConfig
	return []field{
		{decaySpec("beta", d.Beta, "decay of the squared-gradient average (torch alpha)"), c.Beta},
		{epsSpec(d.Eps), c.Eps},
		{flagSpec("centered", d.Centered, "1 divides by the gradient's estimated standard deviation"), flag(c.Centered)},
		{decaySpec("momentum", d.Momentum, "velocity decay μ of the scaled gradients; 0 for none"), c.Momentum},
		{weightDecaySpec(d.WeightDecay), c.WeightDecay},
	}
}

func rmsPropFromSettings(v map[string]float64) RMSPropConfig {
	return RMSPropConfig{
		Beta:        v["beta"],
		Eps:         v["eps"],
		Centered:    v["centered"] != 0,
		Momentum:    v["momentum"],
		WeightDecay: v["weight_decay"],
	}
}

// Step applies one update.
func (o *RMSProp) Step(params, grads []float64, lr float64) {
	n := checkLengths("rmsprop", params, grads, o.t > 0, len(o.s))
	cfg := o.cfg
	if o.t == 0 {
		o.s = filled(o.s, n, 0)
		if cfg.Centered {
			o.a = filled(o.a, n, 0)
		}
		if cfg.Momentum > 0 {
			o.b = filled(o.b, n, 0)
		}
	}
	o.t++
	beta, c, eps, wd, mu := cfg.Beta, 1-cfg.Beta, cfg.Eps, cfg.WeightDecay, cfg.Momentum
	g, s := grads[:n], o.s[:n]
	if !cfg.Centered && mu == 0 {
		for i, p := range params {
			gi := g[i] + float64(wd*p)
			si := float64(beta*s[i]) + float64(c*gi*gi)
			s[i] = si
			params[i] = p - lr*gi/(math.Sqrt(si)+eps)
		}
		return
	}
	var a, b []float64
	if cfg.Centered {
		a = o.a[:n]
	}
	if mu > 0 {
		b = o.b[:n]
	}
	for i, p := range params {
		gi := g[i] + float64(wd*p)
		si := float64(beta*s[i]) + float64(c*gi*gi)
		s[i] = si
		var d float64
		if cfg.Centered {
			ai := float64(beta*a[i]) + float64(c*gi)
			a[i] = ai
			d = math.Sqrt(si-float64(ai*ai)) + eps
		} else {
			d = math.Sqrt(si) + eps
		}
		if mu > 0 {
			bi := float64(mu*b[i]) + gi/d
			b[i] = bi
			params[i] = p - float64(lr*bi)
		} else {
			params[i] = p - lr*gi/d
		}
	}
}

// Reset forgets the averages, the velocity and the step count.
func (o *RMSProp) Reset() { o.t = 0 }
