package optim

import (
	"math"

	"github.com/optbench/optbench/engine/internal/crmath"
)

// NAdamConfig configures NAdam.
type NAdamConfig struct {
	// Beta1 is the decay β1 of the first moment, in [0, 1); default 0.9.
	Beta1 float64
	// Beta2 is the decay β2 of the second moment, in [0, 1); default 0.999.
	Beta2 float64
	// Eps is added to the root of the corrected second moment, in gradient
	// units, in (0, ∞); default 1e-8.
	Eps float64
	// WeightDecay is the L2 penalty λ added to the gradient as λθ (torch's
	// decoupled_weight_decay=False); default 0.
	WeightDecay float64
	// MomentumDecay ψ sets the momentum schedule μ_t = β1·(1 − ½·0.96^(t·ψ)),
	// per step, in [0, ∞); default 4e-3 (torch's, after Dozat).
	MomentumDecay float64
}

// DefaultNAdamConfig holds torch.optim.NAdam's defaults (torch's default
// learning rate, 2e-3, is the caller's to choose).
var DefaultNAdamConfig = NAdamConfig{Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, MomentumDecay: 4e-3}

// NAdam is Adam with Nesterov momentum (Dozat, 2016), with the semantics and
// order of operations of torch.optim.NAdam (decoupled_weight_decay=False) as
// of torch 2.0. With learning rate α at step t, starting from m = s = 0 and
// Π_0 = 1:
//
//	g ← g + λθ
//	μ_t = β1·(1 − ½·0.96^(t·ψ)),  μ_{t+1} = β1·(1 − ½·0.96^((t+1)·ψ))
//	Π_t = Π_{t−1}·μ_t
//	m ← β1·m + (1 − β1)·g
//	s ← β2·s + (1 − β2)·g²
//	d = √(s/(1 − β2^t)) + ε
//	θ ← θ − α·(1 − μ_t)/(1 − Π_t)·g/d
//	θ ← θ − α·μ_{t+1}/(1 − Π_t·μ_{t+1})·m/d
//
// torch before 2.0 used Π_t·μ_t·μ_{t+1} in the last denominator (fixed by
// pytorch/pytorch#92699); this follows the paper and the fix. torch keeps Π
// in the default dtype, float32 unless set to float64; here it is float64.
type NAdam struct {
	cfg       NAdamConfig
	t         int
	muProduct float64
	m         []float64
	s         []float64
}

var _ Optimizer = (*NAdam)(nil)

// NewNAdam returns NAdam configured by cfg.
func NewNAdam(cfg NAdamConfig) (*NAdam, error) {
	if err := check("nadam", cfg.fields()); err != nil {
		return nil, err
	}
	return &NAdam{cfg: cfg}, nil
}

func (c NAdamConfig) fields() []field {
	d := DefaultNAdamConfig
	return []field{
		{beta1Spec(d.Beta1), c.Beta1},
		{beta2Spec(d.Beta2), c.Beta2},
		{epsSpec(d.Eps), c.Eps},
		{weightDecaySpec(d.WeightDecay), c.WeightDecay},
		{nonNegativeSpec("momentum_decay", d.MomentumDecay, "ψ in μ_t = β1·(1 − ½·0.96^(t·ψ))"), c.MomentumDecay},
	}
}

func nAdamFromSettings(v map[string]float64) NAdamConfig {
	return NAdamConfig{
		Beta1:         v["beta1"],
		Beta2:         v["beta2"],
		Eps:           v["eps"],
		WeightDecay:   v["weight_decay"],
		MomentumDecay: v["momentum_decay"],
	}
}

// Step applies one update.
func (o *NAdam) Step(params, grads []float64, lr float64) {
	n := checkLengths("nadam", params, grads, o.t > 0, len(o.m))
	if o.t == 0 {
		o.m = filled(o.m, n, 0)
		o.s = filled(o.s, n, 0)
		o.muProduct = 1
	}
	o.t++
	cfg := o.cfg
	b1, b2, eps, wd, psi := cfg.Beta1, cfg.Beta2, cfg.Eps, cfg.WeightDecay, cfg.MomentumDecay
	c1, c2 := 1-b1, 1-b2
	t := float64(o.t)
	bc2 := 1 - powInt(b2, o.t)
	// Every product that a later subtraction uses is rounded on its own.
	mu := float64(b1 * (1 - float64(0.5*crmath.Pow(0.96, float64(t*psi)))))
	muNext := float64(b1 * (1 - float64(0.5*crmath.Pow(0.96, float64((t+1)*psi)))))
	o.muProduct = float64(o.muProduct * mu)
	muProductNext := float64(o.muProduct * muNext)
	gradStep := -lr * (1 - mu) / (1 - o.muProduct)
	momentStep := -lr * muNext / (1 - muProductNext)
	g, m, s := grads[:n], o.m[:n], o.s[:n]
	for i, p := range params {
		gi := g[i] + float64(wd*p)
		mi := float64(b1*m[i]) + float64(c1*gi)
		si := float64(b2*s[i]) + float64(c2*gi*gi)
		m[i], s[i] = mi, si
		d := math.Sqrt(si/bc2) + eps
		p += gradStep * gi / d
		params[i] = p + momentStep*mi/d
	}
}

// Reset forgets the moments, the momentum product and the step count.
func (o *NAdam) Reset() { o.t = 0 }
