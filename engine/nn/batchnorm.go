package nn

import (
	"fmt"
	"math"

	"github.com/optbench/optbench/engine/rng"
)

// BatchNorm normalizes each feature of a vector input (torch.nn.BatchNorm1d)
// or each channel of a C×H×W input (torch.nn.BatchNorm2d) over the batch
// (Ioffe & Szegedy 2015), with torch's semantics. In training, over the n
// values x_i of a feature (B of them, or B·H·W of a channel):
//
//	μ = (1/n) Σ x_i,  σ² = (1/n) Σ (x_i − μ)²          (biased, to normalize)
//	x̂_i = (x_i − μ)/√(σ² + ε),  y_i = γ·x̂_i + β
//	running_mean ← (1 − m)·running_mean + m·μ
//	running_var  ← (1 − m)·running_var + m·σ²·n/(n − 1)   (unbiased)
//
// with momentum m = 0.1 and ε = 1e-5 by default; at inference μ and σ²
// are the running averages (which start at 0 and 1). The gradient in
// training, with dx̂ = γ·dy:
//
//	dγ = Σ dy_i·x̂_i,  dβ = Σ dy_i
//	dx_i = (1/√(σ² + ε))·(dx̂_i − (1/n)Σ dx̂_j − x̂_i·(1/n)Σ dx̂_j·x̂_j)
//
// and at inference dx_i = γ·dy_i/√(running_var + ε). Its parameters are
// γ then β, one of each per feature (torch's weight then bias).
type BatchNorm struct {
	// Momentum is torch's momentum m, the weight of the new batch in the
	// running averages, in (0, 1]; default 0.1. (Network's BNMomentum is
	// the weight of the old value, 1 − m.)
	Momentum float64
	// Eps is added to the variance before the square root, > 0; default 1e-5.
	Eps float64

	feat, spatial int // features (channels) and values per feature per example
	cap, batch    int
	train         bool
	g, dg, b, db  []float64
	runMean       []float64
	runVar        []float64
	inv           []float64 // 1/√(σ² + ε) of the last Forward
	xhat, y, dx   []float64
	momentum, eps float64
}

var _ Layer = (*BatchNorm)(nil)

// Plan implements Layer.
func (l *BatchNorm) Plan(in Shape) (Shape, int, error) {
	if err := in.check("batch_norm"); err != nil {
		return nil, 0, err
	}
	switch len(in) {
	case 1:
		l.feat, l.spatial = in[0], 1
	case 3:
		c, h, w, err := in.image("batch_norm")
		if err != nil {
			return nil, 0, err
		}
		l.feat, l.spatial = c, h*w
	default:
		return nil, 0, fmt.Errorf("batch_norm: input shape %v is neither [features] nor [channels, height, width]", in)
	}
	if l.feat < 1 || l.feat > MaxLayerSize {
		return nil, 0, fmt.Errorf("batch_norm: %d features outside [1, %d]", l.feat, MaxLayerSize)
	}
	l.momentum, l.eps = l.Momentum, l.Eps
	if l.momentum == 0 {
		l.momentum = 0.1
	}
	if l.eps == 0 {
		l.eps = 1e-5
	}
	if !(l.momentum > 0 && l.momentum <= 1) {
		return nil, 0, fmt.Errorf("batch_norm: momentum %v outside (0, 1]", l.Momentum)
	}
	if !(l.eps > 0) || math.IsInf(l.eps, 1) {
		return nil, 0, fmt.Errorf("batch_norm: eps %v must be positive", l.Eps)
	}
	return append(Shape(nil), in...), 2 * l.feat, nil
}

// Bind implements Layer.
func (l *BatchNorm) Bind(params, grads []float64, maxBatch int) {
	f := l.feat
	l.g, l.b = params[:f], params[f:2*f]
	l.dg, l.db = grads[:f], grads[f:2*f]
	if l.runMean == nil {
		l.runMean = make([]float64, f)
		l.runVar = make([]float64, f)
		for i := range l.runVar {
			l.runVar[i] = 1
		}
		l.inv = make([]float64, f)
	}
	n := f * l.spatial * maxBatch
	l.xhat, l.y, l.dx = grow(l.xhat, n), grow(l.y, n), grow(l.dx, n)
	l.cap = maxBatch
}

// Workspace implements Layer: x̂, the output and the input gradient.
// (The running averages, 3 values per feature, do not grow with the
// batch.)
func (l *BatchNorm) Workspace() int { return 3 * l.feat * l.spatial }

// Init implements Layer: γ = 1, β = 0, and fresh running averages.
func (l *BatchNorm) Init(*rng.RandomState) {
	for i := range l.g {
		l.g[i], l.b[i] = 1, 0
		l.runMean[i], l.runVar[i] = 0, 1
	}
}

// RunningMean and RunningVar return views of the running averages.
func (l *BatchNorm) RunningMean() []float64 { return l.runMean }
func (l *BatchNorm) RunningVar() []float64  { return l.runVar }

// Forward implements Layer.
func (l *BatchNorm) Forward(x []float64, B int, mode Mode) []float64 {
	checkBatch("batch_norm", x, l.feat*l.spatial, B, l.cap)
	l.batch, l.train = B, mode.Train
	n := l.spatial * B
	fn := float64(n)
	y := l.y[:l.feat*n]
	for f := range l.feat {
		xs := x[f*n : (f+1)*n]
		var mean, inv float64
		if mode.Train {
			for _, v := range xs {
				mean += v
			}
			mean /= fn
			var ss float64
			for _, v := range xs {
				d := v - mean
				ss += float64(d * d)
			}
			vr := ss / fn
			inv = 1 / math.Sqrt(vr+l.eps)
			if !mode.Frozen {
				m := l.momentum
				l.runMean[f] = float64((1-m)*l.runMean[f]) + float64(m*mean)
				unbiased := vr
				if n > 1 {
					unbiased = ss / (fn - 1)
				}
				l.runVar[f] = float64((1-m)*l.runVar[f]) + float64(m*unbiased)
			}
		} else {
			mean, inv = l.runMean[f], 1/math.Sqrt(l.runVar[f]+l.eps)
		}
		l.inv[f] = inv
		h, ys := l.xhat[f*n:(f+1)*n], y[f*n:(f+1)*n]
		g, b := l.g[f], l.b[f]
		for i, v := range xs {
			h[i] = (v - mean) * inv
			ys[i] = float64(g*h[i]) + b
		}
	}
	return y
}

// Backward implements Layer.
func (l *BatchNorm) Backward(dy []float64, needDx bool) []float64 {
	n := l.spatial * l.batch
	fn := float64(n)
	dx := l.dx[:l.feat*n]
	for f := range l.feat {
		d, h := dy[f*n:(f+1)*n], l.xhat[f*n:(f+1)*n]
		var sumD, sumDH float64
		for i, v := range d {
			sumD += v
			sumDH += float64(v * h[i])
		}
		l.db[f], l.dg[f] = sumD, sumDH
		if !needDx {
			continue
		}
		out := dx[f*n : (f+1)*n]
		s := l.g[f] * l.inv[f]
		if !l.train {
			for i, v := range d {
				out[i] = s * v
			}
			continue
		}
		meanD, meanDH := sumD/fn, sumDH/fn
		for i, v := range d {
			out[i] = s * (v - meanD - float64(h[i]*meanDH))
		}
	}
	if !needDx {
		return nil
	}
	return dx
}
