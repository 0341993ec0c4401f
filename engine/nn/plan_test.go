package nn

import (
	"testing"

	"github.com/optbench/optbench/engine/rng"
)

// TestPlanSequential: planning counts the parameters and the workspace
// NewSequential then allocates, and refuses what NewSequential refuses.
func TestPlanSequential(t *testing.T) {
	for _, tc := range []struct {
		name   string
		in     Shape
		layers func() []Layer
	}{
		{"cnn", Shape{1, 8, 8}, func() []Layer { return CNN(CNNConfig{Channels: []int{4, 8}, Kernel: 3}, 10) }},
		{"2c2d", Shape{1, 28, 28}, func() []Layer { return TwoConvTwoDense(10) }},
		{"resnet", Shape{3, 8, 8}, func() []Layer { return ResNet(ResNetConfig{Blocks: []int{1, 1}, Channels: []int{4, 8}}, 5) }},
	} {
		params, work, err := PlanSequential(tc.in, tc.layers()...)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		net, err := NewSequential(tc.in, SoftmaxCrossEntropy, rng.New(1), tc.layers()...)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if params != len(net.Params()) || work != net.WorkspacePerExample() {
			t.Errorf("%s: planned %d parameters and %d workspace values per example; the network has %d and %d",
				tc.name, params, work, len(net.Params()), net.WorkspacePerExample())
		}
	}
	if _, _, err := PlanSequential(Shape{1, 2, 2}, CNN(CNNConfig{Channels: []int{2, 2}}, 3)...); err == nil {
		t.Error("two 2×2 pools of a 2×2 image planned without an error")
	}
	if _, _, err := PlanSequential(Shape{4}, &Dense{Out: 3}, &Activate{Func: ReLU}); err != nil {
		t.Errorf("a dense layer: %v", err)
	}
	if _, _, err := PlanSequential(Shape{1, 4, 4}, &Conv2D{Out: 2, Kernel: 3}); err == nil {
		t.Error("a network ending in images planned without an error")
	}
}
