package nn

// The named architectures of issue 13, as layer lists for NewSequential.
// Each ends with a dense layer of classes logits; NewSequential adds the
// loss's output activation.

// CNNConfig is the course's convolutional network: per block, Convs times
// [K×K convolution with padding K/2 → BatchNorm2d → LeakyReLU], then a
// Pool×Pool max-pool; after the blocks, flatten and one dense layer. The
// zero value is usable.
type CNNConfig struct {
	// Channels are the output channels of each block's convolutions;
	// default [16, 32] (two blocks, as in the course; the widths are this
	// project's choice).
	Channels []int
	// Kernel is the convolutions' size, odd; default 5.
	Kernel int
	// Convs is the number of convolutions per block; default 2.
	Convs int
	// Pool is the max-pool's window and stride; default 2.
	Pool int
	// LeakySlope is LeakyReLU's slope; default 0.01 (torch's).
	LeakySlope float64
}

// CNN returns the layers of the course's network for classes outputs.
func CNN(cfg CNNConfig, classes int) []Layer {
	if cfg.Channels == nil {
		cfg.Channels = []int{16, 32}
	}
	if cfg.Kernel == 0 {
		cfg.Kernel = 5
	}
	if cfg.Convs == 0 {
		cfg.Convs = 2
	}
	if cfg.Pool == 0 {
		cfg.Pool = 2
	}
	var ls []Layer
	for _, c := range cfg.Channels {
		for range cfg.Convs {
			ls = append(ls, &Conv2D{Out: c, Kernel: cfg.Kernel, Padding: cfg.Kernel / 2}, &BatchNorm{},
				&Activate{Func: LeakyReLU, Slope: cfg.LeakySlope})
		}
		ls = append(ls, &MaxPool2D{Kernel: cfg.Pool})
	}
	return append(ls, &Flatten{}, &Dense{Out: classes})
}

// TwoConvTwoDense returns DeepOBS's fmnist_2c2d (Schneider, Balles &
// Hennig 2019): conv 32 5×5 ('same' padding) → ReLU → 2×2 max-pool,
// conv 64 5×5 → ReLU → 2×2 max-pool, dense 1024 → ReLU, dense classes.
func TwoConvTwoDense(classes int) []Layer {
	return []Layer{
		&Conv2D{Out: 32, Kernel: 5, Padding: 2}, &Activate{Func: ReLU}, &MaxPool2D{Kernel: 2},
		&Conv2D{Out: 64, Kernel: 5, Padding: 2}, &Activate{Func: ReLU}, &MaxPool2D{Kernel: 2},
		&Flatten{}, &Dense{Out: 1024}, &Activate{Func: ReLU}, &Dense{Out: classes},
	}
}

// ResNetConfig is a ResNet of basic blocks (He et al. 2016): a 3×3
// convolution stem with batch norm and ReLU, then stages of Residual
// blocks, the first block of every stage after the first with stride 2
// (and a projection shortcut), then global average pooling and a dense
// layer. The zero value is usable.
type ResNetConfig struct {
	// Blocks is the number of basic blocks per stage; default [3, 3, 3]
	// (ResNet-20 of the paper's CIFAR section; [2, 2, 2, 2] is the
	// course's ResNet-18 layout).
	Blocks []int
	// Channels are the channels of each stage; default [16, 32, 64].
	// The stem has the first stage's.
	Channels []int
}

// ResNet returns the layers of a ResNet for classes outputs. Blocks and
// Channels must have the same length; shortcuts are 1×1 projections with
// batch norm where the shape changes (torchvision's, not the paper's
// zero-padding option A).
func ResNet(cfg ResNetConfig, classes int) []Layer {
	if cfg.Blocks == nil {
		cfg.Blocks = []int{3, 3, 3}
	}
	if cfg.Channels == nil {
		cfg.Channels = []int{16, 32, 64}
	}
	stem := 1
	if len(cfg.Channels) > 0 {
		stem = cfg.Channels[0]
	}
	ls := []Layer{&Conv2D{Out: stem, Kernel: 3, Padding: 1, NoBias: true}, &BatchNorm{}, &Activate{Func: ReLU}}
	for s, n := range cfg.Blocks {
		c := 0
		if s < len(cfg.Channels) {
			c = cfg.Channels[s]
		}
		for b := range n {
			stride := 1
			if s > 0 && b == 0 {
				stride = 2
			}
			ls = append(ls, &Residual{Out: c, Stride: stride})
		}
	}
	return append(ls, &GlobalAvgPool{}, &Dense{Out: classes})
}

// MLP returns a fully connected network: per hidden width a dense layer
// and the activation act, then a dense layer of classes outputs.
func MLP(hidden []int, act Activation, classes int) []Layer {
	var ls []Layer
	for _, h := range hidden {
		ls = append(ls, &Dense{Out: h}, &Activate{Func: act})
	}
	return append(ls, &Dense{Out: classes})
}
