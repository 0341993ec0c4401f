package nn

import (
	"fmt"

	"github.com/optbench/optbench/engine/internal/crmath"
)

// Loss is the per-example training objective.
type Loss int

const (
	// BinaryCrossEntropy: −[y log a + (1−y) log(1−a)] summed over output
	// units; needs a sigmoid output. Logarithms are clamped at −100 as
	// torch.nn.BCELoss does, so a saturated unit gives a large finite loss,
	// unless Config.RawLog asks for the course's raw log (+Inf).
	BinaryCrossEntropy Loss = iota
	// SoftmaxCrossEntropy: −Σ_k y_k log a_k with one-hot y; needs softmax.
	SoftmaxCrossEntropy
	// MeanSquaredError: Σ_k (a_k − y_k)² / k per example (torch's MSELoss
	// averaged over outputs); any output activation.
	MeanSquaredError
)

var lossNames = map[string]Loss{
	"binary_cross_entropy": BinaryCrossEntropy, "bce": BinaryCrossEntropy,
	"softmax_cross_entropy": SoftmaxCrossEntropy, "cross_entropy": SoftmaxCrossEntropy,
	"mse": MeanSquaredError, "mean_squared_error": MeanSquaredError,
}

func (l Loss) String() string {
	switch l {
	case BinaryCrossEntropy:
		return "binary_cross_entropy"
	case SoftmaxCrossEntropy:
		return "softmax_cross_entropy"
	case MeanSquaredError:
		return "mse"
	}
	return fmt.Sprintf("Loss(%d)", int(l))
}

// ParseLoss returns the loss with the given name.
func ParseLoss(name string) (Loss, error) {
	l, ok := lossNames[name]
	if !ok {
		return 0, fmt.Errorf("unknown loss %q (valid: %s)", name, joinKeys(lossNames))
	}
	return l, nil
}

// LossNames lists the accepted loss names, sorted.
func LossNames() []string { return keys(lossNames) }

const logFloor = -100 // torch.nn.BCELoss clamps log outputs to ≥ −100

func clampedLog(x float64) float64 {
	// math.Max(log x, logFloor) without its call: NaN stays NaN.
	l := crmath.FastLog(x)
	if l < logFloor {
		l = logFloor
	}
	return l
}

// rawLogTerm is −log(x)·w with the raw log, and 0 when w is 0 whatever
// the log (np.nansum's treatment of the course's 0·∞ = NaN terms).
func rawLogTerm(x, w float64) float64 {
	if w == 0 {
		return 0
	}
	return float64(-crmath.FastLog(x) * w) // rounded here: the caller adds it
}

// lossSum returns the summed loss of the k×cols block a against y, left to
// right; raw selects the unclamped logarithm (Config.RawLog).
func lossSum(l Loss, a, y []float64, k int, raw bool) float64 {
	var sum float64
	switch {
	case raw && l == BinaryCrossEntropy:
		for i := range a {
			sum += rawLogTerm(a[i], y[i]) + rawLogTerm(1-a[i], 1-y[i])
		}
		return sum
	case raw && l == SoftmaxCrossEntropy:
		for i := range a {
			sum += rawLogTerm(a[i], y[i])
		}
		return sum
	}
	switch l {
	case BinaryCrossEntropy:
		// The course's compute_cost: −log(a)·y + −log(1−a)·(1−y), summed.
		for i := range a {
			sum += float64(-clampedLog(a[i])*y[i]) + float64(-clampedLog(1-a[i])*(1-y[i]))
		}
	case SoftmaxCrossEntropy:
		for i := range a {
			if y[i] != 0 {
				sum += float64(-clampedLog(a[i]) * y[i])
			}
		}
	case MeanSquaredError:
		for i := range a {
			d := a[i] - y[i]
			sum += float64(d * d)
		}
		sum /= float64(k)
	}
	return sum
}

// lossTerms sets terms[i] to the loss term of element i of the k×cols block
// a against y, as a numpy reference computes its logprobs array before
// np.sum: every element gets a term (0 where its label weight is 0), and
// the products are rounded separately (numpy does not fuse them).
func lossTerms(terms []float64, l Loss, a, y []float64, raw bool) {
	switch {
	case raw && l == BinaryCrossEntropy:
		for i := range a {
			terms[i] = rawLogTerm(a[i], y[i]) + rawLogTerm(1-a[i], 1-y[i])
		}
	case raw && l == SoftmaxCrossEntropy:
		for i := range a {
			terms[i] = rawLogTerm(a[i], y[i])
		}
	case l == BinaryCrossEntropy:
		for i := range a {
			terms[i] = float64(-clampedLog(a[i])*y[i]) + float64(-clampedLog(1-a[i])*(1-y[i]))
		}
	case l == SoftmaxCrossEntropy:
		for i := range a {
			terms[i] = 0
			if y[i] != 0 {
				terms[i] = -clampedLog(a[i]) * y[i]
			}
		}
	case l == MeanSquaredError:
		for i := range a {
			d := a[i] - y[i]
			terms[i] = d * d // divided by k after the sum, as in lossSum
		}
	}
}
