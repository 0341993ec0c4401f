// Package optim holds the parameter-update rules (optimizers) that a trial's
// training loop applies after each mini-batch: gradient descent, momentum in
// its course and torch forms, AdaGrad, RMSProp and the Adam family.
//
// It is part of the engine stage: the trainer (engine/train) owns an
// Optimizer and calls Step once per update with the flat parameter vector,
// its gradient and the learning rate the schedule gives for that update.
// The package imports only the standard library, gonum and other engine
// packages (engine/hparam for the descriptions of its settings); it does no
// I/O and keeps no global state.
//
// # Sources and arithmetic
//
// Every optimizer's doc comment gives its update rule and names the reference
// whose semantics it reproduces: the DeepLearning.AI "Improving Deep Neural
// Networks" course (the "Optimization Methods" assignment), a paper, or a
// torch.optim class. Where the reference is torch, the arithmetic follows
// torch's single-tensor (foreach=False) CPU code operation by operation, so
// that float64 runs agree with torch.float64 runs to within a few units in
// the last place; testdata/torch_vectors.py records the vectors the tests
// replay.
//
// The bits are the same on every platform: each product that feeds an
// addition is written float64(x*y), which the Go spec makes round, so no
// compiler fuses it into a multiply-add (arm64 does for plain x*y + z, and
// amd64 with GOAMD64=v3); non-integer powers come from crmath.Pow, not
// math.Pow, whose bits depend on the CPU. Adam's update runs in
// engine/internal/vecmath, AVX assembly with the Go loop's operations in
// its order. It imports those two internal packages.
//
// # Configuration
//
// Each optimizer has a Config struct, a DefaultXConfig variable and a NewX
// constructor that validates. Config files reach the same constructors
// through [Names], [Settings] and [New], which take the settings as a map of
// numbers described by [hparam.Spec] values (booleans are the integers 0 and
// 1). Setting names are shared across optimizers: beta, momentum, dampening,
// beta1, beta2, eps, weight_decay, lr_decay, initial_accumulator,
// momentum_decay, bias_correction, eps_inside_sqrt and centered.
//
// # State
//
// An optimizer sizes its state from the first Step after construction or
// Reset, and allocates nothing afterwards. Calling Step with a different
// length before Reset, or with params and grads of different lengths, is a
// programmer error and panics.
package optim
