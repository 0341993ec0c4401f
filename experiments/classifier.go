package experiments

import (
	"context"
	"fmt"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/nn"
)

// Classifier2D is a trained binary classifier on a 2-D dataset, for
// drawing its decision boundary.
type Classifier2D struct {
	Predict func(x, y float64) float64 // probability of class 1 at (x, y), in the network's input space
	X, Y    []float64                  // the training points, as the network saw them (standardized where the experiment standardizes)
	Labels  []int
}

// Classifier retrains trial t (deterministically: the same seed gives the
// same network as the stored run) and returns its prediction function. It
// returns nil and no error when the experiment is not a binary
// classification of 2-D points.
func Classifier(ctx context.Context, t engine.Trial) (*Classifier2D, error) {
	e, err := Lookup(t.Experiment)
	if err != nil {
		return nil, err
	}
	if e.Function || (e.loss == nil && e.Loss != nn.BinaryCrossEntropy) {
		return nil, nil
	}
	p, err := e.Resolve(t.Params)
	if err != nil {
		return nil, err
	}
	tr, err := e.Trainer(p, t.Seed, t.Budget)
	if err != nil {
		return nil, err
	}
	net, ok := tr.Net.(*nn.Network)
	if !ok || net.Inputs() != 2 || net.Config().Loss != nn.BinaryCrossEntropy {
		return nil, nil // the loss may follow the data (csv)
	}
	opt, sched, err := e.optimizer(p)
	if err != nil {
		return nil, err
	}
	tr.Optimizer, tr.Schedule = opt, sched
	if _, err := tr.Run(ctx, nil); err != nil {
		return nil, fmt.Errorf("retraining trial %s: %w", t.Key(), err)
	}
	m := tr.Train.M
	c := &Classifier2D{X: tr.Train.X[:m], Y: tr.Train.X[m : 2*m], Labels: make([]int, m)}
	for i := range c.Labels {
		c.Labels[i] = int(tr.Train.Y[i])
	}
	in := make([]float64, 2)
	c.Predict = func(x, y float64) float64 {
		in[0], in[1] = x, y
		net.Forward(in, 1, false, nil)
		return net.Output()[0]
	}
	return c, nil
}
