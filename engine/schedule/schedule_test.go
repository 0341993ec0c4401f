package schedule_test

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/optbench/optbench/engine/schedule"
)

// courseTol: the course's values are written as decimals (0.1/3 and so
// on); float64 evaluation of the same formula rounds each of its two or
// three operations to within 1.1e-16 relative.
const courseTol = 1e-15

// TestCourseInverseTime checks the course's update_lr with α0 = 0.1, r = 1:
// the rate computed after epoch i is 0.1/(1 + i), and with the course's
// timing epoch e ≥ 1 trains at the rate computed after epoch e − 1.
func TestCourseInverseTime(t *testing.T) {
	s, err := schedule.New("inverse_time", 0.1, schedule.Settings{Values: map[string]float64{"decay_rate": 1}})
	if err != nil {
		t.Fatal(err)
	}
	before := schedule.InverseTime{Initial: 0.1, DecayRate: 1, Timing: schedule.BeforeEpoch}
	tests := []struct {
		epoch       int
		afterEpoch  float64 // the rate epoch trains at, course timing
		beforeEpoch float64 // f(epoch): the course's update_lr(0.1, epoch, 1)
	}{
		{0, 0.1, 0.1},
		{1, 0.1, 0.05},
		{2, 0.05, 0.1 / 3},
		{3, 0.1 / 3, 0.025},
		{4, 0.025, 0.02},
		{9, 0.1 / 9, 0.01},
		{99, 0.1 / 99, 0.001},
	}
	for _, tt := range tests {
		if got := s.LR(tt.epoch, 1); !scalar.EqualWithinAbsOrRel(got, tt.afterEpoch, 0, courseTol) {
			t.Errorf("after-epoch timing: epoch %d trains at %v, want %v", tt.epoch, got, tt.afterEpoch)
		}
		if got := before.LR(tt.epoch, 1); !scalar.EqualWithinAbsOrRel(got, tt.beforeEpoch, 0, courseTol) {
			t.Errorf("f(%d) = %v, want %v", tt.epoch, got, tt.beforeEpoch)
		}
	}
}

// TestCourseSteppedInverseTime checks the course's schedule_lr_decay with
// α0 = 0.1, r = 1 and time_interval 1000.
func TestCourseSteppedInverseTime(t *testing.T) {
	s, err := schedule.New("stepped_inverse_time", 0.1, schedule.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	f := schedule.SteppedInverseTime{Initial: 0.1, DecayRate: 1, Interval: 1000, Timing: schedule.BeforeEpoch}
	tests := []struct {
		epoch      int
		f          float64 // schedule_lr_decay(0.1, epoch, 1)
		afterEpoch float64 // the rate epoch trains at, course timing
	}{
		{0, 0.1, 0.1},
		{1, 0.1, 0.1},
		{999, 0.1, 0.1},
		{1000, 0.05, 0.1},
		{1001, 0.05, 0.05},
		{1999, 0.05, 0.05},
		{2000, 0.1 / 3, 0.05},
		{2001, 0.1 / 3, 0.1 / 3},
	}
	for _, tt := range tests {
		if got := f.LR(tt.epoch, 1); !scalar.EqualWithinAbsOrRel(got, tt.f, 0, courseTol) {
			t.Errorf("f(%d) = %v, want %v", tt.epoch, got, tt.f)
		}
		if got := s.LR(tt.epoch, 1); !scalar.EqualWithinAbsOrRel(got, tt.afterEpoch, 0, courseTol) {
			t.Errorf("after-epoch timing: epoch %d trains at %v, want %v", tt.epoch, got, tt.afterEpoch)
		}
	}
}

// TestSchedules checks each schedule's formula and timing at chosen points,
// with values worked by hand.
func TestSchedules(t *testing.T) {
	type point struct {
		epoch, step int
		want        float64
	}
	tests := []struct {
		name     string
		lr0      float64
		settings schedule.Settings
		points   []point
	}{
		{"constant", 0.3, schedule.Settings{}, []point{{0, 1, 0.3}, {50, 9999, 0.3}}},
		{"exponential", 0.1, schedule.Settings{Values: map[string]float64{"gamma": 0.5}},
			[]point{{0, 1, 0.1}, {1, 1, 0.05}, {3, 1, 0.0125}}},
		{"exponential/after_epoch", 0.1, schedule.Settings{Values: map[string]float64{"gamma": 0.5}, Timing: "after_epoch"},
			[]point{{0, 1, 0.1}, {1, 1, 0.1}, {2, 1, 0.05}, {4, 1, 0.0125}}},
		{"inverse_sqrt_epoch", 0.2, schedule.Settings{Values: map[string]float64{"k": 0.5}},
			[]point{{0, 1, 0.2}, {1, 1, 0.1}, {4, 1, 0.05}, {16, 1, 0.025}}},
		{"inverse_sqrt_epoch/after_epoch", 0.2, schedule.Settings{Timing: "after_epoch"},
			[]point{{0, 1, 0.2}, {1, 1, 0.2}, {2, 1, 0.2}, {5, 1, 0.1}}},
		{"inverse_sqrt_step", 0.2, schedule.Settings{Values: map[string]float64{"k": 2}},
			[]point{{0, 1, 0.4}, {0, 4, 0.2}, {7, 100, 0.04}}},
		{"piecewise_constant/values", 0.1, schedule.Settings{Lists: map[string][]float64{
			"boundaries": {2, 5}, "values": {0.5, 0.25, 0.125}}},
			[]point{{0, 1, 0.5}, {1, 1, 0.5}, {2, 1, 0.25}, {4, 1, 0.25}, {5, 1, 0.125}, {500, 1, 0.125}}},
		{"piecewise_constant/after_epoch", 0.1, schedule.Settings{Timing: "after_epoch", Lists: map[string][]float64{
			"boundaries": {2}, "factors": {1, 0.5}}},
			[]point{{0, 1, 0.1}, {2, 1, 0.1}, {3, 1, 0.05}}},
		{"step", 0.1, schedule.Settings{Values: map[string]float64{"step_size": 2, "gamma": 0.5}},
			[]point{{0, 1, 0.1}, {1, 1, 0.1}, {2, 1, 0.05}, {3, 1, 0.05}, {4, 1, 0.025}}}, // by hand: 0.1·0.5^⌊e/2⌋
		{"cosine", 1, schedule.Settings{Values: map[string]float64{"t_max": 4, "eta_min": 0.2}},
			[]point{{0, 1, 1}, {2, 1, 0.6}, {4, 1, 0.2}, {6, 1, 0.6}, {8, 1, 1}}},
		{"cosine/after_epoch", 1, schedule.Settings{Timing: "after_epoch", Values: map[string]float64{"t_max": 2}},
			[]point{{0, 1, 1}, {1, 1, 1}, {2, 1, 0.5}, {3, 1, 0}}},
		{"inverse_time/warmup_epochs", 0.1, schedule.Settings{Values: map[string]float64{"warmup_epochs": 4, "warmup_start": 0}},
			[]point{{0, 1, 0}, {1, 1, 0.025}, {3, 1, 0.075}, {4, 1, 0.1}, {5, 1, 0.1}, {6, 1, 0.05}}},
		{"exponential/warmup_steps", 0.1, schedule.Settings{Values: map[string]float64{"gamma": 0.5, "warmup_steps": 10, "warmup_start": 0.5}},
			[]point{{0, 1, 0.05}, {0, 6, 0.075}, {0, 10, 0.095}, {0, 11, 0.1}, {1, 12, 0.05}}},
		{"inverse_sqrt_step/warmup_steps", 1, schedule.Settings{Values: map[string]float64{"warmup_steps": 2}},
			[]point{{0, 1, 1.0 / 3}, {0, 2, 2.0 / 3}, {0, 3, 1}, {0, 6, 0.5}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name, _, _ := strings.Cut(tt.name, "/")
			s, err := schedule.New(name, tt.lr0, tt.settings)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range tt.points {
				// Hand-worked decimals; a formula of a few operations rounds
				// within a few 1e-16 of lr0.
				if got := s.LR(p.epoch, p.step); !scalar.EqualWithinAbsOrRel(got, p.want, 1e-15*tt.lr0, 1e-15) {
					t.Errorf("LR(%d, %d) = %.17g, want %v", p.epoch, p.step, got, p.want)
				}
			}
		})
	}
}

func TestLRDoesNotAllocate(t *testing.T) {
	for _, s := range everySchedule(t) {
		if n := testing.AllocsPerRun(100, func() { s.LR(3, 1000) }); n != 0 {
			t.Errorf("%T.LR allocates %v times", s, n)
		}
	}
}

// everySchedule builds each registered schedule, plain and behind a warm-up.
func everySchedule(t testing.TB) []schedule.Schedule {
	var all []schedule.Schedule
	for _, name := range schedule.Names() {
		for _, warmup := range []string{"", "warmup_steps", "warmup_epochs"} {
			values := map[string]float64{}
			if name == "cosine" {
				values["t_max"] = 10
			}
			if name == "step" {
				values["step_size"] = 3
			}
			if warmup != "" {
				if warmup == "warmup_epochs" && name == "inverse_sqrt_step" {
					continue
				}
				values[warmup] = 2
			}
			var lists map[string][]float64
			if name == "piecewise_constant" {
				lists = map[string][]float64{"boundaries": {2, 4}, "factors": {1, 0.1, 0.01}}
			}
			s, err := schedule.New(name, 0.1, schedule.Settings{Values: values, Lists: lists})
			if err != nil {
				t.Fatalf("%s %s: %v", name, warmup, err)
			}
			all = append(all, s)
		}
	}
	return all
}

// TestRatesAreFinite sweeps every schedule over many epochs and
// steps, including the negative and zero inputs a caller might pass by
// mistake.
func TestRatesAreFinite(t *testing.T) {
	for _, s := range everySchedule(t) {
		for epoch := -1; epoch < 50; epoch++ {
			for _, step := range []int{-1, 0, 1, 2, 100, math.MaxInt32, math.MaxInt} {
				r := s.LR(epoch, step)
				if !(r >= 0) || math.IsInf(r, 0) {
					t.Fatalf("%#v.LR(%d, %d) = %v", s, epoch, step, r)
				}
			}
		}
	}
}

func BenchmarkLR(b *testing.B) {
	for _, name := range schedule.Names() {
		b.Run(name, func(b *testing.B) {
			values := map[string]float64{"warmup_steps": 100}
			if name == "cosine" {
				values["t_max"] = 90
			}
			if name == "step" {
				values["step_size"] = 30
			}
			var lists map[string][]float64
			if name == "piecewise_constant" {
				lists = map[string][]float64{"boundaries": {30, 60, 80}, "factors": {1, 0.1, 0.01, 0.001}}
			}
			s, err := schedule.New(name, 0.1, schedule.Settings{Values: values, Lists: lists})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			step := 0
			for b.Loop() {
				step++
				s.LR(step/1000, step)
			}
		})
	}
}
