package nn

import (
	"strings"
	"testing"

	"github.com/optbench/optbench/engine/rng"
)

// TestArchitectures checks the named architectures' output shapes and
// parameter counts, worked out by hand from their definitions.
func TestArchitectures(t *testing.T) {
	for _, tc := range []struct {
		name   string
		in     Shape
		layers []Layer
		params int
	}{
		// conv 1→32 5×5: 32·25+32; conv 32→64: 64·32·25+64;
		// dense 64·7·7→1024: 3136·1024+1024; dense 1024→10: 10240+10.
		{"2c2d", Shape{1, 28, 28}, TwoConvTwoDense(10), 832 + 51264 + 3212288 + 10250},
		// Per block of c channels after c_in: two convs (c·c_in·25+c,
		// c·c·25+c) and two batch norms (2c each); 28→14→7; dense 32·49→10.
		{"cnn", Shape{1, 28, 28}, CNN(CNNConfig{}, 10),
			(16*25 + 16 + 32 + 16*16*25 + 16 + 32) + (32*16*25 + 32 + 64 + 32*32*25 + 32 + 64) + 32*49*10 + 10},
		// Stem 3·3·1·16 + BN 32; a block c→c: 2·(9c²) + 4c; a block
		// c→2c: 9·c·2c + 9·(2c)² + 4·2c + projection c·2c + 2·2c; dense 64·10+10.
		{"resnet20", Shape{1, 28, 28}, ResNet(ResNetConfig{}, 10),
			9*16 + 32 +
				3*(18*16*16+4*16) +
				(9*16*32 + 9*32*32 + 4*32 + 16*32 + 2*32) + 2*(18*32*32+4*32) +
				(9*32*64 + 9*64*64 + 4*64 + 32*64 + 2*64) + 2*(18*64*64+4*64) +
				64*10 + 10},
		{"mlp", Shape{64}, MLP([]int{32}, ReLU, 10), 64*32 + 32 + 32*10 + 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			net, err := NewSequential(tc.in, SoftmaxCrossEntropy, rng.New(1), tc.layers...)
			if err != nil {
				t.Fatal(err)
			}
			if got := len(net.Params()); got != tc.params {
				t.Errorf("%d parameters, want %d", got, tc.params)
			}
			if net.Outputs() != 10 {
				t.Errorf("%d outputs, want 10", net.Outputs())
			}
		})
	}
	_, err := NewSequential(Shape{1, 8, 8}, SoftmaxCrossEntropy, rng.New(1),
		ResNet(ResNetConfig{Blocks: []int{1, 1}, Channels: []int{4}}, 3)...)
	if err == nil || !strings.Contains(err.Error(), "residual: 0 output channels") {
		t.Errorf("a stage without channels: %v", err)
	}
}
