package nn

import (
	"fmt"

	"github.com/optbench/optbench/engine/internal/vecmath"
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

// clamp is math.Max(l, logFloor) without its call: NaN stays NaN.
func clamp(l float64) float64 {
	if l < logFloor {
		l = logFloor
	}
	return l
}

// rawTerm is −l·w for the raw log l, and 0 when w is 0 whatever l (np.nansum's
// treatment of the course's 0·∞ = NaN terms).
func rawTerm(l, w float64) float64 {
	if w == 0 {
		return 0
	}
	return float64(-l * w) // rounded here: the caller adds it
}

// logs returns crmath.FastLog of every element of a, and for binary cross
// entropy of every 1−a[i] too (nil otherwise), computed in one
// vecmath.Log pass over *scratch (grown as needed; nil: a local buffer).
// Mean squared error needs none.
func logs(scratch *[]float64, l Loss, a []float64) (la, lb []float64) {
	n := len(a)
	want := 0
	switch l {
	case BinaryCrossEntropy:
		want = 2 * n
	case SoftmaxCrossEntropy:
		want = n
	default:
		return nil, nil
	}
	var local []float64
	if scratch == nil {
		scratch = &local
	}
	if cap(*scratch) < want {
		*scratch = make([]float64, want)
	}
	buf := (*scratch)[:want]
	copy(buf, a)
	if l == BinaryCrossEntropy {
		for i, v := range a {
			buf[n+i] = 1 - v
		}
		lb = buf[n:]
	}
	vecmath.Log(buf, buf)
	return buf[:n], lb
}

// lossSum returns the summed loss of the k×cols block a against y, left to
// right; raw selects the unclamped logarithm (Config.RawLog). scratch holds
// the logarithms (see logs).
func lossSum(l Loss, a, y []float64, k int, raw bool, scratch *[]float64) float64 {
	if l == BinaryCrossEntropy && len(y) >= len(a) {
		if sum, ok := lossSumBinary(a, y[:len(a)], raw, scratch); ok {
			return sum
		}
	}
	return lossSumAll(l, a, y, k, raw, scratch)
}

// lossSumAll is lossSum computing every term as written.
func lossSumAll(l Loss, a, y []float64, k int, raw bool, scratch *[]float64) float64 {
	var sum float64
	la, lb := logs(scratch, l, a)
	y = y[:len(a)]
	switch {
	case raw && l == BinaryCrossEntropy:
		for i := range a {
			sum += rawTerm(la[i], y[i]) + rawTerm(lb[i], 1-y[i])
		}
		return sum
	case raw && l == SoftmaxCrossEntropy:
		for i := range a {
			sum += rawTerm(la[i], y[i])
		}
		return sum
	}
	switch l {
	case BinaryCrossEntropy:
		// The course's compute_cost: −log(a)·y + −log(1−a)·(1−y), summed.
		for i := range a {
			sum += float64(-clamp(la[i])*y[i]) + float64(-clamp(lb[i])*(1-y[i]))
		}
	case SoftmaxCrossEntropy:
		for i := range a {
			if y[i] != 0 {
				sum += float64(-clamp(la[i]) * y[i])
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

// lossSumBinary is lossSum for binary cross entropy when every target is
// 0 or 1 and, unless raw, every output is in [0, 1]; it reports false
// otherwise. Of each element's two terms one has weight 0, and it takes
// one logarithm per element where lossSum's general loop takes two — the
// same sum, bit for bit (TestLossSumBinary):
//
//   - the other term is ±0: rawTerm returns 0 for weight 0, and a clamped
//     logarithm of a value in [0, 1] is finite, so its product with 0 is ±0;
//   - adding ±0 to the kept term leaves it unchanged but for the sign of a
//     zero term, and the sum starts at +0, where +0 + −0 = +0, so a zero's
//     sign never reaches it;
//   - the kept term is −log(a) (weight 1) or −log(1−a), 1−a computed as
//     logs does, negated and multiplied by 1 exactly.
func lossSumBinary(a, y []float64, raw bool, scratch *[]float64) (float64, bool) {
	var local []float64
	if scratch == nil {
		scratch = &local
	}
	if cap(*scratch) < len(a) {
		*scratch = make([]float64, len(a))
	}
	buf := (*scratch)[:len(a)]
	if !vecmath.SelectBinary(buf, a, y, !raw) {
		return 0, false
	}
	vecmath.Log(buf, buf)
	var sum float64
	if raw {
		for _, v := range buf {
			sum += -v
		}
		return sum, true
	}
	for _, v := range buf {
		sum += -clamp(v)
	}
	return sum, true
}

// lossTerms sets terms[i] to the loss term of element i of the k×cols block
// a against y, as a numpy reference computes its logprobs array before
// np.sum: every element gets a term (0 where its label weight is 0), and
// the products are rounded separately (numpy does not fuse them). scratch
// holds the logarithms (see logs).
func lossTerms(terms []float64, l Loss, a, y []float64, raw bool, scratch *[]float64) {
	la, lb := logs(scratch, l, a)
	y = y[:len(a)]
	switch {
	case raw && l == BinaryCrossEntropy:
		for i := range a {
			terms[i] = rawTerm(la[i], y[i]) + rawTerm(lb[i], 1-y[i])
		}
	case raw && l == SoftmaxCrossEntropy:
		for i := range a {
			terms[i] = rawTerm(la[i], y[i])
		}
	case l == BinaryCrossEntropy:
		for i := range a {
			terms[i] = float64(-clamp(la[i])*y[i]) + float64(-clamp(lb[i])*(1-y[i]))
		}
	case l == SoftmaxCrossEntropy:
		for i := range a {
			terms[i] = 0
			if y[i] != 0 {
				terms[i] = -clamp(la[i]) * y[i]
			}
		}
	case l == MeanSquaredError:
		for i := range a {
			d := a[i] - y[i]
			terms[i] = d * d // divided by k after the sum, as in lossSum
		}
	}
}
