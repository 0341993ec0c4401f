package reports

import (
	"math"
	"testing"

	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/engine/train"
)

func curveOf(losses ...float64) []train.Epoch {
	out := make([]train.Epoch, len(losses))
	for i, l := range losses {
		out[i] = train.NewEpoch(i).With(metric.TrainLoss, l).With(metric.LR, 0.1)
	}
	return out
}

func TestFirstDifference(t *testing.T) {
	base := curveOf(1, 0.5, 0.25)
	if d, ok := FirstDifference(base, curveOf(1, 0.5, 0.25)); ok {
		t.Errorf("identical curves differ: %v", d)
	}
	oneUlp := curveOf(1, math.Nextafter(0.5, 1), 0.25)
	d, ok := FirstDifference(base, oneUlp)
	if !ok || d.Epoch != 1 || d.Metric != "train_loss" || d.Want != 0.5 || d.Got != math.Nextafter(0.5, 1) {
		t.Errorf("one ulp at epoch 1: %+v, %v", d, ok)
	}
	if d.String() != "epoch 1, train_loss: 0.5, now 0.5000000000000001" {
		t.Errorf("String() = %q", d.String())
	}
	negZero := curveOf(1, 0.5, 0.25)
	negZero[2] = negZero[2].With(metric.LR, math.Copysign(0, -1))
	if d, ok := FirstDifference(curveOf(1, 0.5, 0.25), negZero); !ok || d.Epoch != 2 || d.Metric != "lr" {
		t.Errorf("lr 0.1 against −0 at epoch 2: %+v, %v", d, ok)
	}
	if d, ok := FirstDifference(base, base[:2]); !ok || d.Metric != "" || d.Epoch != 2 ||
		d.String() != "the curves have 3 and 2 epochs" {
		t.Errorf("shorter curve: %+v, %v", d, ok)
	}
	name, w, g, ok := FinalDifference(map[string]float64{"a": 1, "b": math.NaN()}, map[string]float64{"a": 1, "b": math.NaN(), "c": 2})
	if !ok || name != "c" || !math.IsNaN(w) || g != 2 {
		t.Errorf("FinalDifference = %s %v %v %v", name, w, g, ok)
	}
	if _, _, _, ok := FinalDifference(map[string]float64{"a": math.Inf(1)}, map[string]float64{"a": math.Inf(1)}); ok {
		t.Error("equal finals differ")
	}
}
