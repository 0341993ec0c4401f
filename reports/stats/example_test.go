package stats_test

import (
	"fmt"

	"github.com/optbench/optbench/reports/stats"
)

func ExampleSummarize() {
	s := stats.Summarize([]float64{0.91, 0.93, 0.92}, 0.95)
	fmt.Printf("n=%d mean=%.3f sd=%.3f 95%% CI [%.4f, %.4f]\n", s.N, s.Mean, s.SD, s.Low, s.High)

	one := stats.Summarize([]float64{0.92}, 0.95)
	fmt.Printf("n=%d mean=%.2f sd=%v CI [%v, %v]\n", one.N, one.Mean, one.SD, one.Low, one.High)
	// Output:
	// n=3 mean=0.920 sd=0.010 95% CI [0.8952, 0.9448]
	// n=1 mean=0.92 sd=NaN CI [NaN, NaN]
}

func ExampleEWMA() {
	// The course's smoothing: early values are not dragged toward 0.
	smooth := stats.EWMA(nil, []float64{10, 10, 10, 20}, 0.9)
	fmt.Printf("%.2f\n", smooth)
	// Output:
	// [10.00 10.00 10.00 12.91]
}
