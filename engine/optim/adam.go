package optim

import (
	"math"

	"github.com/optbench/optbench/engine/internal/vecmath"
)

// AdamConfig configures Adam.
type AdamConfig struct {
	// Beta1 is the decay β1 of the gradient's average (first moment), in
	// [0, 1); default 0.9.
	Beta1 float64
	// Beta2 is the decay β2 of the squared gradient's average (second
	// moment), in [0, 1); default 0.999.
	Beta2 float64
	// Eps is added to the denominator, in gradient units (in squared
	// gradient units when EpsInsideSqrt), in (0, ∞); default 1e-8.
	Eps float64
	// WeightDecay is the L2 penalty λ added to the gradient as λθ before
	// the moments see it (torch.optim.Adam's coupled weight_decay; for the
	// decoupled form use AdamW); default 0.
	WeightDecay float64
	// NoBiasCorrection turns off the division of the moments by 1 − β^t;
	// default false (bias correction on, as in the paper, course and torch).
	NoBiasCorrection bool
	// EpsInsideSqrt adds ε to ŝ under the square root, √(ŝ + ε), instead of
	// to its root; default false.
	EpsInsideSqrt bool
}

// DefaultAdamConfig holds the paper's, the course's and torch's defaults.
var DefaultAdamConfig = AdamConfig{Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}

// Adam is adaptive moment estimation (Kingma and Ba, 2015, Algorithm 1).
// With learning rate α at step t, starting from m = s = 0:
//
//	g ← g + λθ
//	m ← β1·m + (1 − β1)·g
//	s ← β2·s + (1 − β2)·g²
//	m̂ = m/(1 − β1^t),  ŝ = s/(1 − β2^t)   (m̂ = m, ŝ = s without bias correction)
//	θ ← θ − α·m̂/(√ŝ + ε)                  (θ ← θ − α·m̂/√(ŝ + ε) with ε inside)
//
// The arithmetic follows the DeepLearning.AI course's
// update_parameters_with_adam operation by operation. With the defaults the
// rule is torch.optim.Adam's (amsgrad=False), which computes the same
// quantity as θ − (α/(1 − β1^t))·m/(√s/√(1 − β2^t) + ε); the two orders
// differ only in rounding. Coupled weight decay λ is torch's weight_decay.
type Adam struct {
	cfg AdamConfig
	t   int
	m   []float64
	s   []float64
}

var _ Optimizer = (*Adam)(nil)

// NewAdam returns Adam configured by cfg.
func NewAdam(cfg AdamConfig) (*Adam, error) {
	if err := check("adam", cfg.fields()); err != nil {
		return nil, err
	}
	return &Adam{cfg: cfg}, nil
}

func (c AdamConfig) fields() []field {
	d := DefaultAdamConfig
	return []field{
		{beta1Spec(d.Beta1), c.Beta1},
		{beta2Spec(d.Beta2), c.Beta2},
		{epsSpec(d.Eps), c.Eps},
		{weightDecaySpec(d.WeightDecay), c.WeightDecay},
		{flagSpec("bias_correction", !d.NoBiasCorrection, "1 divides the moments by 1 − β^t"), flag(!c.NoBiasCorrection)},
		{flagSpec("eps_inside_sqrt", d.EpsInsideSqrt, "1 adds eps under the square root"), flag(c.EpsInsideSqrt)},
	}
}

func adamFromSettings(v map[string]float64) AdamConfig {
	return AdamConfig{
		Beta1:            v["beta1"],
		Beta2:            v["beta2"],
		Eps:              v["eps"],
		WeightDecay:      v["weight_decay"],
		NoBiasCorrection: v["bias_correction"] == 0,
		EpsInsideSqrt:    v["eps_inside_sqrt"] != 0,
	}
}

// Step applies one update.
func (o *Adam) Step(params, grads []float64, lr float64) {
	n := checkLengths("adam", params, grads, o.t > 0, len(o.m))
	if o.t == 0 {
		o.m = filled(o.m, n, 0)
		o.s = filled(o.s, n, 0)
	}
	o.t++
	cfg := o.cfg
	b1, b2, eps, wd := cfg.Beta1, cfg.Beta2, cfg.Eps, cfg.WeightDecay
	c1, c2 := 1-b1, 1-b2
	bc1, bc2 := 1.0, 1.0
	if !cfg.NoBiasCorrection {
		bc1 = 1 - powInt(b1, o.t)
		bc2 = 1 - powInt(b2, o.t)
	}
	g, m, s := grads[:n], o.m[:n], o.s[:n]
	if cfg.EpsInsideSqrt {
		for i, p := range params {
			gi := g[i] + float64(wd*p)
			mi := float64(b1*m[i]) + float64(c1*gi)
			si := float64(b2*s[i]) + float64(c2*(gi*gi))
			m[i], s[i] = mi, si
			params[i] = p - lr*(mi/bc1)/math.Sqrt(si/bc2+eps)
		}
		return
	}
	// The same arithmetic as the loop above with ε outside the root, four
	// elements at a time where the CPU has AVX; the same bits either way.
	vecmath.Adam(params, g, m, s, &vecmath.AdamConsts{WeightDecay: wd, Beta1: b1, Beta2: b2,
		OneMinusBeta1: c1, OneMinusBeta2: c2, BiasCorrection1: bc1, BiasCorrection2: bc2, LR: lr, Eps: eps})
}

// Reset forgets the moments and the step count.
func (o *Adam) Reset() { o.t = 0 }
