package schedule_test

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/optbench/optbench/engine/schedule"
)

// torchCase is one case of testdata/torch_schedules.json.
type torchCase struct {
	Name     string  `json:"name"`
	LR0      float64 `json:"lr0"`
	Settings struct {
		Values map[string]float64   `json:"values"`
		Lists  map[string][]float64 `json:"lists"`
		Timing string               `json:"timing"`
	} `json:"settings"`
	Per   string    `json:"per"` // "epoch" or "step"
	Torch string    `json:"torch"`
	LRs   []float64 `json:"lrs"`
}

// torchTol bounds the difference between a rate here and torch's, relative
// to lr0 (the scale of every rate these schedules give) or to the rate
// itself, whichever is looser. torch computes most schedulers recursively,
// each rate from the previous one (ExponentialLR multiplies by γ,
// CosineAnnealingLR by a ratio of cosines, LinearLR by 1 + …), while these
// schedules use the closed forms, and Go's math.Cos and math.Pow may differ
// from the C library's in the last place. The recursions accumulate about
// one rounding (1.1e-16) per epoch, so over 60 epochs the rates agree to
// about 1e-14 of lr0 (the test log shows each case's largest). Near the
// bottom of a cosine the rate is a small difference of order-lr0 terms,
// which is why the comparison is relative to lr0 rather than to the rate.
const torchTol = 1e-12

func TestTorchSchedules(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "torch_schedules.json"))
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Cases []torchCase `json:"cases"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	for _, c := range file.Cases {
		t.Run(c.Name+"/"+c.Torch, func(t *testing.T) {
			s, err := schedule.New(c.Name, c.LR0, schedule.Settings{
				Values: c.Settings.Values, Lists: c.Settings.Lists, Timing: c.Settings.Timing,
			})
			if err != nil {
				t.Fatal(err)
			}
			worst := 0.0
			for i, want := range c.LRs {
				var got float64
				switch c.Per {
				case "epoch":
					got = s.LR(i, 1+7*i) // the step is irrelevant to these schedules
				case "step":
					got = s.LR(0, i+1)
				default:
					t.Fatalf("per = %q", c.Per)
				}
				if !scalar.EqualWithinAbsOrRel(got, want, torchTol*c.LR0, torchTol) {
					t.Errorf("%s %d: LR = %.17g, torch %.17g", c.Per, i, got, want)
				}
				worst = math.Max(worst, math.Abs(got-want)/c.LR0)
			}
			t.Logf("largest difference over %d %ss: %.3g of lr0", len(c.LRs), c.Per, worst)
		})
	}
}
