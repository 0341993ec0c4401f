package reports

import (
	"fmt"

	"github.com/optbench/optbench/reports/stats"
)

// scheduleParam is the parameter that names a configuration's
// learning-rate schedule.
const scheduleParam = "schedule"

// scheduled reports whether the learning rate of the sweep changes over
// training: the schedule is swept, or some configuration's schedule is
// not constant.
func (r *Report) scheduled() bool {
	for _, c := range r.Configs {
		if v, ok := c.Values[scheduleParam]; ok && v != "constant" {
			return true
		}
	}
	return false
}

// scheduleBests returns each schedule's best configuration, best first:
// the configurations whose learning rates LRCurves draws. nil unless the
// sweep is scheduled.
func (r *Report) scheduleBests() []*stats.Config {
	if !r.scheduled() {
		return nil
	}
	if r.Options.By == scheduleParam {
		return r.Best
	}
	return stats.BestPerGroup(r.ranked, func(c *stats.Config) string {
		return c.Optimizer + "\x1f" + c.Values[scheduleParam]
	})
}

// LRCurves draws the learning rate α per epoch, as each trial stored it,
// of each schedule's best configuration: what a schedule did, beside the
// learning curves of what it achieved. It returns nil unless the sweep
// varies the schedule or uses one that is not constant, or when no lr was
// recorded.
func (r *Report) LRCurves() *Figure {
	bests := r.scheduleBests()
	if len(bests) == 0 {
		return nil
	}
	f := newFigure("lr-curves", fmt.Sprintf("Learning rate per epoch (each schedule's best configuration by %s)", r.Metric),
		"epoch", "learning rate α")
	type drawn struct {
		c  *stats.Config
		mc *meanCurve
	}
	var curves []drawn
	var values []float64
	for _, c := range bests {
		mc := r.curve(c, "lr", false)
		if mc == nil {
			continue
		}
		// Seeds share a schedule: the mean is the rate, and a band
		// would claim a spread there is none of.
		for i := range mc.Summary {
			mc.Summary[i].N = 1
			values = append(values, mc.Summary[i].Mean)
		}
		curves = append(curves, drawn{c, mc})
	}
	logY := f.logYIfWide(values)
	for i, d := range curves {
		if d.mc.Steps {
			f.Plot.X.Label.Text = "step (0 = start)"
		}
		label := r.legendLabelLedBy(d.c, scheduleParam)
		if r.Options.By == scheduleParam {
			label = r.bestLabel(d.c) // the leaderboard's rows: their places, as the learning curves show them
		}
		r.addMean(f, i, label, d.mc.X, d.mc.Summary, false, nil)
	}
	if len(f.Series) == 0 {
		return nil
	}
	f.Caption = fmt.Sprintf("The learning rate of the first step of each epoch, as stored with the trials, "+
		"for the best configuration by %s of each schedule.", r.Metric) + r.placeCaption(r.Options.By == scheduleParam && len(r.Best) > 1, r.bestTied(), "the leaderboard")
	if logY {
		f.Caption += " The y axis is logarithmic: the rates span more than two decades."
	}
	return f
}
