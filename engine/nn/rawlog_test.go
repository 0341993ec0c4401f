package nn

import (
	"math"
	"testing"
)

// TestRawLog: the course's compute_loss, −log(a)·y − log(1−a)·(1−y)
// summed with np.nansum, against the default clamp at −100
// (torch.nn.BCELoss). Expected values are the formulas by hand.
func TestRawLog(t *testing.T) {
	inf := math.Inf(1)
	tests := []struct {
		name         string
		loss         Loss
		a, y         []float64
		clamped, raw float64
	}{
		{"unsaturated", BinaryCrossEntropy, []float64{0.25, 0.5}, []float64{1, 0}, -math.Log(0.25) - math.Log(0.5), -math.Log(0.25) - math.Log(0.5)},
		// a = 1 against y = 1: the course's term is −log(1)·1 + (−log 0)·0 = NaN, which np.nansum drops.
		{"saturated right", BinaryCrossEntropy, []float64{1, 0}, []float64{1, 0}, 0, 0},
		{"saturated wrong", BinaryCrossEntropy, []float64{1, 0.5}, []float64{0, 1}, 100 + math.Log(2), inf},
		{"softmax saturated wrong", SoftmaxCrossEntropy, []float64{0, 1}, []float64{1, 0}, 100, inf},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := lossSum(tt.loss, tt.a, tt.y, 1, false, nil); math.Abs(got-tt.clamped) > 1e-12 {
				t.Errorf("clamped = %v, want %v", got, tt.clamped)
			}
			got := lossSum(tt.loss, tt.a, tt.y, 1, true, nil)
			if got != tt.raw && math.Abs(got-tt.raw) > 1e-12 {
				t.Errorf("raw = %v, want %v", got, tt.raw)
			}
		})
	}
	if got := lossSum(BinaryCrossEntropy, []float64{math.NaN()}, []float64{1}, 1, true, nil); !math.IsNaN(got) {
		t.Errorf("raw loss of a NaN prediction = %v, want NaN (divergence is not dropped as nansum would)", got)
	}
}
