package optim_test

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/optbench/optbench/engine/optim"
)

func TestNames(t *testing.T) {
	want := []string{"adagrad", "adam", "adamax", "adamw", "amsgrad", "gd",
		"heavy_ball", "momentum", "nadam", "nesterov", "rmsprop"}
	got := optim.Names()
	if !slices.Equal(got, want) {
		t.Fatalf("Names() = %q, want %q", got, want)
	}
	got[0] = "changed"
	if optim.Names()[0] != "adagrad" {
		t.Error("Names returns the registry's own slice")
	}
}

// TestSettings checks that every optimizer publishes valid, uniquely named
// settings whose defaults are allowed.
func TestSettings(t *testing.T) {
	known := map[string]bool{
		"beta": true, "momentum": true, "dampening": true, "beta1": true, "beta2": true,
		"eps": true, "weight_decay": true, "lr_decay": true, "initial_accumulator": true,
		"momentum_decay": true, "bias_correction": true, "eps_inside_sqrt": true, "centered": true,
	}
	for _, name := range optim.Names() {
		t.Run(name, func(t *testing.T) {
			specs, err := optim.Settings(name)
			if err != nil {
				t.Fatal(err)
			}
			seen := map[string]bool{}
			for _, s := range specs {
				if !known[s.Name] {
					t.Errorf("setting %q is not one of the shared names", s.Name)
				}
				if seen[s.Name] {
					t.Errorf("setting %q listed twice", s.Name)
				}
				seen[s.Name] = true
				if err := s.Check(s.Default); err != nil {
					t.Errorf("default: %v", err)
				}
				if s.Doc == "" {
					t.Errorf("setting %q has no Doc", s.Name)
				}
			}
		})
	}
}

// TestSettingsDefaults checks the published defaults that config files rely on.
func TestSettingsDefaults(t *testing.T) {
	tests := []struct {
		name string
		want map[string]float64
	}{
		{"gd", map[string]float64{"weight_decay": 0}},
		{"momentum", map[string]float64{"beta": 0.9}},
		{"heavy_ball", map[string]float64{"momentum": 0.9, "dampening": 0, "weight_decay": 0}},
		{"nesterov", map[string]float64{"momentum": 0.9, "weight_decay": 0}},
		{"adagrad", map[string]float64{"lr_decay": 0, "initial_accumulator": 0, "eps": 1e-10, "weight_decay": 0}},
		{"rmsprop", map[string]float64{"beta": 0.9, "eps": 1e-8, "centered": 0, "momentum": 0, "weight_decay": 0}},
		{"adam", map[string]float64{"beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0, "bias_correction": 1, "eps_inside_sqrt": 0}},
		{"adamw", map[string]float64{"beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.01}},
		{"amsgrad", map[string]float64{"beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0}},
		{"adamax", map[string]float64{"beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0}},
		{"nadam", map[string]float64{"beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0, "momentum_decay": 4e-3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			specs, err := optim.Settings(tt.name)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]float64{}
			for _, s := range specs {
				got[s.Name] = s.Default
			}
			if len(got) != len(tt.want) {
				t.Errorf("settings %v, want %v", got, tt.want)
			}
			for k, v := range tt.want {
				if g, ok := got[k]; !ok || g != v {
					t.Errorf("default %s = %v (present %v), want %v", k, g, ok, v)
				}
			}
		})
	}
}

// TestNewMatchesConstructors checks that the registry maps every setting to
// the right Config field: New with all settings given must step exactly as
// the typed constructor with the same Config.
func TestNewMatchesConstructors(t *testing.T) {
	tests := []struct {
		name     string
		settings map[string]float64
		typed    func() (optim.Optimizer, error)
	}{
		{"gd", map[string]float64{"weight_decay": 0.1},
			func() (optim.Optimizer, error) { return optim.NewGD(optim.GDConfig{WeightDecay: 0.1}) }},
		{"momentum", map[string]float64{"beta": 0.7},
			func() (optim.Optimizer, error) { return optim.NewMomentum(optim.MomentumConfig{Beta: 0.7}) }},
		{"heavy_ball", map[string]float64{"momentum": 0.8, "dampening": 0.2, "weight_decay": 0.1},
			func() (optim.Optimizer, error) {
				return optim.NewHeavyBall(optim.HeavyBallConfig{Momentum: 0.8, Dampening: 0.2, WeightDecay: 0.1})
			}},
		{"nesterov", map[string]float64{"momentum": 0.8, "weight_decay": 0.1},
			func() (optim.Optimizer, error) {
				return optim.NewNesterov(optim.NesterovConfig{Momentum: 0.8, WeightDecay: 0.1})
			}},
		{"adagrad", map[string]float64{"lr_decay": 0.1, "initial_accumulator": 0.2, "eps": 1e-3, "weight_decay": 0.1},
			func() (optim.Optimizer, error) {
				return optim.NewAdaGrad(optim.AdaGradConfig{LRDecay: 0.1, InitialAccumulator: 0.2, Eps: 1e-3, WeightDecay: 0.1})
			}},
		{"rmsprop", map[string]float64{"beta": 0.8, "eps": 1e-3, "centered": 1, "momentum": 0.5, "weight_decay": 0.1},
			func() (optim.Optimizer, error) {
				return optim.NewRMSProp(optim.RMSPropConfig{Beta: 0.8, Eps: 1e-3, Centered: true, Momentum: 0.5, WeightDecay: 0.1})
			}},
		{"adam", map[string]float64{"beta1": 0.8, "beta2": 0.9, "eps": 1e-3, "weight_decay": 0.1, "bias_correction": 0, "eps_inside_sqrt": 1},
			func() (optim.Optimizer, error) {
				return optim.NewAdam(optim.AdamConfig{Beta1: 0.8, Beta2: 0.9, Eps: 1e-3, WeightDecay: 0.1, NoBiasCorrection: true, EpsInsideSqrt: true})
			}},
		{"adamw", map[string]float64{"beta1": 0.8, "beta2": 0.9, "eps": 1e-3, "weight_decay": 0.1},
			func() (optim.Optimizer, error) {
				return optim.NewAdamW(optim.AdamWConfig{Beta1: 0.8, Beta2: 0.9, Eps: 1e-3, WeightDecay: 0.1})
			}},
		{"amsgrad", map[string]float64{"beta1": 0.8, "beta2": 0.9, "eps": 1e-3, "weight_decay": 0.1},
			func() (optim.Optimizer, error) {
				return optim.NewAMSGrad(optim.AMSGradConfig{Beta1: 0.8, Beta2: 0.9, Eps: 1e-3, WeightDecay: 0.1})
			}},
		{"adamax", map[string]float64{"beta1": 0.8, "beta2": 0.9, "eps": 1e-3, "weight_decay": 0.1},
			func() (optim.Optimizer, error) {
				return optim.NewAdamax(optim.AdamaxConfig{Beta1: 0.8, Beta2: 0.9, Eps: 1e-3, WeightDecay: 0.1})
			}},
		{"nadam", map[string]float64{"beta1": 0.8, "beta2": 0.9, "eps": 1e-3, "weight_decay": 0.1, "momentum_decay": 0.01},
			func() (optim.Optimizer, error) {
				return optim.NewNAdam(optim.NAdamConfig{Beta1: 0.8, Beta2: 0.9, Eps: 1e-3, WeightDecay: 0.1, MomentumDecay: 0.01})
			}},
	}
	covered := map[string]bool{}
	for _, tt := range tests {
		covered[tt.name] = true
		t.Run(tt.name, func(t *testing.T) {
			specs, _ := optim.Settings(tt.name)
			if len(specs) != len(tt.settings) {
				t.Fatalf("test gives %d settings, %s has %d", len(tt.settings), tt.name, len(specs))
			}
			fromRegistry, err := optim.New(tt.name, tt.settings)
			if err != nil {
				t.Fatal(err)
			}
			typed, err := tt.typed()
			if err != nil {
				t.Fatal(err)
			}
			a, b := trajectory(fromRegistry, 6), trajectory(typed, 6)
			if !slices.Equal(a, b) {
				t.Errorf("New(%q, %v) steps to %v, typed constructor to %v", tt.name, tt.settings, a, b)
			}
		})
	}
	for _, name := range optim.Names() {
		if !covered[name] {
			t.Errorf("%s not covered", name)
		}
	}
}

// trajectory runs steps updates on three parameters with fixed gradients
// and returns the parameters after the last.
func trajectory(o optim.Optimizer, steps int) []float64 {
	params := []float64{1, -2, 0.5}
	for s := range steps {
		x := float64(s + 1)
		o.Step(params, []float64{0.3 * x, -1 / x, math.Sin(x)}, 0.05)
	}
	return params
}

func TestNewRejects(t *testing.T) {
	tests := []struct {
		name     string
		settings map[string]float64
		want     string
	}{
		{"adamm", nil, `optim: unknown optimizer "adamm" (valid: adagrad, adam, adamax, adamw, amsgrad, gd, heavy_ball, momentum, nadam, nesterov, rmsprop)`},
		{"adam", map[string]float64{"momentum": 0.9}, `optim: adam: unknown setting "momentum" (valid: beta1, beta2, eps, weight_decay, bias_correction, eps_inside_sqrt)`},
		{"adam", map[string]float64{"beta1": 1}, "optim: adam: beta1 = 1 is outside the allowed range [0, 1)"},
		{"adam", map[string]float64{"beta2": -0.1}, "optim: adam: beta2 = -0.1 is outside the allowed range [0, 1)"},
		{"adam", map[string]float64{"eps": 0}, "optim: adam: eps = 0 is outside the allowed range (0, ∞)"},
		{"adam", map[string]float64{"eps": math.Inf(1)}, "optim: adam: eps = ∞ is outside the allowed range (0, ∞)"},
		{"adam", map[string]float64{"bias_correction": 0.5}, "optim: adam: bias_correction = 0.5 must be a whole number"},
		{"adam", map[string]float64{"eps_inside_sqrt": 2}, "optim: adam: eps_inside_sqrt = 2 is outside the allowed range [0, 1]"},
		{"adamw", map[string]float64{"weight_decay": -0.01}, "optim: adamw: weight_decay = -0.01 is outside the allowed range [0, ∞)"},
		{"momentum", map[string]float64{"beta": math.NaN()}, "optim: momentum: beta = NaN is outside the allowed range [0, 1)"},
		{"heavy_ball", map[string]float64{"dampening": 1.5}, "optim: heavy_ball: dampening = 1.5 is outside the allowed range [0, 1]"},
		{"nesterov", map[string]float64{"momentum": 1}, "optim: nesterov: momentum = 1 is outside the allowed range [0, 1)"},
		{"adagrad", map[string]float64{"lr_decay": -1}, "optim: adagrad: lr_decay = -1 is outside the allowed range [0, ∞)"},
		{"adagrad", map[string]float64{"initial_accumulator": -1}, "optim: adagrad: initial_accumulator = -1 is outside the allowed range [0, ∞)"},
		{"rmsprop", map[string]float64{"centered": -1}, "optim: rmsprop: centered = -1 is outside the allowed range [0, 1]"},
		{"nadam", map[string]float64{"momentum_decay": -4e-3}, "optim: nadam: momentum_decay = -0.004 is outside the allowed range [0, ∞)"},
		{"adamax", map[string]float64{"eps": -1e-8}, "optim: adamax: eps = -1e-08 is outside the allowed range (0, ∞)"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			o, err := optim.New(tt.name, tt.settings)
			if err == nil {
				t.Fatalf("New(%q, %v) = %v, want an error", tt.name, tt.settings, o)
			}
			if o != nil {
				t.Errorf("New returned a non-nil Optimizer %#v with its error", o)
			}
			if err.Error() != tt.want {
				t.Errorf("error %q\nwant     %q", err, tt.want)
			}
		})
	}
}

func TestSettingsUnknownName(t *testing.T) {
	_, err := optim.Settings("sgd")
	if err == nil || !strings.Contains(err.Error(), `"sgd"`) || !strings.Contains(err.Error(), "heavy_ball") {
		t.Errorf("Settings(\"sgd\") error = %v, want one naming it and listing the valid names", err)
	}
}

// TestConstructorsReject checks that the typed constructors validate with the
// same messages as New, including for zero Configs whose eps is 0.
func TestConstructorsReject(t *testing.T) {
	bad := func(o optim.Optimizer, err error) error { return err }
	tests := []struct {
		err  error
		want string
	}{
		{bad(optim.NewMomentum(optim.MomentumConfig{Beta: -0.5})), "optim: momentum: beta = -0.5 is outside the allowed range [0, 1)"},
		{bad(optim.NewHeavyBall(optim.HeavyBallConfig{Momentum: 0.9, Dampening: -1})), "optim: heavy_ball: dampening = -1 is outside the allowed range [0, 1]"},
		{bad(optim.NewNesterov(optim.NesterovConfig{Momentum: 0.9, WeightDecay: -1})), "optim: nesterov: weight_decay = -1 is outside the allowed range [0, ∞)"},
		{bad(optim.NewGD(optim.GDConfig{WeightDecay: math.NaN()})), "optim: gd: weight_decay = NaN is outside the allowed range [0, ∞)"},
		{bad(optim.NewAdaGrad(optim.AdaGradConfig{})), "optim: adagrad: eps = 0 is outside the allowed range (0, ∞)"},
		{bad(optim.NewRMSProp(optim.RMSPropConfig{Beta: 1, Eps: 1e-8})), "optim: rmsprop: beta = 1 is outside the allowed range [0, 1)"},
		{bad(optim.NewAdam(optim.AdamConfig{Beta1: 0.9, Beta2: 1.5, Eps: 1e-8})), "optim: adam: beta2 = 1.5 is outside the allowed range [0, 1)"},
		{bad(optim.NewAdam(optim.AdamConfig{})), "optim: adam: eps = 0 is outside the allowed range (0, ∞)"},
		{bad(optim.NewAdamW(optim.AdamWConfig{Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: -0.01})), "optim: adamw: weight_decay = -0.01 is outside the allowed range [0, ∞)"},
		{bad(optim.NewAMSGrad(optim.AMSGradConfig{Beta1: 1, Beta2: 0.999, Eps: 1e-8})), "optim: amsgrad: beta1 = 1 is outside the allowed range [0, 1)"},
		{bad(optim.NewAdamax(optim.AdamaxConfig{Beta1: 0.9, Beta2: 0.999})), "optim: adamax: eps = 0 is outside the allowed range (0, ∞)"},
		{bad(optim.NewNAdam(optim.NAdamConfig{Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, MomentumDecay: -1})), "optim: nadam: momentum_decay = -1 is outside the allowed range [0, ∞)"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if tt.err == nil || tt.err.Error() != tt.want {
				t.Errorf("error %v\nwant  %q", tt.err, tt.want)
			}
		})
	}
}

// TestZeroConfigs checks which zero Configs are usable as they stand: those
// whose zero fields are all allowed.
func TestZeroConfigs(t *testing.T) {
	if _, err := optim.NewGD(optim.GDConfig{}); err != nil {
		t.Errorf("NewGD(GDConfig{}): %v", err)
	}
	if _, err := optim.NewMomentum(optim.MomentumConfig{}); err != nil {
		t.Errorf("NewMomentum(MomentumConfig{}): %v", err)
	}
	if _, err := optim.NewHeavyBall(optim.HeavyBallConfig{}); err != nil {
		t.Errorf("NewHeavyBall(HeavyBallConfig{}): %v", err)
	}
	if _, err := optim.NewNesterov(optim.NesterovConfig{}); err != nil {
		t.Errorf("NewNesterov(NesterovConfig{}): %v", err)
	}
}
