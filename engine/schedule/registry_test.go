package schedule_test

import (
	"math"
	"slices"
	"testing"

	"github.com/optbench/optbench/engine/schedule"
)

func TestNames(t *testing.T) {
	want := []string{"constant", "cosine", "exponential", "inverse_sqrt_epoch",
		"inverse_sqrt_step", "inverse_time", "piecewise_constant", "step", "stepped_inverse_time"}
	if got := schedule.Names(); !slices.Equal(got, want) {
		t.Fatalf("Names() = %q, want %q", got, want)
	}
}

func TestSpecs(t *testing.T) {
	tests := []struct {
		name string
		want map[string]float64 // defaults, besides the warm-up settings
	}{
		{"constant", map[string]float64{}},
		{"inverse_time", map[string]float64{"decay_rate": 1}},
		{"stepped_inverse_time", map[string]float64{"decay_rate": 1, "interval": 1000}},
		{"exponential", map[string]float64{"gamma": 0.95}},
		{"inverse_sqrt_epoch", map[string]float64{"k": 1}},
		{"inverse_sqrt_step", map[string]float64{"k": 1}},
		{"piecewise_constant", map[string]float64{}},
		{"cosine", map[string]float64{"t_max": 0, "eta_min": 0}},
		{"step", map[string]float64{"step_size": 0, "gamma": 0.1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			specs, err := schedule.Specs(tt.name)
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]float64{"warmup_epochs": 0, "warmup_steps": 0, "warmup_start": 1.0 / 3}
			for k, v := range tt.want {
				want[k] = v
			}
			if len(specs) != len(want) {
				t.Errorf("%d specs, want %d", len(specs), len(want))
			}
			for _, s := range specs {
				d, ok := want[s.Name]
				if !ok || d != s.Default {
					t.Errorf("spec %s default %v, want %v (known %v)", s.Name, s.Default, d, ok)
				}
				if s.Doc == "" {
					t.Errorf("spec %s has no Doc", s.Name)
				}
				// t_max and step_size are required: their defaults are deliberately outside the range.
				if err := s.Check(s.Default); err != nil && s.Name != "t_max" && s.Name != "step_size" {
					t.Errorf("default: %v", err)
				}
			}
		})
	}
}

func TestTiming(t *testing.T) {
	tests := []struct {
		text string
		want schedule.Timing
	}{
		{"", schedule.DefaultTiming},
		{"default", schedule.DefaultTiming},
		{"before_epoch", schedule.BeforeEpoch},
		{"after_epoch", schedule.AfterEpoch},
		{"per_step", schedule.PerStep},
	}
	for _, tt := range tests {
		got, err := schedule.ParseTiming(tt.text)
		if err != nil || got != tt.want {
			t.Errorf("ParseTiming(%q) = %v, %v; want %v", tt.text, got, err, tt.want)
		}
		if tt.text != "" && got.String() != tt.text {
			t.Errorf("%v.String() = %q, want %q", got, got.String(), tt.text)
		}
	}
	if _, err := schedule.ParseTiming("before"); err == nil ||
		err.Error() != `schedule: unknown timing "before" (valid: before_epoch, after_epoch, per_step)` {
		t.Errorf("ParseTiming(\"before\") error = %v", err)
	}
	if s := schedule.Timing(9).String(); s != "Timing(9)" {
		t.Errorf("Timing(9).String() = %q", s)
	}
}

// TestDefaultTimings pins each schedule's documented default timing.
func TestDefaultTimings(t *testing.T) {
	// Under AfterEpoch, epoch 1 trains at f(0) = lr0; under BeforeEpoch at
	// f(1) < lr0 for these settings.
	tests := []struct {
		name   string
		values map[string]float64
		after  bool
	}{
		{"inverse_time", nil, true},
		{"stepped_inverse_time", map[string]float64{"interval": 1}, true},
		{"exponential", nil, false},
		{"inverse_sqrt_epoch", map[string]float64{"k": 0.5}, false},
		{"cosine", map[string]float64{"t_max": 5}, false},
		{"step", map[string]float64{"step_size": 1}, false},
	}
	for _, tt := range tests {
		s, err := schedule.New(tt.name, 1, schedule.Settings{Values: tt.values})
		if err != nil {
			t.Fatal(err)
		}
		if after := s.LR(1, 1) == 1; after != tt.after {
			t.Errorf("%s: after-epoch timing %v by default, want %v", tt.name, after, tt.after)
		}
	}
	p, err := schedule.New("piecewise_constant", 1, schedule.Settings{Lists: map[string][]float64{"boundaries": {1}, "factors": {1, 0.5}}})
	if err != nil {
		t.Fatal(err)
	}
	if p.LR(1, 1) != 0.5 {
		t.Errorf("piecewise_constant: epoch 1 trains at %v, want 0.5 (before-epoch timing)", p.LR(1, 1))
	}
}

func TestNewRejects(t *testing.T) {
	inf := math.Inf(1)
	tests := []struct {
		name string
		lr0  float64
		s    schedule.Settings
		want string
	}{
		{"linear", 0.1, schedule.Settings{}, `schedule: unknown schedule "linear" (valid: constant, cosine, exponential, inverse_sqrt_epoch, inverse_sqrt_step, inverse_time, piecewise_constant, step, stepped_inverse_time)`},
		{"constant", 0, schedule.Settings{}, "schedule: constant: lr = 0 is outside the allowed range (0, ∞)"},
		{"constant", inf, schedule.Settings{}, "schedule: constant: lr = ∞ is outside the allowed range (0, ∞)"},
		{"inverse_time", 0.1, schedule.Settings{Values: map[string]float64{"decay_rate": -1}}, "schedule: inverse_time: decay_rate = -1 is outside the allowed range [0, ∞)"},
		{"inverse_time", 0.1, schedule.Settings{Values: map[string]float64{"gamma": 0.5}}, `schedule: inverse_time: unknown setting "gamma" (valid: decay_rate, warmup_epochs, warmup_steps, warmup_start)`},
		{"stepped_inverse_time", 0.1, schedule.Settings{Values: map[string]float64{"interval": 0}}, "schedule: stepped_inverse_time: interval = 0 is outside the allowed range [1, 1e+09]"},
		{"stepped_inverse_time", 0.1, schedule.Settings{Values: map[string]float64{"interval": 2.5}}, "schedule: stepped_inverse_time: interval = 2.5 must be a whole number"},
		{"exponential", 0.1, schedule.Settings{Values: map[string]float64{"gamma": 0}}, "schedule: exponential: gamma = 0 is outside the allowed range (0, 1]"},
		{"exponential", 0.1, schedule.Settings{Values: map[string]float64{"gamma": 1.01}}, "schedule: exponential: gamma = 1.01 is outside the allowed range (0, 1]"},
		{"inverse_sqrt_epoch", 0.1, schedule.Settings{Values: map[string]float64{"k": 0}}, "schedule: inverse_sqrt_epoch: k = 0 is outside the allowed range (0, ∞)"},
		{"inverse_sqrt_step", 0.1, schedule.Settings{Timing: "before_epoch"}, "schedule: inverse_sqrt_step: timing before_epoch is not supported (valid: per_step)"},
		{"cosine", 0.1, schedule.Settings{}, "schedule: cosine: t_max is required"},
		{"step", 0.1, schedule.Settings{}, "schedule: step: step_size is required"},
		{"cosine", 0.1, schedule.Settings{Values: map[string]float64{"t_max": 0}}, "schedule: cosine: t_max = 0 is outside the allowed range [1, 1e+09]"},
		{"cosine", 0.1, schedule.Settings{Values: map[string]float64{"t_max": 10, "eta_min": 0.2}}, "schedule: cosine: eta_min = 0.2 must not exceed the initial rate 0.1"},
		{"cosine", 0.1, schedule.Settings{Values: map[string]float64{"t_max": 10}, Timing: "per_step"}, "schedule: cosine: timing per_step is not supported (valid: before_epoch, after_epoch)"},
		{"cosine", 0.1, schedule.Settings{Values: map[string]float64{"t_max": 10}, Timing: "epoch"}, `schedule: cosine: unknown timing "epoch" (valid: before_epoch, after_epoch, per_step)`},
		{"cosine", 0.1, schedule.Settings{Values: map[string]float64{"t_max": 10}, Lists: map[string][]float64{"boundaries": {1}}}, `schedule: cosine: unknown list setting "boundaries" (valid: none)`},
		{"piecewise_constant", 0.1, schedule.Settings{}, "schedule: piecewise_constant: boundaries is required"},
		{"piecewise_constant", 0.1, schedule.Settings{Lists: map[string][]float64{"boundaries": {3}}}, "schedule: piecewise_constant: give exactly one of factors and values"},
		{"piecewise_constant", 0.1, schedule.Settings{Lists: map[string][]float64{"boundaries": {3}, "factors": {1, 0.1}, "values": {1, 0.1}}}, "schedule: piecewise_constant: give exactly one of factors and values"},
		{"piecewise_constant", 0.1, schedule.Settings{Lists: map[string][]float64{"boundaries": {3, 6}, "factors": {1, 0.1}}}, "schedule: piecewise_constant: 2 factors for 2 boundaries, want 3"},
		{"piecewise_constant", 0.1, schedule.Settings{Lists: map[string][]float64{"boundaries": {6, 3}, "values": {1, 0.1, 0.01}}}, "schedule: piecewise_constant: boundaries must increase: boundaries[1] = 3 follows 6"},
		{"piecewise_constant", 0.1, schedule.Settings{Lists: map[string][]float64{"boundaries": {0}, "values": {1, 0.1}}}, "schedule: piecewise_constant: boundaries[0] = 0 is outside the allowed range [1, 1e+09]"},
		{"piecewise_constant", 0.1, schedule.Settings{Lists: map[string][]float64{"boundaries": {1.5}, "values": {1, 0.1}}}, "schedule: piecewise_constant: boundaries[0] = 1.5 must be a whole number"},
		{"piecewise_constant", 0.1, schedule.Settings{Lists: map[string][]float64{"boundaries": {2}, "factors": {1, -0.1}}}, "schedule: piecewise_constant: factors[1] = -0.1 is outside the allowed range (0, ∞)"},
		{"piecewise_constant", 0.1, schedule.Settings{Lists: map[string][]float64{"boundaries": {2}, "factors": {1, 0.1}, "gamma": {0.1}}}, `schedule: piecewise_constant: unknown list setting "gamma" (valid: boundaries, factors, values)`},
		{"constant", 0.1, schedule.Settings{Values: map[string]float64{"warmup_epochs": 2, "warmup_steps": 10}}, "schedule: constant: warmup_epochs and warmup_steps cannot both be set"},
		{"inverse_sqrt_step", 0.1, schedule.Settings{Values: map[string]float64{"warmup_epochs": 2}}, "schedule: inverse_sqrt_step: warmup_epochs needs an epoch timing; use warmup_steps with per_step"},
		{"constant", 0.1, schedule.Settings{Values: map[string]float64{"warmup_start": 1.5}}, "schedule: constant: warmup_start = 1.5 is outside the allowed range [0, 1]"},
		{"constant", 0.1, schedule.Settings{Values: map[string]float64{"warmup_steps": -1}}, "schedule: constant: warmup_steps = -1 is outside the allowed range [0, 1e+09]"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			s, err := schedule.New(tt.name, tt.lr0, tt.s)
			if err == nil {
				t.Fatalf("New = %#v, want an error", s)
			}
			if s != nil {
				t.Errorf("New returned %#v with its error", s)
			}
			if err.Error() != tt.want {
				t.Errorf("error %q\nwant     %q", err, tt.want)
			}
		})
	}
}

// TestNewCopiesLists checks that changing the caller's lists afterwards
// does not change the schedule.
func TestNewCopiesLists(t *testing.T) {
	lists := map[string][]float64{"boundaries": {2}, "factors": {1, 0.5}}
	s, err := schedule.New("piecewise_constant", 1, schedule.Settings{Lists: lists})
	if err != nil {
		t.Fatal(err)
	}
	lists["boundaries"][0] = 100
	lists["factors"][1] = 7
	if got := s.LR(3, 1); got != 0.5 {
		t.Errorf("LR(3, 1) = %v after changing the caller's lists, want 0.5", got)
	}
}
