package hparam

import (
	"math"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	beta := Spec{Name: "beta", Min: 0, Max: 1, MaxOpen: true}
	eps := Spec{Name: "eps", Min: 0, Max: math.Inf(1), MinOpen: true}
	steps := Spec{Name: "interval", Min: 1, Max: math.Inf(1), Integer: true}
	tests := []struct {
		spec Spec
		v    float64
		want string // "" means accepted
	}{
		{beta, 0, ""},
		{beta, 0.999, ""},
		{beta, 1, "beta = 1 is outside the allowed range [0, 1)"},
		{beta, -0.1, "beta = -0.1 is outside the allowed range [0, 1)"},
		{beta, math.NaN(), "beta = NaN is outside"},
		{eps, 0, "eps = 0 is outside the allowed range (0, ∞)"},
		{eps, 1e-8, ""},
		{steps, 2.5, "interval = 2.5 must be a whole number"},
		{steps, 1000, ""},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			err := tt.spec.Check(tt.v)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Check(%v) = %v, want nil", tt.v, err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("Check(%v) = %v, want %q", tt.v, err, tt.want)
			}
		})
	}
}

func TestResolve(t *testing.T) {
	specs := []Spec{{Name: "beta1", Default: 0.9, Min: 0, Max: 1, MaxOpen: true},
		{Name: "eps", Default: 1e-8, Min: 0, Max: math.Inf(1), MinOpen: true}}
	got, err := Resolve("adam", specs, map[string]float64{"eps": 1e-6})
	if err != nil {
		t.Fatal(err)
	}
	if got["beta1"] != 0.9 || got["eps"] != 1e-6 || len(got) != 2 {
		t.Errorf("Resolve = %v", got)
	}
	_, err = Resolve("adam", specs, map[string]float64{"beta": 0.9})
	if err == nil || err.Error() != `adam: unknown setting "beta" (valid: beta1, eps)` {
		t.Errorf("unknown name: %v", err)
	}
	_, err = Resolve("adam", specs, map[string]float64{"beta1": 1})
	if err == nil || !strings.HasPrefix(err.Error(), "adam: beta1 = 1") {
		t.Errorf("out of range: %v", err)
	}
}
