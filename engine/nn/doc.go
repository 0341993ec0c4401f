// Package nn implements fully connected neural networks for the engine stage
// of optbench: layers, activations, losses, initialization, regularization
// (L2, L1, inverted dropout, batch normalization) and gradient checking.
//
// Data are laid out as in the DeepLearning.AI course the project reproduces:
// a batch is a d×B matrix with one example per column, Z = W·A + b, and W of
// layer l is n_l × n_{l−1}. All parameters live in one flat []float64 (and
// their gradients in another) so that optimizers work element by element.
//
// nn imports only the standard library, gonum and engine/rng. It does no
// I/O and draws randomness only from the sources it is given.
package nn
