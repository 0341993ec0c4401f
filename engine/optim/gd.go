package optim

// GDConfig configures plain gradient descent.
type GDConfig struct {
	// WeightDecay is the L2 penalty λ added to the gradient as λθ
	// (torch's weight_decay); per unit of parameter; default 0.
	WeightDecay float64
}

// DefaultGDConfig is plain gradient descent without weight decay.
var DefaultGDConfig = GDConfig{}

// GD is plain gradient descent, torch.optim.SGD with momentum=0.
//
// Batch, mini-batch and stochastic gradient descent are the same rule; they
// differ only in how many examples the trainer averages into each gradient.
// At step t with learning rate α and weight decay λ:
//
//	g ← g + λθ
//	θ ← θ − α·g
//
// Source: the DeepLearning.AI course's update_parameters_with_gd, and
// torch.optim.SGD (which adds λθ to the gradient when weight_decay ≠ 0).
type GD struct {
	cfg GDConfig
}

var _ Optimizer = (*GD)(nil)

// NewGD returns gradient descent configured by cfg.
func NewGD(cfg GDConfig) (*GD, error) {
	if err := check("gd", cfg.fields()); err != nil {
		return nil, err
	}
	return &GD{cfg: cfg}, nil
}

func (c GDConfig) fields() []field {
	d := DefaultGDConfig
	return []field{
		{weightDecaySpec(d.WeightDecay), c.WeightDecay},
	}
}

func gdFromSettings(v map[string]float64) GDConfig {
	return GDConfig{WeightDecay: v["weight_decay"]}
}

// Step applies one update.
func (o *GD) Step(params, grads []float64, lr float64) {
	n := checkLengths("gd", params, grads, false, 0)
	g := grads[:n]
	wd := o.cfg.WeightDecay
	if wd == 0 {
		for i, p := range params {
			params[i] = p - float64(lr*g[i])
		}
		return
	}
	for i, p := range params {
		params[i] = p - float64(lr*(g[i]+float64(wd*p)))
	}
}

// Reset does nothing: gradient descent keeps no state.
func (o *GD) Reset() {}
