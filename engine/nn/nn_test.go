package nn

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/optbench/optbench/engine/internal/gemm"
	"github.com/optbench/optbench/engine/rng"
)

// randomBatch draws a d×b input and k×b targets that suit the loss.
func randomBatch(r *rng.RandomState, d, k, b int, loss Loss) (x, y []float64) {
	x = make([]float64, d*b)
	r.Randn(x)
	y = make([]float64, k*b)
	for c := 0; c < b; c++ {
		switch loss {
		case BinaryCrossEntropy:
			for j := 0; j < k; j++ {
				if r.Float64() < 0.5 {
					y[j*b+c] = 1
				}
			}
		case SoftmaxCrossEntropy:
			y[int(r.Interval(uint64(k-1)))*b+c] = 1
		default:
			for j := 0; j < k; j++ {
				y[j*b+c] = r.NormFloat64()
			}
		}
	}
	return x, y
}

// TestGradientCheck proves backpropagation right for every activation,
// loss and regularizer: the course's two-sided check must give a relative
// difference below 1e-7 (the course's threshold for "correct").
func TestGradientCheck(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
	}{
		{"relu/bce", Config{Layers: []int{3, 5, 4, 1}}},
		{"sigmoid/bce", Config{Layers: []int{3, 5, 1}, Hidden: Sigmoid}},
		{"tanh/bce", Config{Layers: []int{3, 4, 4, 1}, Hidden: Tanh, Init: XavierNormal}},
		{"leaky/softmax", Config{Layers: []int{3, 6, 4}, Hidden: LeakyReLU, LeakySlope: 0.1, Loss: SoftmaxCrossEntropy}},
		{"elu/softmax", Config{Layers: []int{4, 6, 3}, Hidden: ELU, Loss: SoftmaxCrossEntropy, Init: HeUniform}},
		{"tanh/mse identity", Config{Layers: []int{3, 5, 2}, Hidden: Tanh, Loss: MeanSquaredError}},
		{"relu/mse sigmoid out", Config{Layers: []int{3, 5, 2}, Loss: MeanSquaredError, Output: Sigmoid}},
		{"multi-label bce", Config{Layers: []int{3, 5, 3}, Hidden: Tanh}},
		{"l2", Config{Layers: []int{3, 5, 1}, Hidden: Tanh, L2: 0.7}},
		{"l1", Config{Layers: []int{3, 5, 1}, Hidden: Tanh, L1: 0.3}},
		{"dropout", Config{Layers: []int{3, 8, 8, 1}, Hidden: Tanh, KeepProb: []float64{0.7, 0.8}}},
		{"batch norm", Config{Layers: []int{3, 6, 5, 2}, Hidden: Tanh, BatchNorm: true, Loss: SoftmaxCrossEntropy}},
		{"batch norm relu l2 dropout", Config{Layers: []int{4, 7, 1}, BatchNorm: true, L2: 0.1, KeepProb: []float64{0.9}, Hidden: ELU}},
		{"lecun/random init", Config{Layers: []int{3, 4, 1}, Hidden: Sigmoid, Init: RandomNormal, InitScale: 0.5}},
		{"xavier uniform", Config{Layers: []int{3, 4, 1}, Hidden: Tanh, Init: XavierUniform}},
		{"lecun normal", Config{Layers: []int{3, 4, 1}, Hidden: Tanh, Init: LeCunNormal}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rng.New(1)
			net, err := New(tt.cfg, r)
			if err != nil {
				t.Fatal(err)
			}
			// Perturb biases (and batch-norm scales) away from their initial
			// constants so that their gradients are exercised too.
			for i := range net.params {
				net.params[i] += 0.1 * r.NormFloat64()
			}
			const b = 7
			x, y := randomBatch(r, net.Inputs(), net.Outputs(), b, net.cfg.Loss)
			diff := GradientCheck(net, x, y, b, rng.New(2), GradCheckEpsilon)
			if !(diff < 1e-7) {
				t.Errorf("relative difference %.3g, want < 1e-7", diff)
			}
		})
	}
}

// corrupted is an Objective whose gradient is wrong in one entry.
type corrupted struct {
	Objective
	i      int
	factor float64
}

func (c corrupted) Gradient() []float64 {
	g := append([]float64(nil), c.Objective.Gradient()...)
	g[c.i] *= c.factor
	return g
}

func TestGradientCheckCatchesWrongGradient(t *testing.T) {
	// A check that cannot fail proves nothing: a gradient that is off by
	// 1% in a single weight must be caught, in its own layer only.
	net, err := New(Config{Layers: []int{2, 3, 1}, Hidden: Tanh}, rng.New(3))
	if err != nil {
		t.Fatal(err)
	}
	x, y := randomBatch(rng.New(4), 2, 1, 5, BinaryCrossEntropy)
	obj := BatchObjective(net, x, y, 5, nil)
	if c := CheckGradient(obj, GradCheckEpsilon, net.ParamsPerLayer()); !c.Passed() || !(c.Difference < 1e-7) {
		t.Fatalf("baseline relative difference %g", c.Difference)
	}
	before := append([]float64(nil), net.Params()...)
	c := CheckGradient(corrupted{obj, 1, 1.01}, GradCheckEpsilon, net.ParamsPerLayer())
	if !(c.Difference > 1e-5) || c.Passed() {
		t.Errorf("a wrong gradient passed the check: relative difference %g", c.Difference)
	}
	if len(c.Parts) != 2 || !(c.Parts[0] > 1e-5) || !(c.Parts[1] < 1e-7) {
		t.Errorf("per layer %v, want layer 1 (the wrong weight) > 1e-5 and layer 2 < 1e-7", c.Parts)
	}
	for i, p := range net.Params() {
		if p != before[i] {
			t.Fatalf("parameter %d changed from %v to %v", i, before[i], p)
		}
	}
}

func TestParamsPerLayer(t *testing.T) {
	net, err := New(Config{Layers: []int{2, 4, 3, 1}, BatchNorm: true}, rng.New(1))
	if err != nil {
		t.Fatal(err)
	}
	got := net.ParamsPerLayer()
	want := []int{2*4 + 4 + 4, 4*3 + 3 + 3, 3 + 1} // W, b and γ of the hidden layers
	if !slices.Equal(got, want) {
		t.Errorf("ParamsPerLayer = %v, want %v", got, want)
	}
	if sum := got[0] + got[1] + got[2]; sum != len(net.Params()) {
		t.Errorf("sizes add up to %d, not %d", sum, len(net.Params()))
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		cfg  Config
		want string
	}{
		{Config{Layers: []int{2}}, "at least an input and an output"},
		{Config{Layers: []int{2, -3, 1}}, "layers[1] = -3"},
		{Config{Layers: []int{2, 1 << 21, 1}}, "layers[1] = 2097152 is outside the allowed range [1, 1048576]"},
		{Config{Layers: []int{1 << 20, 1 << 20, 1}}, "more than the 134217728 allowed"},
		{Config{Layers: []int{2, 3, 1}, KeepProb: []float64{0}}, "keep_prob = 0 is outside the allowed range (0, 1]"},
		{Config{Layers: []int{2, 3, 1}, KeepProb: []float64{1.5}}, "keep_prob = 1.5"},
		{Config{Layers: []int{2, 3, 3, 1}, KeepProb: []float64{0.5, 0.5, 0.5}}, "one per hidden layer (2)"},
		{Config{Layers: []int{2, 3, 1}, L2: -1}, "l2 = -1 is outside the allowed range [0, ∞)"},
		{Config{Layers: []int{2, 3, 1}, Hidden: Softmax}, "softmax is allowed only at the output"},
		{Config{Layers: []int{2, 3, 1}, Loss: SoftmaxCrossEntropy}, "at least 2 output units"},
		{Config{Layers: []int{2, 3, 1}, Output: Tanh}, "needs a sigmoid output"},
		{Config{Layers: []int{2, 3, 1}, BNMomentum: 1}, "bn_momentum = 1 is outside the allowed range [0, 1)"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			err := tt.cfg.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Validate() = %v, want an error containing %q", err, tt.want)
			}
			if _, err := New(tt.cfg, rng.New(0)); err == nil {
				t.Fatal("New accepted an invalid configuration")
			}
		})
	}
}

func TestParseNames(t *testing.T) {
	for _, name := range ActivationNames() {
		if _, err := ParseActivation(name); err != nil {
			t.Error(err)
		}
	}
	if _, err := ParseActivation("swish"); err == nil || !strings.Contains(err.Error(), "valid: ") {
		t.Errorf("ParseActivation(swish) = %v", err)
	}
	if _, err := ParseInit("orthogonal"); err == nil {
		t.Error("ParseInit accepted an unknown name")
	}
	if _, err := ParseLoss("hinge"); err == nil {
		t.Error("ParseLoss accepted an unknown name")
	}
}

// TestRowSums: every row's sum is the left-to-right sum of its elements,
// for every number of rows up to 20 (the groups of eight, four, two and
// one, and the groups of three and five to seven that borrow a row).
func TestRowSums(t *testing.T) {
	r := rng.New(5)
	for rows := 0; rows <= 20; rows++ {
		for _, cols := range []int{0, 1, 7, 64} {
			x := make([]float64, rows*cols)
			for i := range x {
				x[i] = r.NormFloat64() * math.Exp(20*r.Float64())
			}
			dst := make([]float64, rows+1)
			dst[rows] = 42
			rowSums(dst, x, rows, cols)
			for i := 0; i < rows; i++ {
				var want float64
				for _, v := range x[i*cols : (i+1)*cols] {
					want += v
				}
				if math.Float64bits(dst[i]) != math.Float64bits(want) {
					t.Fatalf("%d×%d: row %d sums to %v, want %v", rows, cols, i, dst[i], want)
				}
			}
			if dst[rows] != 42 {
				t.Fatalf("%d×%d: wrote past the rows", rows, cols)
			}
		}
	}
}

// TestBackwardBiasLane: for small layers Backward takes the bias gradient
// in a lane of the weight gradient's pass, against a row of ones after the
// layer's input. Through batches of changing size, inference passes over
// larger batches in between (which overwrite the row of ones) and dropout
// (activations in their own buffer), every layer's db must still be
// rowSums of its delta and dW the product δ·prevᵀ, bit for bit.
func TestBackwardBiasLane(t *testing.T) {
	for _, keep := range []float64{1, 0.7} {
		r := rng.New(9)
		net, err := New(Config{Layers: []int{3, 5, 4, 2}, Loss: BinaryCrossEntropy, KeepProb: []float64{keep}}, r)
		if err != nil {
			t.Fatal(err)
		}
		drop := rng.New(10)
		for step, c := range []struct {
			batch int
			train bool
		}{{6, true}, {6, true}, {11, false}, {6, true}, {4, true}, {9, false}, {4, true}, {7, true}, {2, false}, {7, true}} {
			x, y := make([]float64, 3*c.batch), make([]float64, 2*c.batch)
			r.Randn(x)
			for i := range y {
				y[i] = float64(r.Interval(1))
			}
			net.Forward(x, c.batch, c.train, drop)
			if !c.train {
				continue
			}
			net.Backward(y)
			for i := range net.layers {
				ly := &net.layers[i]
				delta := ly.delta[:ly.out*c.batch]
				prev := x
				if i > 0 {
					prev = net.layers[i-1].a[:ly.in*c.batch]
				}
				db := make([]float64, ly.out)
				rowSums(db, delta, ly.out, c.batch)
				dw := make([]float64, ly.out*ly.in)
				var w gemm.Workspace
				w.Mul(gemm.NoTrans, gemm.Trans, matrix(delta, ly.out, c.batch), matrix(prev, ly.in, c.batch), gemm.Set, matrix(dw, ly.out, ly.in))
				for j := range db {
					if math.Float64bits(db[j]) != math.Float64bits(ly.db[j]) {
						t.Fatalf("keep %v, step %d, layer %d: db[%d] = %v, the sum of delta's row is %v", keep, step, i, j, ly.db[j], db[j])
					}
				}
				for j := range dw {
					if math.Float64bits(dw[j]) != math.Float64bits(ly.dw[j]) {
						t.Fatalf("keep %v, step %d, layer %d: dw[%d] = %v, δ·prevᵀ gives %v", keep, step, i, j, ly.dw[j], dw[j])
					}
				}
			}
		}
	}
}
