// Package nn implements neural networks for the engine stage of optbench:
// the course's fully connected Network (activations, losses,
// initialization, L2, L1, inverted dropout, batch normalization), and
// Sequential networks of layers behind the small Layer interface, one
// layer per file (Dense, Conv2D, MaxPool2D, AvgPool2D, GlobalAvgPool,
// BatchNorm, Dropout, Flatten, Activate, Residual), with the named
// architectures built from them (CNN, TwoConvTwoDense, ResNet, MLP); and
// gradient checking.
//
// Layers follow torch's semantics; testdata/torch_vectors.py records
// torch's outputs and gradients for each of them and for a small CNN and
// ResNet, which the tests match within 1e-12 relative, and four Adam
// steps of each within 1e-10 (torch_test.go says how values near 0, which
// carry only rounding, are compared).
//
// Data are laid out as in the DeepLearning.AI course the project reproduces:
// a batch is a d×B matrix with one example per column, Z = W·A + b, and W of
// layer l is n_l × n_{l−1}. Images are C×H×W per example, stored down the
// rows in that order (Shape). All parameters live in one flat []float64 (and
// their gradients in another) so that optimizers work element by element.
//
// nn imports only the standard library, gonum and engine/rng. It does no
// I/O and draws randomness only from the sources it is given.
package nn
