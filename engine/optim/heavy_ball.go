package optim

// HeavyBallConfig configures Polyak's heavy-ball momentum in torch's form.
type HeavyBallConfig struct {
	// Momentum is the velocity's decay μ, in [0, 1); default 0.9.
	// (torch.optim.SGD defaults to 0, which is plain gradient descent.)
	Momentum float64
	// Dampening d scales the gradient's contribution to the velocity by
	// 1 − d from the second step on, in [0, 1]; default 0.
	Dampening float64
	// WeightDecay is the L2 penalty λ added to the gradient as λθ; default 0.
	WeightDecay float64
}

// DefaultHeavyBallConfig is μ = 0.9 without dampening or weight decay.
var DefaultHeavyBallConfig = HeavyBallConfig{Momentum: 0.9}

// HeavyBall is Polyak's heavy-ball momentum with the semantics of
// torch.optim.SGD(momentum=μ, dampening=d, weight_decay=λ, nesterov=False).
// With learning rate α at step t:
//
//	g ← g + λθ
//	v ← g                       if t = 1
//	v ← μ·v + (1 − d)·g         if t > 1
//	θ ← θ − α·v
//
// As in torch, the first step copies the gradient into the velocity, so
// dampening does not apply to it. Unlike the course's [Momentum], the
// velocity is a sum rather than an average: in steady state it is about
// (1 − d)/(1 − μ) gradients long.
type HeavyBall struct {
	cfg HeavyBallConfig
	t   int
	v   []float64
}

var _ Optimizer = (*HeavyBall)(nil)

// NewHeavyBall returns heavy-ball momentum configured by cfg.
func NewHeavyBall(cfg HeavyBallConfig) (*HeavyBall, error) {
	if err := check("heavy_ball", cfg.fields()); err != nil {
		return nil, err
	}
	return &HeavyBall{cfg: cfg}, nil
}

func (c HeavyBallConfig) fields() []field {
	d := DefaultHeavyBallConfig
	return []field{
		{decaySpec("momentum", d.Momentum, "velocity decay μ"), c.Momentum},
		{dampeningSpec(d.Dampening), c.Dampening},
		{weightDecaySpec(d.WeightDecay), c.WeightDecay},
	}
}

func heavyBallFromSettings(v map[string]float64) HeavyBallConfig {
	return HeavyBallConfig{Momentum: v["momentum"], Dampening: v["dampening"], WeightDecay: v["weight_decay"]}
}

// Step applies one update.
func (o *HeavyBall) Step(params, grads []float64, lr float64) {
	n := checkLengths("heavy_ball", params, grads, o.t > 0, len(o.v))
	if o.t == 0 {
		o.v = filled(o.v, n, 0)
	}
	o.t++
	mu, wd := o.cfg.Momentum, o.cfg.WeightDecay
	keep := 1 - o.cfg.Dampening
	g, v := grads[:n], o.v[:n]
	if o.t == 1 {
		for i, p := range params {
			vi := g[i] + float64(wd*p)
			v[i] = vi
			params[i] = p - float64(lr*vi)
		}
		return
	}
	for i, p := range params {
		gi := g[i] + float64(wd*p)
		vi := float64(mu*v[i]) + float64(keep*gi)
		v[i] = vi
		params[i] = p - float64(lr*vi)
	}
}

// Reset forgets the velocity and the step count.
func (o *HeavyBall) Reset() { o.t = 0 }
