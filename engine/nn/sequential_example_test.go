package nn_test

import (
	"fmt"

	"github.com/optbench/optbench/engine/nn"
	"github.com/optbench/optbench/engine/rng"
)

// A small convolutional network on 1×6×6 images: its layers' shapes and
// parameters, and an inference pass over a batch of two images laid out
// one per column.
func ExampleNewSequential() {
	net, err := nn.NewSequential(nn.Shape{1, 6, 6}, nn.SoftmaxCrossEntropy, rng.New(1),
		&nn.Conv2D{Out: 4, Kernel: 3, Padding: 1}, &nn.BatchNorm{}, &nn.Activate{Func: nn.ReLU},
		&nn.MaxPool2D{Kernel: 2}, &nn.Flatten{}, &nn.Dense{Out: 3})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("parameters per layer:", net.ParamsPerLayer())
	x := make([]float64, 36*2)
	for i := range x {
		x[i] = float64(i%7) / 7
	}
	net.Forward(x, 2, false, nil)
	out := net.Output() // 3×2, one column per image
	fmt.Printf("probabilities of image 0 sum to %.3f\n", out[0]+out[2]+out[4])
	_, err = nn.NewSequential(nn.Shape{1, 6, 6}, nn.SoftmaxCrossEntropy, rng.New(1), &nn.Conv2D{Out: 4, Kernel: 7})
	fmt.Println(err)
	// Output:
	// parameters per layer: [40 8 0 0 0 111]
	// probabilities of image 0 sum to 1.000
	// layer 1: conv2d: kernel 7 does not fit the padded 6×6 input
}
