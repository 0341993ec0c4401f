package optim

// Optimizer updates a flat parameter vector in place from its gradient.
//
// The network keeps all of its parameters (weights, biases, batch-norm
// scales and shifts) in one contiguous []float64 and its gradient in another
// of the same length, so an optimizer works element by element and never
// needs to know the model's shape.
type Optimizer interface {
	// Step applies one update to params from grads at learning rate lr.
	// params and grads have the same length, fixed by the first call.
	// Step counts its own updates (t = 1, 2, …) where the rule needs them,
	// and does not allocate after the first call.
	Step(params, grads []float64, lr float64)
	// Reset forgets all state (moments, velocities, the step count).
	Reset()
}
