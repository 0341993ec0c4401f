package experiments

import (
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/optbench/optbench/engine"
)

func TestNewSchedule(t *testing.T) {
	tests := []struct {
		name    string
		params  engine.Params
		epoch   int
		want    float64 // the rate at epoch (step 0); rates are products of the settings, exact to 1e-15
		wantErr string
	}{
		{"constant", engine.Params{"schedule": "constant", "lr": 0.1}, 5, 0.1, ""},
		{"settings", engine.Params{"schedule": "exponential", "lr": 0.1, "gamma": 0.5}, 2, 0.025, ""},
		{"lists", engine.Params{"schedule": "piecewise_constant", "lr": 0.1,
			"boundaries": []float64{2, 4}, "factors": []float64{1, 0.1, 0.01}}, 3, 0.01, ""},
		{"values instead of factors", engine.Params{"schedule": "piecewise_constant", "lr": 0.1,
			"boundaries": []float64{2}, "values": []float64{0.5, 0.05}}, 2, 0.05, ""},
		{"timing", engine.Params{"schedule": "inverse_sqrt_step", "lr": 0.1, "k": 1.0, "timing": "before_epoch"}, 0, 0,
			"timing before_epoch is not supported"},
		{"rules between settings", engine.Params{"schedule": "cosine", "lr": 0.1, "t_max": 10.0, "eta_min": 0.5}, 0, 0,
			"eta_min = 0.5 must not exceed the initial rate 0.1"},
		{"unknown", engine.Params{"schedule": "nope", "lr": 0.1}, 0, 0, "unknown schedule"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := NewSchedule(tt.params)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := s.LR(tt.epoch, 0); !scalar.EqualWithinAbsOrRel(got, tt.want, 1e-15, 1e-15) {
				t.Errorf("LR(%d, 0) = %v, want %v", tt.epoch, got, tt.want)
			}
		})
	}
}

func TestNewOptimizer(t *testing.T) {
	e, err := Lookup("moons-mlp")
	if err != nil {
		t.Fatal(err)
	}
	p, err := e.Resolve(engine.Params{"optimizer": "adam", "beta1": 0.8})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewOptimizer(p); err != nil {
		t.Errorf("adam: %v", err)
	}
	if _, err := NewOptimizer(engine.Params{"optimizer": "adam"}); err == nil {
		t.Error("adam without its settings: no error (parameters must be resolved)")
	}
	if _, err := NewOptimizer(engine.Params{"optimizer": "nope"}); err == nil {
		t.Error("unknown optimizer: no error")
	}
}
