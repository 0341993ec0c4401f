package optim_test

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/optbench/optbench/engine/optim"
)

func newDefault(t testing.TB, name string) optim.Optimizer {
	t.Helper()
	o, err := optim.New(name, nil)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// allState turns on RMSProp's optional state so that the
// allocation and reset tests cover it.
var allState = map[string]map[string]float64{
	"rmsprop": {"centered": 1, "momentum": 0.5},
}

func TestStepDoesNotAllocate(t *testing.T) {
	for _, name := range optim.Names() {
		t.Run(name, func(t *testing.T) {
			o, err := optim.New(name, allState[name])
			if err != nil {
				t.Fatal(err)
			}
			params, grads := make([]float64, 1000), make([]float64, 1000)
			for i := range grads {
				grads[i] = math.Sin(float64(i))
			}
			o.Step(params, grads, 0.01)
			if n := testing.AllocsPerRun(100, func() { o.Step(params, grads, 0.01) }); n != 0 {
				t.Errorf("Step allocates %v times after the first call", n)
			}
			o.Reset()
			o.Step(params, grads, 0.01) // reuses the buffers of the first run
			if n := testing.AllocsPerRun(100, func() { o.Reset(); o.Step(params, grads, 0.01) }); n != 0 {
				t.Errorf("Reset then Step allocates %v times", n)
			}
		})
	}
}

// TestResetStartsOver checks that a Reset optimizer repeats a fresh one's
// trajectory exactly, and may then take a different length.
func TestResetStartsOver(t *testing.T) {
	for _, name := range optim.Names() {
		t.Run(name, func(t *testing.T) {
			o, err := optim.New(name, allState[name])
			if err != nil {
				t.Fatal(err)
			}
			first := trajectory(o, 7)
			o.Reset()
			if again := trajectory(o, 7); !slices.Equal(first, again) {
				t.Errorf("after Reset: %v, first run %v", again, first)
			}
			o.Reset()
			params := []float64{1, 2, 3, 4, 5}
			o.Step(params, []float64{1, 1, 1, 1, 1}, 0.1)
			if params[0] == 1 {
				t.Error("Step with a new length after Reset did not move the parameters")
			}
		})
	}
}

func TestStepPanicsOnLengthMismatch(t *testing.T) {
	for _, name := range optim.Names() {
		t.Run(name, func(t *testing.T) {
			o := newDefault(t, name)
			wantPanic(t, "optim: "+name+": 2 params but 3 grads", func() {
				o.Step(make([]float64, 2), make([]float64, 3), 0.1)
			})
			if name == "gd" {
				return // keeps no state, so any length will do
			}
			o.Step(make([]float64, 2), make([]float64, 2), 0.1)
			wantPanic(t, "optim: "+name+": 3 params after a first step with 2", func() {
				o.Step(make([]float64, 3), make([]float64, 3), 0.1)
			})
		})
	}
}

func wantPanic(t *testing.T, prefix string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if msg := fmt.Sprint(r); r == nil || !strings.HasPrefix(msg, prefix) {
			t.Errorf("panic %v, want one starting %q", r, prefix)
		}
	}()
	f()
}

func BenchmarkStep(b *testing.B) {
	const n = 10_000
	for _, name := range optim.Names() {
		b.Run(name, func(b *testing.B) {
			o := newDefault(b, name)
			params, grads := make([]float64, n), make([]float64, n)
			for i := range grads {
				params[i] = math.Cos(float64(i))
				grads[i] = 1e-3 * math.Sin(float64(i))
			}
			o.Step(params, grads, 1e-3)
			b.ReportAllocs()
			b.SetBytes(int64(8 * n))
			b.ResetTimer()
			for b.Loop() {
				o.Step(params, grads, 1e-3)
			}
		})
	}
}
