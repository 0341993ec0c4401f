package nn

import (
	"fmt"
	"math"
	"testing"

	"github.com/optbench/optbench/engine/internal/testvec"
	"github.com/optbench/optbench/engine/optim"
	"github.com/optbench/optbench/engine/rng"
)

// torchVectors is testdata/torch_vectors.json, written by
// testdata/torch_vectors.py with Debian's python3-torch (float64, one
// thread).
type torchVectors struct {
	Torch  string
	Layers []struct {
		Name  string
		Layer struct {
			Kind                         string
			Out, Kernel, Stride, Padding int
			Bias                         *bool
			Slope                        float64
		}
		In                  []int
		Batch               int
		X, Params, C, Y, DX []string
		Grads               []string
		RunningMean         []string `json:"running_mean"`
		RunningVar          []string `json:"running_var"`
		YEval               []string `json:"y_eval"`
	}
	Nets []struct {
		Name string
		Net  struct {
			Kind            string
			C1, C2, Classes int
		}
		In     []int
		Batch  int
		Params []string
		X      []string
		Labels []int
		Logits []string
		Loss   string
		Grads  []string
		Adam   struct {
			LR    float64
			Steps []struct {
				X      []string
				Labels []int
				Loss   string
				Params []string
			}
			EvalX      []string `json:"eval_x"`
			EvalLogits []string `json:"eval_logits"`
		}
	}
}

func loadTorch(t *testing.T) torchVectors {
	var v torchVectors
	testvec.Load(t, "testdata/torch_vectors.json", &v)
	if len(v.Layers) == 0 || len(v.Nets) == 0 {
		t.Fatal("testdata/torch_vectors.json has no cases")
	}
	return v
}

// torchTol is the relative tolerance of forward outputs and gradients
// against torch: both sides are float64 and sum in different orders.
const torchTol = 1e-12

// worstRel returns the largest relative difference of got from want and
// where it is. Each element is compared relative to
// max(|want_i|, 1e-3·max_j |want_j|): a value that cancels to nearly 0
// carries the rounding of its terms, which are as large as the tensor's
// values, so it is held to the tensor's scale instead of its own size.
// In the committed vectors only one element needs that floor, the
// gradient of a convolution bias before batch norm (0 in exact
// arithmetic; torch gives 0, the GEMM here 4e-17); every other
// element matches within 1e-12 of its own magnitude. The floor also
// keeps the checks valid when the GEMM changes its summation order.
func worstRel(got, want []float64) (worst float64, at int) {
	if len(got) != len(want) {
		return math.Inf(1), -1
	}
	scale := 0.0
	for _, w := range want {
		scale = max(scale, math.Abs(w))
	}
	for i := range got {
		d := math.Abs(got[i] - want[i])
		if d == 0 {
			continue
		}
		r := d / max(math.Abs(want[i]), 1e-3*scale)
		if !(r <= worst) {
			worst, at = r, i
		}
	}
	return worst, at
}

func expectClose(t *testing.T, what string, got []float64, want []float64, tol float64) {
	t.Helper()
	w, at := worstRel(got, want)
	if !(w <= tol) {
		if at < 0 {
			t.Errorf("%s: %d values, torch has %d", what, len(got), len(want))
			return
		}
		t.Errorf("%s: element %d is %v, torch %v (relative %.3g > %g)", what, at, got[at], want[at], w, tol)
	}
}

func layerFromSpec(t *testing.T, kind string, out, kernel, stride, padding int, bias *bool, slope float64) Layer {
	noBias := bias != nil && !*bias
	switch kind {
	case "dense":
		return &Dense{Out: out, NoBias: noBias}
	case "conv":
		return &Conv2D{Out: out, Kernel: kernel, Stride: stride, Padding: padding, NoBias: noBias}
	case "maxpool":
		return &MaxPool2D{Kernel: kernel, Stride: stride, Padding: padding}
	case "avgpool":
		return &AvgPool2D{Kernel: kernel, Stride: stride, Padding: padding}
	case "globalavgpool":
		return &GlobalAvgPool{}
	case "batchnorm":
		return &BatchNorm{}
	case "flatten":
		return &Flatten{}
	case "relu":
		return &Activate{Func: ReLU}
	case "leaky_relu":
		return &Activate{Func: LeakyReLU, Slope: slope}
	case "sigmoid":
		return &Activate{Func: Sigmoid}
	case "tanh":
		return &Activate{Func: Tanh}
	case "residual":
		return &Residual{Out: out, Stride: stride}
	}
	t.Fatalf("unknown layer kind %q", kind)
	return nil
}

// batchNorms lists the batch-norm layers in ly in torch's modules() order.
func batchNorms(ly Layer) []*BatchNorm {
	switch l := ly.(type) {
	case *BatchNorm:
		return []*BatchNorm{l}
	case *Residual:
		var out []*BatchNorm
		for _, s := range l.all() {
			out = append(out, batchNorms(s)...)
		}
		return out
	}
	return nil
}

// TestLayersMatchTorch runs each layer on torch's inputs and weights and
// compares the output, dL/dx and dL/dθ for J = Σ c·y, the running
// averages after the training pass and the output of an inference pass.
func TestLayersMatchTorch(t *testing.T) {
	v := loadTorch(t)
	for _, tc := range v.Layers {
		t.Run(tc.Name, func(t *testing.T) {
			s := tc.Layer
			ly := layerFromSpec(t, s.Kind, s.Out, s.Kernel, s.Stride, s.Padding, s.Bias, s.Slope)
			_, n, err := ly.Plan(Shape(tc.In))
			if err != nil {
				t.Fatal(err)
			}
			want := testvec.HexFloats(t, tc.Params)
			if n != len(want) {
				t.Fatalf("%d parameters, torch has %d", n, len(want))
			}
			params, grads := make([]float64, n), make([]float64, n)
			ly.Bind(params, grads, tc.Batch)
			ly.Init(rng.New(1))
			copy(params, want)
			x := testvec.HexFloats(t, tc.X)
			y := ly.Forward(x, tc.Batch, Mode{Train: true})
			expectClose(t, "output", y, testvec.HexFloats(t, tc.Y), torchTol)
			dx := ly.Backward(testvec.HexFloats(t, tc.C), true)
			expectClose(t, "input gradient", dx, testvec.HexFloats(t, tc.DX), torchTol)
			expectClose(t, "parameter gradient", grads, testvec.HexFloats(t, tc.Grads), torchTol)
			if tc.YEval == nil {
				return
			}
			var mean, vr []float64
			for _, bn := range batchNorms(ly) {
				mean = append(mean, bn.RunningMean()...)
				vr = append(vr, bn.RunningVar()...)
			}
			expectClose(t, "running mean", mean, testvec.HexFloats(t, tc.RunningMean), torchTol)
			expectClose(t, "running var", vr, testvec.HexFloats(t, tc.RunningVar), torchTol)
			expectClose(t, "inference output", ly.Forward(x, tc.Batch, Mode{}), testvec.HexFloats(t, tc.YEval), torchTol)
		})
	}
}

// torchAdamTol is the tolerance of the parameters along an Adam
// trajectory: Adam divides by √ŝ, so a gradient's last-bit difference
// can grow by orders of magnitude in the update of a parameter whose
// gradient is small (the 1e-10).
const torchAdamTol = 1e-10

func netFromSpec(t *testing.T, kind string, c1, c2, classes int, in Shape) *Sequential {
	var layers []Layer
	switch kind {
	case "cnn":
		layers = smallCNN(c1, c2, classes)
	case "resnet":
		layers = smallResNet(c1, c2, classes)
	default:
		t.Fatalf("unknown net kind %q", kind)
	}
	net, err := NewSequential(in, SoftmaxCrossEntropy, rng.New(1), layers...)
	if err != nil {
		t.Fatal(err)
	}
	return net
}

func oneHotLabels(labels []int, k int) []float64 {
	B := len(labels)
	y := make([]float64, k*B)
	for c, l := range labels {
		y[l*B+c] = 1
	}
	return y
}

// TestNetsMatchTorch checks a small course CNN and a small ResNet against
// torch: the logits, mean cross-entropy and gradient of one batch, then a
// trajectory of engine/optim's Adam against torch.optim.Adam over fresh
// batches (loss before each step, every parameter after it), then the
// logits of an inference pass with the running averages it left.
func TestNetsMatchTorch(t *testing.T) {
	v := loadTorch(t)
	for _, tc := range v.Nets {
		t.Run(tc.Name, func(t *testing.T) {
			s := tc.Net
			net := netFromSpec(t, s.Kind, s.C1, s.C2, s.Classes, Shape(tc.In))
			want := testvec.HexFloats(t, tc.Params)
			if len(net.Params()) != len(want) {
				t.Fatalf("%d parameters, torch has %d", len(net.Params()), len(want))
			}
			copy(net.Params(), want)
			B, k := tc.Batch, s.Classes
			y := oneHotLabels(tc.Labels, k)
			net.Forward(testvec.HexFloats(t, tc.X), B, true, nil)
			logits := net.layers[len(net.layers)-1].(*Dense).y[:k*B]
			expectClose(t, "logits", logits, testvec.HexFloats(t, tc.Logits), torchTol)
			expectClose(t, "loss", []float64{net.Loss(y) / float64(B)}, testvec.HexFloats(t, []string{tc.Loss}), torchTol)
			net.Backward(y)
			expectClose(t, "gradient", net.Grads(), testvec.HexFloats(t, tc.Grads), torchTol)

			// The trajectory starts from the same parameters: the batch
			// above changed only the running averages, which training
			// passes do not read.
			copy(net.Params(), want)
			zeroGrad := zeroGradient(net)
			adam, err := optim.NewAdam(optim.DefaultAdamConfig)
			if err != nil {
				t.Fatal(err)
			}
			for i, st := range tc.Adam.Steps {
				y := oneHotLabels(st.Labels, k)
				net.Forward(testvec.HexFloats(t, st.X), B, true, nil)
				expectClose(t, fmt.Sprintf("step %d loss", i+1), []float64{net.Loss(y) / float64(B)},
					testvec.HexFloats(t, []string{st.Loss}), torchAdamTol)
				net.Backward(y)
				adam.Step(net.Params(), net.Grads(), tc.Adam.LR)
				wantParams := testvec.HexFloats(t, st.Params)
				got, exp := split(net.Params(), zeroGrad), split(wantParams, zeroGrad)
				expectClose(t, fmt.Sprintf("parameters after step %d", i+1), got[0], exp[0], torchAdamTol)
				for j, p := range got[1] {
					// Both sides' gradient is rounding noise δ ≲ 1e-16;
					// Adam moves such a parameter by about lr·δ/ε per step.
					if w, p0 := exp[1][j], split(want, zeroGrad)[1][j]; math.Abs(p-p0) > 1e-9 || math.Abs(w-p0) > 1e-9 {
						t.Errorf("step %d: bias before batch norm moved from %v to %v (torch %v)", i+1, p0, p, w)
					}
				}
			}
			// Inference reads the running averages the trajectory left;
			// start it from torch's parameters so that the noise in the
			// biases above does not count twice.
			copy(net.Params(), testvec.HexFloats(t, tc.Adam.Steps[len(tc.Adam.Steps)-1].Params))
			net.Forward(testvec.HexFloats(t, tc.Adam.EvalX), B, false, nil)
			logits = net.layers[len(net.layers)-1].(*Dense).y[:k*B]
			expectClose(t, "inference logits after training", logits, testvec.HexFloats(t, tc.Adam.EvalLogits), torchAdamTol)
		})
	}
}

// zeroGradient marks the parameters whose gradient is 0 in exact
// arithmetic: the bias of a convolution or dense layer followed directly
// by batch norm, which subtracts it again with the batch mean. Computed,
// their gradient is rounding noise on both sides.
func zeroGradient(n *Sequential) []bool {
	mask := make([]bool, len(n.params))
	off := 0
	for i, ly := range n.layers {
		if i+1 < len(n.layers) {
			if _, bn := n.layers[i+1].(*BatchNorm); bn {
				switch l := ly.(type) {
				case *Conv2D:
					for j := off + l.Out*l.rows; j < off+n.sizes[i]; j++ {
						mask[j] = true
					}
				case *Dense:
					for j := off + l.Out*l.in; j < off+n.sizes[i]; j++ {
						mask[j] = true
					}
				}
			}
		}
		off += n.sizes[i]
	}
	return mask
}

// split returns the values of v where mask is false, then where it is true.
func split(v []float64, mask []bool) [2][]float64 {
	var out [2][]float64
	for i, x := range v {
		if mask[i] {
			out[1] = append(out[1], x)
		} else {
			out[0] = append(out[0], x)
		}
	}
	return out
}
