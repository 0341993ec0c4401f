package nn_test

import (
	"fmt"
	"math"

	"github.com/optbench/optbench/engine/nn"
	"github.com/optbench/optbench/engine/rng"
)

// The course's network: He initialization right after numpy.random.seed(3);
// the numbers agree with numpy doing the same.
func ExampleNew() {
	net, err := nn.New(nn.Config{Layers: []int{2, 5, 2, 1}}, rng.New(3))
	if err != nil {
		fmt.Println(err)
		return
	}
	w, rows, cols := net.Weights(1)
	fmt.Printf("W1 is %d×%d, W1[0][0] = %.8f, %d parameters\n", rows, cols, w[0], len(net.Params()))
	x := []float64{0.5, -1, 1, 0.25} // two examples, one per column
	net.Forward(x, 2, false, nil)
	fmt.Printf("predictions %.4f\n", net.Output())
	_, err = nn.New(nn.Config{Layers: []int{2, 5, 1}, KeepProb: []float64{1.5}}, rng.New(3))
	fmt.Println(err)
	// Output:
	// W1 is 5×2, W1[0][0] = 1.78862847, 30 parameters
	// predictions [0.5000 0.4689]
	// keep_prob = 1.5 is outside the allowed range (0, 1]
}

// A numpy reference's cost np.sum(losses)/m, reproduced bit for bit: a
// constant loss of ln 2 over 300 examples.
func ExamplePairwiseSum() {
	losses := make([]float64, 300)
	left := 0.0
	for i := range losses {
		losses[i] = math.Ln2
		left += math.Ln2
	}
	fmt.Println(nn.PairwiseSum(losses)/300, left/300)
	// Output: 0.6931471805599453 0.6931471805599467
}
