package optim

// MomentumConfig configures the course's exponentially averaged momentum.
type MomentumConfig struct {
	// Beta is the decay β of the velocity's exponential average, in [0, 1);
	// default 0.9 (the course's choice). β = 0 is gradient descent.
	Beta float64
}

// DefaultMomentumConfig is the course's β = 0.9.
var DefaultMomentumConfig = MomentumConfig{Beta: 0.9}

// Momentum is gradient descent with momentum in the DeepLearning.AI course's
// form, where the velocity is an exponential moving average of the
// gradients. With learning rate α, starting from v = 0:
//
//	v ← β·v + (1 − β)·g
//	θ ← θ − α·v
//
// Source: DeepLearning.AI "Improving Deep Neural Networks", assignment
// "Optimization Methods", update_parameters_with_momentum. The velocity is
// not bias-corrected, as in the course. Because the average scales the
// gradient by (1 − β), the same α moves ten times less than [HeavyBall] at
// β = 0.9 once the velocity has built up.
type Momentum struct {
	cfg MomentumConfig
	t   int
	v   []float64
}

var _ Optimizer = (*Momentum)(nil)

// NewMomentum returns course-form momentum configured by cfg.
func NewMomentum(cfg MomentumConfig) (*Momentum, error) {
	if err := check("momentum", cfg.fields()); err != nil {
		return nil, err
	}
	return &Momentum{cfg: cfg}, nil
}

func (c MomentumConfig) fields() []field {
	d := DefaultMomentumConfig
	return []field{
		{decaySpec("beta", d.Beta, "decay of the velocity's exponential average"), c.Beta},
	}
}

func momentumFromSettings(v map[string]float64) MomentumConfig {
	return MomentumConfig{Beta: v["beta"]}
}

// Step applies one update.
func (o *Momentum) Step(params, grads []float64, lr float64) {
	n := checkLengths("momentum", params, grads, o.t > 0, len(o.v))
	if o.t == 0 {
		o.v = filled(o.v, n, 0)
	}
	o.t++
	beta := o.cfg.Beta
	c := 1 - beta
	g, v := grads[:n], o.v[:n]
	for i, p := range params {
		vi := float64(beta*v[i]) + float64(c*g[i])
		v[i] = vi
		params[i] = p - float64(lr*vi)
	}
}

// Reset forgets the velocity.
func (o *Momentum) Reset() { o.t = 0 }
