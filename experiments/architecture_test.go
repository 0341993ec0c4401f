package experiments

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/train"
)

func TestArchitectureText(t *testing.T) {
	def := &Architecture{Name: ArchCNN, Channels: []int{8, 16}, Kernel: 3, Convs: 1, Pool: 2}
	tests := []struct {
		in, want string
		def      *Architecture
	}{
		{"cnn", "cnn(channels=16x32,kernel=5,convs=2,pool=2)", nil},
		{"cnn", "cnn(channels=8x16,kernel=3,convs=1,pool=2)", def},
		{"cnn(kernel=5)", "cnn(channels=8x16,kernel=5,convs=1,pool=2)", def},
		{" cnn( channels = 4x4x4 , pool=1 ) ", "cnn(channels=4x4x4,kernel=5,convs=2,pool=1)", nil},
		{"cnn()", "cnn(channels=16x32,kernel=5,convs=2,pool=2)", nil},
		{"2c2d", "2c2d", def},
		{"resnet", "resnet(blocks=3x3x3,channels=16x32x64)", def},
		{"resnet(blocks=2x2x2x2,channels=64x128x256x512)", "resnet(blocks=2x2x2x2,channels=64x128x256x512)", nil},
		{"mlp", "mlp(hidden=16x16)", nil},
		{"mlp(hidden=64)", "mlp(hidden=64)", nil},
	}
	for _, tt := range tests {
		a, err := ParseArchitecture(tt.in, tt.def)
		if err != nil {
			t.Errorf("ParseArchitecture(%q): %v", tt.in, err)
			continue
		}
		if got := a.String(); got != tt.want {
			t.Errorf("ParseArchitecture(%q) = %s, want %s", tt.in, got, tt.want)
		}
		// The canonical text reads back as itself, whatever the default.
		b, err := ParseArchitecture(a.String(), nil)
		if err != nil || !reflect.DeepEqual(a, b) {
			t.Errorf("%s reads back as %+v, %v", a, b, err)
		}
	}
	for _, tt := range []struct{ in, want string }{
		{"cnx", `unknown name "cnx" (did you mean "cnn"?)`},
		{"cnn(chanels=8)", `cnn: unknown setting "chanels" (did you mean "channels"?)`},
		{"cnn(kernel=4)", "kernel = 4 must be odd"},
		{"cnn(kernel=x)", `kernel: "x" is not a number`},
		{"cnn(channels=8x0)", "channels[1] = 0 must be a whole number"},
		{"cnn(kernel=3", "want name(setting=value,…)"},
		{"cnn(kernel=3,kernel=5)", "kernel is given twice"},
		{"cnn(kernel)", `"kernel" is not setting=value`},
		{"2c2d(channels=3)", `unknown setting "channels"; 2c2d has no settings`},
		{"resnet(blocks=1x1)", "2 stages of blocks but 3 of channels"},
		{"resnet(blocks=65,channels=4)", "at most 64 basic blocks per stage"},
		{"cnn(channels=" + strings.Repeat("1x", 70) + "1)", "a list of 71 numbers; at most 64"},
		{"cnn(channels=1x1x1x1x1x1x1x1x1)", "channels has 9 blocks; want 1 to 8"},
	} {
		_, err := ParseArchitecture(tt.in, nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseArchitecture(%q): %v, want an error containing %q", tt.in, err, tt.want)
		}
	}
}

// TestArchitectureResolve: an architecture enters resolved parameters
// (and the key) only when given to an experiment that predates it, is
// completed from the experiment's defaults, resolves to itself again,
// and takes the MLP settings only when it is the mlp.
func TestArchitectureResolve(t *testing.T) {
	digits := mustLookup(t, "digits-mlp")
	p, err := digits.Resolve(nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := p["architecture"]; ok {
		t.Errorf("digits-mlp resolves an architecture it was not given: %v", p["architecture"])
	}
	for _, tt := range []struct {
		exp   string
		given engine.Params
		want  string
		drops bool // the MLP settings are gone
	}{
		{"digits-mlp", engine.Params{"architecture": "mlp"}, "mlp(hidden=64)", false},
		{"digits-mlp", engine.Params{"architecture": "mlp", "hidden": []float64{32}}, "mlp(hidden=32)", false},
		{"digits-mlp", engine.Params{"architecture": "cnn"}, "cnn(channels=16x32,kernel=5,convs=2,pool=2)", true},
		{"digits-cnn", nil, "cnn(channels=16,kernel=3,convs=2,pool=2)", true},
		{"digits-cnn", engine.Params{"architecture": "cnn(kernel=5)"}, "cnn(channels=16,kernel=5,convs=2,pool=2)", true},
		{"digits-cnn", engine.Params{"architecture": "resnet(blocks=1x1,channels=4x8)"}, "resnet(blocks=1x1,channels=4x8)", true},
		{"digits-cnn", engine.Params{"architecture": "mlp"}, "mlp(hidden=16x16)", false},
	} {
		x := mustLookup(t, tt.exp)
		p, err := x.Resolve(tt.given)
		if err != nil {
			t.Errorf("%s %v: %v", tt.exp, tt.given, err)
			continue
		}
		if got, _ := p.String("architecture"); got != tt.want {
			t.Errorf("%s %v: architecture %s, want %s", tt.exp, tt.given, got, tt.want)
		}
		for _, k := range mlpOnly {
			if _, has := p[k]; has == tt.drops && (k == "hidden" || k == "l2") {
				t.Errorf("%s %v: %s present = %v", tt.exp, tt.given, k, has)
			}
		}
		again, err := x.Resolve(p)
		if err != nil || !reflect.DeepEqual(again, p) {
			t.Errorf("%s %v: resolving the resolved parameters gives %v, %v; want %v", tt.exp, tt.given, again, err, p)
		}
		if err := x.CheckModel(p); err != nil {
			t.Errorf("%s %v: CheckModel: %v", tt.exp, tt.given, err)
		}
	}
	if _, err := digits.Resolve(engine.Params{"architecture": "cnn", "l2": 0.001}); err == nil ||
		!strings.Contains(err.Error(), "l2 does not apply to architecture cnn") {
		t.Errorf("l2 with a cnn: %v", err)
	}
}

// TestArchitectureMLPIsTheNetwork: architecture mlp trains the same
// network as the experiment without the setting, bit for bit (only the
// key differs).
func TestArchitectureMLPIsTheNetwork(t *testing.T) {
	run := func(p engine.Params) []train.Epoch {
		var curve []train.Epoch
		_, err := Run(context.Background(), engine.Trial{Experiment: "digits-mlp", Seed: 2, Params: p, Budget: engine.Budget{Epochs: 3}},
			train.Watch(func(e train.Epoch) { curve = append(curve, e) }))
		if err != nil {
			t.Fatal(err)
		}
		return curve
	}
	a, b := run(nil), run(engine.Params{"architecture": "mlp"})
	for i := range a {
		for j := range a[i].Values {
			if math.Float64bits(a[i].Values[j]) != math.Float64bits(b[i].Values[j]) {
				t.Fatalf("epoch %d: %v without an architecture, %v with architecture mlp", i, a[i].Values, b[i].Values)
			}
		}
	}
}

// TestDigitsCNNAccuracy is issue 13's acceptance test for the digits
// CNN: on the split of scikit-learn's classification example, trained
// on all 898 training images as TestDigitsMLPAccuracy trains the MLP, it
// reaches a test accuracy of at least 0.97 (digits-cnn's defaults: one
// block of two 3×3 convolutions of 16 channels, AdamW 0.003 with weight
// decay 0.1, 40 epochs). This build measured 0.9722, 0.9722, 0.9789,
// 0.9722, 0.9722 for seeds 0–4 (0.9666–0.9755 with the default 90
// images held out for validation), about 2 s a trial.
func TestDigitsCNNAccuracy(t *testing.T) {
	seeds := []uint64{0, 1, 2}
	if testing.Short() {
		seeds = seeds[:1]
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			t.Parallel()
			x := mustLookup(t, "digits-cnn")
			res, err := Run(context.Background(), engine.Trial{Experiment: "digits-cnn", Seed: seed,
				Params: engine.Params{"n_val": 0.0}, Budget: x.Budget}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if acc := finalMetric(res.Final, "test_accuracy"); acc < 0.97 {
				t.Errorf("test accuracy %.4f, want at least 0.97", acc)
			}
		})
	}
}

// TestFashionMNISTConvSubset trains the Fashion-MNIST convolutional
// experiments on a few hundred images for an epoch or two, through the
// whole path (the files, the split, normalization, the layers).
func TestFashionMNISTConvSubset(t *testing.T) {
	requireFashionMNIST(t)
	small := engine.Params{"n_train": 600.0, "n_val": 100.0, "n_test": 500.0}
	with := func(extra engine.Params) engine.Params {
		p := engine.Params{}
		for k, v := range small {
			p[k] = v
		}
		for k, v := range extra {
			p[k] = v
		}
		return p
	}
	for _, tt := range []struct {
		exp    string
		params engine.Params
		epochs int
		min    float64 // test accuracy; chance is 0.1
	}{
		// The course's CNN, narrowed so that the default suite stays fast.
		// Measured 0.6440 after two epochs on 500 images.
		{"fmnist-cnn", with(engine.Params{"architecture": "cnn(channels=4x8,kernel=3)", "batch_size": 32.0}), 2, 0.5},
		// DeepOBS's network as it is, for two steps (of 128 and 64
		// images): measured 0.1750, above chance already.
		{"fmnist-2c2d", engine.Params{"n_train": 256.0, "n_val": 64.0, "n_test": 200.0}, 1, 0.15},
		// A two-stage ResNet for one epoch: measured 0.2460.
		{"fmnist-resnet", with(engine.Params{"architecture": "resnet(blocks=1x1,channels=4x8)", "batch_size": 32.0}), 1, 0.2},
	} {
		t.Run(tt.exp, func(t *testing.T) {
			res, err := Run(context.Background(), engine.Trial{Experiment: tt.exp, Seed: 0, Params: tt.params,
				Budget: engine.Budget{Epochs: tt.epochs}}, nil)
			if err != nil {
				t.Fatal(err)
			}
			acc := finalMetric(res.Final, "test_accuracy")
			t.Logf("%s: test accuracy %.4f, status %s", tt.exp, acc, res.Status)
			if res.Status != train.Completed || !(acc >= tt.min) {
				t.Errorf("status %s, test accuracy %.4f; want completed and at least %v", res.Status, acc, tt.min)
			}
		})
	}
}
