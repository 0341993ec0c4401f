package optim

import "math"

// AdaGradConfig configures AdaGrad with the settings of torch.optim.Adagrad.
type AdaGradConfig struct {
	// LRDecay r divides the learning rate by 1 + (t − 1)·r at step t, per
	// step, in [0, ∞); default 0.
	LRDecay float64
	// InitialAccumulator is the starting value of every sum of squared
	// gradients (torch's initial_accumulator_value), in squared gradient
	// units, in [0, ∞); default 0.
	InitialAccumulator float64
	// Eps is added to the root of the accumulator, in gradient units, in
	// (0, ∞); default 1e-10 (torch's).
	Eps float64
	// WeightDecay is the L2 penalty λ added to the gradient as λθ; default 0.
	WeightDecay float64
}

// DefaultAdaGradConfig holds torch.optim.Adagrad's defaults.
var DefaultAdaGradConfig = AdaGradConfig{Eps: 1e-10}

// AdaGrad scales each parameter's step by the root of its summed squared
// gradients (Duchi, Hazan and Singer, 2011), with the semantics of
// torch.optim.Adagrad. With learning rate α at step t, starting from
// s = initial_accumulator:
//
//	g ← g + λθ
//	α_t = α / (1 + (t − 1)·r)
//	s ← s + g²
//	θ ← θ − α_t·g / (√s + ε)
type AdaGrad struct {
	cfg AdaGradConfig
	t   int
	s   []float64
}

var _ Optimizer = (*AdaGrad)(nil)

// NewAdaGrad returns AdaGrad configured by cfg.
func NewAdaGrad(cfg AdaGradConfig) (*AdaGrad, error) {
	if err := check("adagrad", cfg.fields()); err != nil {
		return nil, err
	}
	return &AdaGrad{cfg: cfg}, nil
}

func (c AdaGradConfig) fields() []field {
	d := DefaultAdaGradConfig
	return []field{
		{nonNegativeSpec("lr_decay", d.LRDecay, "the rate at step t is lr/(1 + (t−1)·lr_decay)"), c.LRDecay},
		{nonNegativeSpec("initial_accumulator", d.InitialAccumulator, "starting sum of squared gradients"), c.InitialAccumulator},
		{epsSpec(d.Eps), c.Eps},
		{weightDecaySpec(d.WeightDecay), c.WeightDecay},
	}
}

func adaGradFromSettings(v map[string]float64) AdaGradConfig {
	return AdaGradConfig{
		LRDecay:            v["lr_decay"],
		InitialAccumulator: v["initial_accumulator"],
		Eps:                v["eps"],
		WeightDecay:        v["weight_decay"],
	}
}

// Step applies one update.
func (o *AdaGrad) Step(params, grads []float64, lr float64) {
	n := checkLengths("adagrad", params, grads, o.t > 0, len(o.s))
	if o.t == 0 {
		o.s = filled(o.s, n, o.cfg.InitialAccumulator)
	}
	o.t++
	eps, wd := o.cfg.Eps, o.cfg.WeightDecay
	clr := lr / (1 + float64(float64(o.t-1)*o.cfg.LRDecay))
	g, s := grads[:n], o.s[:n]
	for i, p := range params {
		gi := g[i] + float64(wd*p)
		si := s[i] + float64(gi*gi)
		s[i] = si
		params[i] = p - clr*gi/(math.Sqrt(si)+eps)
	}
}

// Reset forgets the sums and the step count.
func (o *AdaGrad) Reset() { o.t = 0 }
