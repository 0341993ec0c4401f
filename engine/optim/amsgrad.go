package optim

import "math"

// AMSGradConfig configures AMSGrad.
type AMSGradConfig struct {
	// Beta1 is the decay β1 of the first moment, in [0, 1); default 0.9.
	Beta1 float64
	// Beta2 is the decay β2 of the second moment, in [0, 1); default 0.999.
	Beta2 float64
	// Eps is added to the root of the second moment, in gradient units, in
	// (0, ∞); default 1e-8.
	Eps float64
	// WeightDecay is the L2 penalty λ added to the gradient as λθ; default 0.
	WeightDecay float64
}

// DefaultAMSGradConfig holds torch.optim.Adam's defaults.
var DefaultAMSGradConfig = AMSGradConfig{Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}

// AMSGrad is Adam that divides by the largest second moment seen so far
// (Reddi, Kale and Kumar, 2018), with the semantics and order of operations
// of torch.optim.Adam(amsgrad=True). With learning rate α at step t,
// starting from m = s = ŝmax = 0:
//
//	g ← g + λθ
//	m ← β1·m + (1 − β1)·g
//	s ← β2·s + (1 − β2)·g²
//	ŝmax ← max(ŝmax, s)
//	θ ← θ − (α/(1 − β1^t))·m / (√ŝmax/√(1 − β2^t) + ε)
//
// As in torch, the maximum is taken over the uncorrected s and the bias
// correction of the current step is applied to it afterwards; the paper has
// no bias correction.
type AMSGrad struct {
	cfg  AMSGradConfig
	t    int
	m    []float64
	s    []float64
	sMax []float64
}

var _ Optimizer = (*AMSGrad)(nil)

// NewAMSGrad returns AMSGrad configured by cfg.
func NewAMSGrad(cfg AMSGradConfig) (*AMSGrad, error) {
	if err := check("amsgrad", cfg.fields()); err != nil {
		return nil, err
	}
	return &AMSGrad{cfg: cfg}, nil
}

func (c AMSGradConfig) fields() []field {
	d := DefaultAMSGradConfig
	return []field{
		{beta1Spec(d.Beta1), c.Beta1},
		{beta2Spec(d.Beta2), c.Beta2},
		{epsSpec(d.Eps), c.Eps},
		{weightDecaySpec(d.WeightDecay), c.WeightDecay},
	}
}

func amsGradFromSettings(v map[string]float64) AMSGradConfig {
	return AMSGradConfig{Beta1: v["beta1"], Beta2: v["beta2"], Eps: v["eps"], WeightDecay: v["weight_decay"]}
}

// Step applies one update.
func (o *AMSGrad) Step(params, grads []float64, lr float64) {
	n := checkLengths("amsgrad", params, grads, o.t > 0, len(o.m))
	if o.t == 0 {
		o.m = filled(o.m, n, 0)
		o.s = filled(o.s, n, 0)
		o.sMax = filled(o.sMax, n, 0)
	}
	o.t++
	cfg := o.cfg
	b1, b2, eps, wd := cfg.Beta1, cfg.Beta2, cfg.Eps, cfg.WeightDecay
	c1, c2 := 1-b1, 1-b2
	stepSize := lr / (1 - powInt(b1, o.t))
	bc2Sqrt := math.Sqrt(1 - powInt(b2, o.t))
	g, m, s, sMax := grads[:n], o.m[:n], o.s[:n], o.sMax[:n]
	for i, p := range params {
		gi := g[i] + float64(wd*p)
		mi := float64(b1*m[i]) + float64(c1*gi)
		si := float64(b2*s[i]) + float64(c2*gi*gi)
		mx := math.Max(sMax[i], si)
		m[i], s[i], sMax[i] = mi, si, mx
		params[i] = p - stepSize*mi/(math.Sqrt(mx)/bc2Sqrt+eps)
	}
}

// Reset forgets the moments, their maxima and the step count.
func (o *AMSGrad) Reset() { o.t = 0 }
