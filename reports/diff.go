package reports

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/engine/train"
)

// Difference is where two runs of one trial first part: the first epoch
// and metric (in metric.ID order) whose bits differ, and both values. A
// curve that is longer on one side differs at the first epoch the other
// lacks (Metric is then empty and the missing value NaN).
type Difference struct {
	Epoch      int
	Metric     string
	Want, Got  float64 // the reference's value and the other's
	WantEpochs int     // curve lengths
	GotEpochs  int
}

func (d Difference) String() string {
	if d.Metric == "" {
		return fmt.Sprintf("the curves have %d and %d epochs", d.WantEpochs, d.GotEpochs)
	}
	return fmt.Sprintf("epoch %d, %s: %s, now %s", d.Epoch, d.Metric, formatBits(d.Want), formatBits(d.Got))
}

// formatBits prints v so that two values that differ print differently:
// the shortest form that reads back as v, bit for bit.
func formatBits(v float64) string {
	if v == 0 && math.Signbit(v) {
		return "-0"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// sameBits reports whether a and b are the same float64, NaN equal to NaN
// (a metric an epoch does not define is NaN on both sides).
func sameBits(a, b float64) bool {
	return math.Float64bits(a) == math.Float64bits(b) || (math.IsNaN(a) && math.IsNaN(b))
}

// FirstDifference compares two curves of one trial bit for bit, every
// per-epoch metric of every epoch (wall time aside, which is not
// reproducible), and returns where they first differ. ok is false when
// they are identical.
func FirstDifference(want, got []train.Epoch) (d Difference, ok bool) {
	for i := range min(len(want), len(got)) {
		for id := range metric.NumPerEpoch {
			w, g := want[i].Values[id], got[i].Values[id]
			if !sameBits(w, g) {
				return Difference{Epoch: i, Metric: id.Name(), Want: w, Got: g,
					WantEpochs: len(want), GotEpochs: len(got)}, true
			}
		}
	}
	if len(want) != len(got) {
		return Difference{Epoch: min(len(want), len(got)), Want: math.NaN(), Got: math.NaN(),
			WantEpochs: len(want), GotEpochs: len(got)}, true
	}
	return Difference{}, false
}

// FinalDifference compares two sets of final metrics bit for bit and
// returns the first name, in sorted order, whose values differ or that one
// side lacks.
func FinalDifference(want, got map[string]float64) (name string, w, g float64, ok bool) {
	names := make([]string, 0, len(want)+len(got))
	for n := range want {
		names = append(names, n)
	}
	for n := range got {
		if _, dup := want[n]; !dup {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	for _, n := range names {
		wv, wok := want[n]
		gv, gok := got[n]
		if !wok {
			wv = math.NaN()
		}
		if !gok {
			gv = math.NaN()
		}
		if wok != gok || !sameBits(wv, gv) {
			return n, wv, gv, true
		}
	}
	return "", 0, 0, false
}
