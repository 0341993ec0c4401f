package nn

import (
	"fmt"
	"strings"
	"testing"

	"github.com/optbench/optbench/engine/rng"
)

// layerGradEps is the step of the layers' two-sided differences. With
// ε = 1e-6 the truncation error (ε²·J‴/6, about 1e-12 here) and the
// rounding error (ulp(J)/ε, about 1e-10) both stay far below the 1e-7
// the checks require.
const layerGradEps = 1e-6

// layerGradTol is the largest relative difference ‖g − ĝ‖/(‖g‖ + ‖ĝ‖) a
// layer's gradient check accepts (the 1e-7).
const layerGradTol = 1e-7

// bindOne plans and binds a single layer for batches of up to batch
// examples and initializes it, then perturbs the parameters so that
// nothing sits at its initial value (γ = 1, b = 0 would hide mistakes).
func bindOne(t *testing.T, ly Layer, in Shape, batch int, r *rng.RandomState) (params, grads []float64) {
	t.Helper()
	if _, _, err := planLayers(in, []Layer{ly}); err != nil {
		t.Fatal(err)
	}
	_, n, _ := ly.Plan(in)
	params, grads = make([]float64, n), make([]float64, n)
	ly.Bind(params, grads, batch)
	ly.Init(r)
	for i := range params {
		params[i] += 0.3 * r.NormFloat64()
	}
	return params, grads
}

// layerObjective is J = Σ_i c_i·y_i for fixed random c over a layer's
// output on a fixed batch, differentiated with respect to the parameters
// (grad is the layer's gradient view) or, with wrtX, to the input.
type layerObjective struct {
	ly     Layer
	x, c   []float64
	batch  int
	mode   Mode
	params []float64
	wrtX   bool
	grad   []float64
}

func (o *layerObjective) Params() []float64 {
	if o.wrtX {
		return o.x
	}
	return o.params
}

func (o *layerObjective) Value() float64 {
	m := o.mode
	m.Frozen = true
	y := o.ly.Forward(o.x, o.batch, m)
	var s float64
	for i, v := range y {
		s += o.c[i] * v
	}
	return s
}

func (o *layerObjective) Gradient() []float64 {
	o.ly.Forward(o.x, o.batch, o.mode)
	dx := o.ly.Backward(o.c, o.wrtX)
	if o.wrtX {
		return dx
	}
	return o.grad
}

type layerCase struct {
	name  string
	layer func() Layer
	in    Shape
	batch int
	train bool
}

func layerCases() []layerCase {
	return []layerCase{
		{"dense", func() Layer { return &Dense{Out: 3} }, Shape{5}, 4, true},
		{"dense/nobias", func() Layer { return &Dense{Out: 2, NoBias: true} }, Shape{4}, 3, true},
		{"conv/k3s2p1", func() Layer { return &Conv2D{Out: 3, Kernel: 3, Stride: 2, Padding: 1} }, Shape{2, 6, 7}, 2, true},
		{"conv/k5s1p2", func() Layer { return &Conv2D{Out: 2, Kernel: 5, Padding: 2} }, Shape{1, 6, 6}, 3, true},
		{"conv/k3s3p2", func() Layer { return &Conv2D{Out: 2, Kernel: 3, Stride: 3, Padding: 2} }, Shape{2, 7, 5}, 2, true},
		{"conv/k1s2/nobias", func() Layer { return &Conv2D{Out: 4, Kernel: 1, Stride: 2, NoBias: true} }, Shape{3, 5, 5}, 2, true},
		{"maxpool/k2", func() Layer { return &MaxPool2D{Kernel: 2} }, Shape{2, 4, 6}, 3, true},
		{"maxpool/k3s2p1", func() Layer { return &MaxPool2D{Kernel: 3, Stride: 2, Padding: 1} }, Shape{2, 5, 5}, 2, true},
		{"avgpool/k2", func() Layer { return &AvgPool2D{Kernel: 2} }, Shape{2, 4, 6}, 3, true},
		{"avgpool/k3s2p1", func() Layer { return &AvgPool2D{Kernel: 3, Stride: 2, Padding: 1} }, Shape{2, 5, 5}, 2, true},
		{"globalavgpool", func() Layer { return &GlobalAvgPool{} }, Shape{3, 4, 5}, 2, true},
		{"batchnorm/dense", func() Layer { return &BatchNorm{} }, Shape{4}, 5, true},
		{"batchnorm/spatial", func() Layer { return &BatchNorm{} }, Shape{3, 4, 4}, 2, true},
		{"batchnorm/spatial/inference", func() Layer { return &BatchNorm{} }, Shape{3, 4, 4}, 2, false},
		{"dropout", func() Layer { return &Dropout{P: 0.3} }, Shape{3, 2, 2}, 4, true},
		{"flatten", func() Layer { return &Flatten{} }, Shape{2, 3, 4}, 2, true},
		{"relu", func() Layer { return &Activate{Func: ReLU} }, Shape{6}, 3, true},
		{"leaky_relu", func() Layer { return &Activate{Func: LeakyReLU, Slope: 0.2} }, Shape{2, 3, 3}, 3, true},
		{"sigmoid", func() Layer { return &Activate{Func: Sigmoid} }, Shape{6}, 3, true},
		{"tanh", func() Layer { return &Activate{Func: Tanh} }, Shape{6}, 3, true},
		{"residual/identity", func() Layer { return &Residual{Out: 4} }, Shape{4, 6, 6}, 2, true},
		{"residual/projection", func() Layer { return &Residual{Out: 5, Stride: 2} }, Shape{3, 6, 6}, 2, true},
		{"residual/projection/inference", func() Layer { return &Residual{Out: 5, Stride: 2} }, Shape{3, 6, 6}, 2, false},
	}
}

// TestLayerGradients checks every layer's parameter and input gradients
// against two-sided differences of J = Σ c·y.
func TestLayerGradients(t *testing.T) {
	for i, tc := range layerCases() {
		t.Run(tc.name, func(t *testing.T) {
			r := rng.New(uint32(100 + i))
			ly := tc.layer()
			params, grads := bindOne(t, ly, tc.in, tc.batch, r)
			x := make([]float64, tc.in.Size()*tc.batch)
			r.Randn(x)
			out := ly.Forward(x, tc.batch, Mode{Train: true, Dropout: r})
			if !tc.train {
				// Move the running averages away from 0 and 1 first.
				ly.Forward(x, tc.batch, Mode{Train: true, Dropout: r})
				out = ly.Forward(x, tc.batch, Mode{})
			}
			c := make([]float64, len(out))
			r.Randn(c)
			mode := Mode{Train: tc.train, Dropout: r}
			if len(params) > 0 {
				obj := &layerObjective{ly: ly, x: x, c: c, batch: tc.batch, mode: mode, params: params, grad: grads}
				if d := CheckGradient(obj, layerGradEps, nil).Difference; !(d < layerGradTol) {
					t.Errorf("parameter gradient: relative difference %.3g, want < %g", d, layerGradTol)
				} else {
					t.Logf("parameters: %.2g", d)
				}
			}
			obj := &layerObjective{ly: ly, x: x, c: c, batch: tc.batch, mode: mode, params: params, wrtX: true}
			if d := CheckGradient(obj, layerGradEps, nil).Difference; !(d < layerGradTol) {
				t.Errorf("input gradient: relative difference %.3g, want < %g", d, layerGradTol)
			} else {
				t.Logf("input: %.2g", d)
			}
		})
	}
}

// smallCNN is the course's network at a tiny size: two blocks of
// [5×5 conv, pad 2 → BatchNorm2d → LeakyReLU] × 2 → 2×2 max-pool, then a
// linear layer.
func smallCNN(c1, c2, classes int) []Layer { return CNN(CNNConfig{Channels: []int{c1, c2}}, classes) }

// smallResNet is a stem (3×3 conv without bias, batch norm, ReLU), an
// identity block, a projection block with stride 2, global average
// pooling and a linear layer.
func smallResNet(c1, c2, classes int) []Layer {
	return []Layer{
		&Conv2D{Out: c1, Kernel: 3, Padding: 1, NoBias: true}, &BatchNorm{}, &Activate{Func: ReLU},
		&Residual{Out: c1}, &Residual{Out: c2, Stride: 2},
		&GlobalAvgPool{}, &Dense{Out: classes},
	}
}

func oneHot(r *rng.RandomState, k, batch int) []float64 {
	y := make([]float64, k*batch)
	for c := range batch {
		y[int(r.Interval(uint64(k-1)))*batch+c] = 1
	}
	return y
}

// TestSequentialGradients checks whole networks: a small course CNN, a
// small ResNet, and an MLP with batch norm and dropout.
func TestSequentialGradients(t *testing.T) {
	cases := []struct {
		name   string
		in     Shape
		batch  int
		layers []Layer
	}{
		{"cnn", Shape{1, 8, 8}, 3, smallCNN(2, 3, 3)},
		{"resnet", Shape{2, 6, 6}, 3, smallResNet(3, 4, 3)},
		{"mlp", Shape{5}, 4, []Layer{&Dense{Out: 6}, &BatchNorm{}, &Activate{Func: Tanh}, &Dropout{P: 0.2}, &Dense{Out: 3}}},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := rng.New(uint32(200 + i))
			net, err := NewSequential(tc.in, SoftmaxCrossEntropy, r, tc.layers...)
			if err != nil {
				t.Fatal(err)
			}
			x := make([]float64, tc.in.Size()*tc.batch)
			r.Randn(x)
			y := oneHot(r, net.Outputs(), tc.batch)
			chk := CheckGradient(SequentialObjective(net, x, y, tc.batch, r), layerGradEps, net.ParamsPerLayer())
			if !(chk.Difference < layerGradTol) {
				t.Errorf("relative difference %.3g (per layer %.2g), want < %g", chk.Difference, chk.Parts, layerGradTol)
			} else {
				t.Logf("%.2g (per layer %.2g)", chk.Difference, chk.Parts)
			}
		})
	}
}

// TestPlanErrors checks that shapes a layer cannot take are errors that
// name the layer, not panics.
func TestPlanErrors(t *testing.T) {
	for _, tc := range []struct {
		layer Layer
		in    Shape
		want  string
	}{
		{&Dense{Out: 3}, Shape{2, 3, 3}, "dense: input shape [2 3 3] is not a vector"},
		{&Dense{Out: 0}, Shape{4}, "dense: 4 inputs and 0 outputs"},
		{&Conv2D{Out: 2, Kernel: 5}, Shape{1, 4, 4}, "conv2d: kernel 5 does not fit"},
		{&Conv2D{Out: 2, Kernel: 3, Padding: 3}, Shape{1, 4, 4}, "conv2d: padding 3 outside"},
		{&Conv2D{Out: 2, Kernel: 3}, Shape{4}, "conv2d: input shape [4] is not [channels, height, width]"},
		{&MaxPool2D{Kernel: 3, Padding: 2}, Shape{1, 4, 4}, "max_pool2d: padding 2 outside"},
		{&AvgPool2D{Kernel: 0}, Shape{1, 4, 4}, "avg_pool2d: kernel 0"},
		{&BatchNorm{Momentum: 2}, Shape{3}, "batch_norm: momentum 2 outside"},
		{&Dropout{P: 1}, Shape{3}, "dropout: probability 1 outside"},
		{&Activate{Func: Softmax}, Shape{3}, "activation softmax cannot be a layer"},
		{&Residual{Out: 2}, Shape{3}, "residual: input shape [3]"},
		{&Conv2D{Out: 1 << 20, Kernel: 1}, Shape{1, 2, 2}, "conv2d: output"},
		{&Conv2D{Out: 1, Kernel: 30}, Shape{1, 1000, 1000}, "conv2d: the unfolded input of one example"},
	} {
		t.Run(fmt.Sprintf("%T", tc.layer), func(t *testing.T) {
			_, _, err := tc.layer.Plan(tc.in)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Plan(%v) = %v, want an error containing %q", tc.in, err, tc.want)
			}
		})
	}
	if _, err := NewSequential(Shape{1, 4, 4}, SoftmaxCrossEntropy, rng.New(1), &Conv2D{Out: 2, Kernel: 3}); err == nil ||
		!strings.Contains(err.Error(), "not a vector of outputs") {
		t.Errorf("a network ending in images: %v", err)
	}
}

// TestLayerSettingsNeverPanic plans layers with settings drawn from small
// ranges that include invalid values (0, negative, too large) on random
// shapes: Plan either refuses them with an error or the layer runs a
// training step and an inference pass without panicking. Layer settings
// will come from users' sweep files.
func TestLayerSettingsNeverPanic(t *testing.T) {
	r := rng.New(9)
	pick := func(lo, hi int) int { return lo + int(r.Interval(uint64(hi-lo))) }
	planned := 0
	for i := range 3000 {
		var ly Layer
		k, s, p, out := pick(-1, 6), pick(-1, 4), pick(-1, 4), pick(-1, 5)
		switch i % 9 {
		case 0:
			ly = &Dense{Out: out, NoBias: i%2 == 0}
		case 1:
			ly = &Conv2D{Out: out, Kernel: k, Stride: s, Padding: p, NoBias: i%2 == 0}
		case 2:
			ly = &MaxPool2D{Kernel: k, Stride: s, Padding: p}
		case 3:
			ly = &AvgPool2D{Kernel: k, Stride: s, Padding: p}
		case 4:
			ly = &GlobalAvgPool{}
		case 5:
			ly = &BatchNorm{Momentum: float64(pick(-1, 3)) / 2, Eps: float64(pick(-1, 2)) * 1e-5}
		case 6:
			ly = &Dropout{P: float64(pick(-1, 5)) / 4}
		case 7:
			ly = &Activate{Func: Activation(pick(-1, 9)), Slope: float64(pick(-1, 3)) / 2}
		case 8:
			ly = &Residual{Out: out, Stride: s}
		}
		in := Shape{pick(-1, 4), pick(-1, 7), pick(-1, 7)}
		if i%4 == 0 {
			in = Shape{pick(-1, 7)}
		}
		func() {
			defer func() {
				if e := recover(); e != nil {
					t.Fatalf("%#v on %v: panic %v", ly, in, e)
				}
			}()
			shape, n, err := ly.Plan(in)
			if err != nil {
				return
			}
			if shape.Size() < 1 {
				t.Fatalf("%#v on %v: output shape %v", ly, in, shape)
			}
			planned++
			const B = 2
			params, grads := make([]float64, n), make([]float64, n)
			ly.Bind(params, grads, B)
			ly.Init(r)
			x := make([]float64, in.Size()*B)
			r.Randn(x)
			y := ly.Forward(x, B, Mode{Train: true, Dropout: r})
			ly.Backward(y, true)
			ly.Forward(x, B, Mode{})
		}()
	}
	if planned < 300 {
		t.Errorf("only %d of 3000 settings were valid; the test exercises too little", planned)
	}
	t.Logf("%d of 3000 settings planned and ran", planned)
}
