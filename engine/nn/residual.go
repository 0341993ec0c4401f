package nn

import (
	"fmt"

	"github.com/optbench/optbench/engine/rng"
)

// Residual is the basic block of a ResNet (He et al. 2016, "Deep Residual
// Learning for Image Recognition"; torchvision.models.resnet.BasicBlock):
//
//	F(x) = BN₂(conv₂(ReLU(BN₁(conv₁(x)))))
//	S(x) = x                      when the shape is kept
//	S(x) = BN_s(conv_s(x))        otherwise (1×1 convolution with the stride)
//	y    = ReLU(F(x) + S(x))
//
// conv₁ is 3×3 with the block's stride and padding 1, conv₂ 3×3 with
// stride 1 and padding 1, all convolutions without bias; the batch norms
// are BatchNorm with torch's defaults. Backward runs both branches back
// from dz = dy ⊙ ReLU′(z), z = F(x) + S(x), and adds their input
// gradients. Its parameters are, in torchvision's order, conv₁'s weights,
// BN₁'s γ and β, conv₂'s weights, BN₂'s γ and β, then (projection only)
// conv_s's weights and BN_s's γ and β.
type Residual struct {
	Out    int // output channels, ≥ 1
	Stride int // stride of conv₁ and of the projection; default 1

	main  []Layer // conv₁, BN₁, ReLU, conv₂, BN₂
	short []Layer // conv_s, BN_s; empty for the identity
	sizes []int   // parameters of main then short
	size  int     // input values per example
	out   int     // output values per example
	cap   int
	batch int
	z     []float64 // F(x) + S(x)
	y, dz []float64
	dx    []float64
}

var _ Layer = (*Residual)(nil)

// Plan implements Layer.
func (l *Residual) Plan(in Shape) (Shape, int, error) {
	c, _, _, err := in.image("residual")
	if err != nil {
		return nil, 0, err
	}
	s := max(l.Stride, 1)
	if l.Out < 1 || l.Out > MaxLayerSize {
		return nil, 0, fmt.Errorf("residual: %d output channels outside [1, %d]", l.Out, MaxLayerSize)
	}
	if l.Stride < 0 {
		return nil, 0, fmt.Errorf("residual: stride %d is negative", l.Stride)
	}
	l.main = []Layer{
		&Conv2D{Out: l.Out, Kernel: 3, Stride: s, Padding: 1, NoBias: true},
		&BatchNorm{},
		&Activate{Func: ReLU},
		&Conv2D{Out: l.Out, Kernel: 3, Stride: 1, Padding: 1, NoBias: true},
		&BatchNorm{},
	}
	l.short = nil
	if s != 1 || c != l.Out {
		l.short = []Layer{&Conv2D{Out: l.Out, Kernel: 1, Stride: s, NoBias: true}, &BatchNorm{}}
	}
	shapes, sizes, err := planLayers(in, l.main)
	if err != nil {
		return nil, 0, fmt.Errorf("residual: %w", err)
	}
	out := shapes[len(shapes)-1]
	l.sizes = sizes
	if l.short != nil {
		sshapes, ssizes, err := planLayers(in, l.short)
		if err != nil {
			return nil, 0, fmt.Errorf("residual shortcut: %w", err)
		}
		if so := sshapes[len(sshapes)-1]; so.String() != out.String() {
			return nil, 0, fmt.Errorf("residual: shortcut gives %v, main branch %v", so, out)
		}
		l.sizes = append(l.sizes, ssizes...)
	}
	n := 0
	for _, k := range l.sizes {
		n += k
	}
	l.size, l.out = in.Size(), out.Size()
	return out, n, nil
}

func (l *Residual) all() []Layer { return append(append([]Layer(nil), l.main...), l.short...) }

// Bind implements Layer.
func (l *Residual) Bind(params, grads []float64, maxBatch int) {
	bindLayers(l.all(), l.sizes, params, grads, maxBatch)
	n := l.out * maxBatch
	l.z, l.y, l.dz = grow(l.z, n), grow(l.y, n), grow(l.dz, n)
	l.dx = grow(l.dx, l.size*maxBatch)
	l.cap = maxBatch
}

// Workspace implements Layer: the inner layers', the sum, the output,
// its gradient and the input gradient.
func (l *Residual) Workspace() int {
	n := 3*l.out + l.size
	for _, ly := range l.main {
		n += ly.Workspace()
	}
	for _, ly := range l.short {
		n += ly.Workspace()
	}
	return n
}

// Init implements Layer.
func (l *Residual) Init(r *rng.RandomState) {
	for _, ly := range l.main {
		ly.Init(r)
	}
	for _, ly := range l.short {
		ly.Init(r)
	}
}

// Forward implements Layer.
func (l *Residual) Forward(x []float64, B int, mode Mode) []float64 {
	checkBatch("residual", x, l.size, B, l.cap)
	l.batch = B
	h := x
	for _, ly := range l.main {
		h = ly.Forward(h, B, mode)
	}
	s := x
	for _, ly := range l.short {
		s = ly.Forward(s, B, mode)
	}
	n := l.out * B
	z, y := l.z[:n], l.y[:n]
	for i := range z {
		z[i] = h[i] + s[i]
		y[i] = max(z[i], 0)
	}
	return y
}

// Backward implements Layer.
func (l *Residual) Backward(dy []float64, needDx bool) []float64 {
	B := l.batch
	n := l.out * B
	dz, z := l.dz[:n], l.z[:n]
	for i, v := range dy {
		if z[i] > 0 {
			dz[i] = v
		} else {
			dz[i] = 0
		}
	}
	d := dz
	for i := len(l.main) - 1; i >= 0; i-- {
		d = l.main[i].Backward(d, needDx || i > 0)
	}
	ds := dz
	for i := len(l.short) - 1; i >= 0; i-- {
		ds = l.short[i].Backward(ds, needDx || i > 0)
	}
	if !needDx {
		return nil
	}
	dx := l.dx[:l.size*B]
	for i := range dx {
		dx[i] = d[i] + ds[i]
	}
	return dx
}
