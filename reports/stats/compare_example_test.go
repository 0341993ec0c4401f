package stats_test

import (
	"fmt"

	"github.com/optbench/optbench/reports/stats"
)

func ExampleCompare() {
	// Final validation accuracy over six seeds, before and after a change.
	base := []float64{0.912, 0.918, 0.915, 0.921, 0.909, 0.917}
	cand := []float64{0.880, 0.887, 0.884, 0.879, 0.889, 0.882}
	c := stats.Compare(base, cand, stats.CompareOptions{Goal: stats.Maximize})
	fmt.Printf("%s: %+.2f%% [%+.2f%%, %+.2f%%] p=%.2g (%s)\n",
		c.Verdict, 100*c.Change, 100*c.ChangeLow, 100*c.ChangeHigh, c.P, c.Test)

	// scipy 1.10.1 agrees: ttest_ind(cand, base, equal_var=False).pvalue = 1.17e-07.

	// Three seeds each are too few for a rank test to reach alpha 0.05.
	c = stats.Compare(base[:3], cand[:3], stats.CompareOptions{Test: stats.MannWhitney, Goal: stats.Maximize})
	fmt.Printf("%s p=%.3f (%s)\n", c.Verdict, c.P, c.Test)
	for _, w := range c.Warnings {
		fmt.Println("warning:", w)
	}
	// Output:
	// regressed: -3.48% [-4.06%, -2.90%] p=1.2e-07 (welch)
	// ~ p=0.100 (mann-whitney)
	// warning: need >= 4 samples to detect a difference at alpha level 0.05: with 3 and 3 the smallest possible p is 0.1
}

func ExampleWelchTTest() {
	t, df, p := stats.WelchTTest([]float64{19, 22, 16, 29, 24}, []float64{20, 11, 17, 12})
	fmt.Printf("t=%.4f df=%.4f p=%.4f\n", t, df, p)
	// Output:
	// t=2.2831 df=6.9288 p=0.0568
}

func ExampleMannWhitneyU() {
	// scipy's documentation example: exact distribution, no ties.
	u, p := stats.MannWhitneyU([]float64{19, 22, 16, 29, 24}, []float64{20, 11, 17, 12})
	fmt.Printf("U=%v p=%.4f\n", u, p)
	// Output:
	// U=17 p=0.1111
}
