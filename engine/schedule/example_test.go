package schedule_test

import (
	"fmt"

	"github.com/optbench/optbench/engine/schedule"
)

// The course recomputes the rate after each epoch, so the first decay is felt
// in epoch 2; torch's convention (scheduler.step() after each epoch, or
// BeforeEpoch) feels it in epoch 1.
func Example_timing() {
	course, _ := schedule.New("inverse_time", 0.1, schedule.Settings{})
	torch, _ := schedule.New("inverse_time", 0.1, schedule.Settings{Timing: "before_epoch"})
	for epoch := range 4 {
		fmt.Printf("epoch %d: course %.4f, before_epoch %.4f\n", epoch, course.LR(epoch, 1), torch.LR(epoch, 1))
	}
	// Output:
	// epoch 0: course 0.1000, before_epoch 0.1000
	// epoch 1: course 0.1000, before_epoch 0.0500
	// epoch 2: course 0.0500, before_epoch 0.0333
	// epoch 3: course 0.0333, before_epoch 0.0250
}

// A cosine schedule over 8 epochs after 2 epochs of linear warm-up, as
// torch's SequentialLR([LinearLR(start_factor=0.5, total_iters=2),
// CosineAnnealingLR(T_max=8)], milestones=[2]) would run it.
func ExampleNew() {
	s, err := schedule.New("cosine", 0.1, schedule.Settings{
		Values: map[string]float64{"t_max": 8, "warmup_epochs": 2, "warmup_start": 0.5},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for epoch := 0; epoch <= 10; epoch += 2 {
		fmt.Printf("epoch %2d: %.4f\n", epoch, s.LR(epoch, 1))
	}
	// Output:
	// epoch  0: 0.0500
	// epoch  2: 0.1000
	// epoch  4: 0.0854
	// epoch  6: 0.0500
	// epoch  8: 0.0146
	// epoch 10: 0.0000
}

// The Transformer's schedule: linear warm-up over the first steps, then the
// inverse square root of the step.
func ExampleWarmup() {
	s := schedule.Warmup{
		Schedule: schedule.InverseSqrtStep{Initial: 1e-3, K: 1},
		Initial:  1e-3,
		Steps:    4,
	}
	for _, step := range []int{1, 2, 4, 5, 8, 104} {
		fmt.Printf("step %3d: %.6f\n", step, s.LR(0, step))
	}
	// Output:
	// step   1: 0.000000
	// step   2: 0.000250
	// step   4: 0.000750
	// step   5: 0.001000
	// step   8: 0.000500
	// step 104: 0.000100
}

func ExampleSpecs() {
	specs, err := schedule.Specs("stepped_inverse_time")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range specs {
		fmt.Printf("%-13s default %-8.4g in %s\n", s.Name, s.Default, s.Range())
	}
	// Output:
	// decay_rate    default 1        in [0, ∞)
	// interval      default 1000     in [1, 1e+09]
	// warmup_epochs default 0        in [0, 1e+09]
	// warmup_steps  default 0        in [0, 1e+09]
	// warmup_start  default 0.3333   in [0, 1]
}
