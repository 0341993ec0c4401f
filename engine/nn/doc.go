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
// # Same bits on every machine
//
// Matrix products use engine/internal/gemm, whose kernels (AVX-512, AVX2,
// pure Go) all compute each element as one chain of FMAs in ascending k;
// exp, expm1, tanh and log come from engine/internal/crmath (FastExp and
// FastLog, within 1 ULP, where they are evaluated per example), not from
// math, whose bits depend on the CPU; and every product that feeds an addition is
// written float64(x*y), which the Go spec makes round, so that no compiler
// fuses it into a multiply-add (arm64 does for plain x*y + z, and amd64
// with GOAMD64=v3). A seed therefore gives the same bits on amd64 with or
// without AVX-512, AVX2 or FMA, and on arm64 (TestCrossMachine in
// experiments/crossmachine_test.go checks that).
//
// nn imports only the standard library, engine/rng and the engine's
// internal gemm and crmath. It does no I/O and draws randomness only from
// the sources it is given.
package nn
