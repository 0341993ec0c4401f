package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/optbench/optbench/engine/nn"
	"github.com/optbench/optbench/engine/rng"
)

// wrongBackward is a network's objective whose backward pass is off by 1%
// in one weight of the second layer.
type wrongBackward struct {
	nn.Objective
	i int
}

func (w wrongBackward) Gradient() []float64 {
	g := append([]float64(nil), w.Objective.Gradient()...)
	g[w.i] *= 1.01
	return g
}

func TestGradcheckWrongGradient(t *testing.T) {
	net, err := nn.New(nn.Config{Layers: []int{2, 4, 3, 1}, Hidden: nn.Tanh}, rng.New(1))
	if err != nil {
		t.Fatal(err)
	}
	r := rng.New(2)
	const batch = 6
	x := make([]float64, 2*batch)
	y := make([]float64, batch)
	for i := range x {
		x[i] = r.NormFloat64()
	}
	for i := range y {
		y[i] = float64(i % 2)
	}
	sizes := net.ParamsPerLayer()
	obj := nn.BatchObjective(net, x, y, batch, nil)

	var out bytes.Buffer
	if err := gradcheck(&out, obj, sizes); err != nil {
		t.Fatalf("the network's own gradient failed: %v\n%s", err, out.String())
	}

	out.Reset()
	err = gradcheck(&out, wrongBackward{obj, sizes[0] + 1}, sizes)
	var ee *exitError
	if !errors.As(err, &ee) || ee.code != 3 {
		t.Fatalf("a wrong gradient: error %v, want exit status 3\n%s", err, out.String())
	}
	got := out.String()
	for _, want := range []string{"There is a mistake in the backward propagation!", "mistake\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	// Only layer 2 holds the wrong entry.
	for _, line := range strings.Split(got, "\n") {
		f := strings.Fields(line)
		if len(f) >= 3 && (f[0] == "1" || f[0] == "3") && strings.HasSuffix(line, "mistake") {
			t.Errorf("layer %s flagged: %q", f[0], line)
		}
		if len(f) >= 3 && f[0] == "2" && !strings.HasSuffix(strings.TrimSpace(line), "mistake") {
			t.Errorf("layer 2 not flagged: %q", line)
		}
	}
}
