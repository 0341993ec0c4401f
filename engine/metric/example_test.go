package metric_test

import (
	"fmt"

	"github.com/optbench/optbench/engine/metric"
)

func ExampleLookup() {
	d, _ := metric.Lookup("val_accuracy")
	fmt.Println(d.Name, d.Goal, d.PerEpoch, d.Unit)
	// Output: val_accuracy maximize true fraction
}

func ExampleRecorded() {
	fmt.Println(metric.Recorded(metric.Function, 0))
	// Output: [train_loss distance_to_minimum lr grad_norm x y]
}
