package optim_test

import (
	"fmt"

	"github.com/optbench/optbench/engine/optim"
)

// A config file names an optimizer and gives some of its settings; the rest
// take their defaults.
func ExampleNew() {
	opt, err := optim.New("adam", map[string]float64{"beta1": 0.8, "weight_decay": 1e-4})
	if err != nil {
		fmt.Println(err)
		return
	}
	params := []float64{1, -1}
	opt.Step(params, []float64{0.5, -2}, 0.1)
	fmt.Printf("%.4f\n", params)

	_, err = optim.New("adam", map[string]float64{"beta2": 1})
	fmt.Println(err)
	// Output:
	// [0.9000 -0.9000]
	// optim: adam: beta2 = 1 is outside the allowed range [0, 1)
}

// Adam's first bias-corrected step moves every parameter by about the
// learning rate, whatever the gradient's size; without bias correction the
// first step is (1 − β1)/√(1 − β2) ≈ 3.16 times longer.
func ExampleNewAdam() {
	for _, noCorrection := range []bool{false, true} {
		cfg := optim.DefaultAdamConfig
		cfg.NoBiasCorrection = noCorrection
		adam, err := optim.NewAdam(cfg)
		if err != nil {
			fmt.Println(err)
			return
		}
		params := []float64{0, 0}
		adam.Step(params, []float64{1e-3, 1e3}, 0.01)
		fmt.Printf("bias correction off %v: %.4f\n", noCorrection, params)
	}
	// Output:
	// bias correction off false: [-0.0100 -0.0100]
	// bias correction off true: [-0.0316 -0.0316]
}

// The course's momentum averages the gradients, torch's heavy ball sums
// them: with a constant gradient the heavy ball's velocity grows towards
// 1/(1 − μ) = 10 gradients while the course's stays at one.
func ExampleNewHeavyBall() {
	course, _ := optim.NewMomentum(optim.DefaultMomentumConfig)
	torch, _ := optim.NewHeavyBall(optim.DefaultHeavyBallConfig)
	a, b := []float64{0}, []float64{0}
	for range 100 {
		course.Step(a, []float64{1}, 0.01)
		torch.Step(b, []float64{1}, 0.01)
	}
	fmt.Printf("course %.3f, heavy ball %.3f\n", a[0], b[0])
	// Output:
	// course -0.910, heavy ball -9.100
}

func ExampleSettings() {
	specs, err := optim.Settings("rmsprop")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range specs {
		fmt.Printf("%-13s default %-6g in %s\n", s.Name, s.Default, s.Range())
	}
	// Output:
	// beta          default 0.9    in [0, 1)
	// eps           default 1e-08  in (0, ∞)
	// centered      default 0      in [0, 1]
	// momentum      default 0      in [0, 1)
	// weight_decay  default 0      in [0, ∞)
}
