package nn

import (
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/optbench/optbench/engine/internal/crmath"
)

// Activation is an element-wise nonlinearity (or softmax over a column).
type Activation int

const (
	// Auto is the zero value: ReLU in hidden layers, and at the output the
	// activation that matches the loss (sigmoid for binary cross-entropy,
	// softmax for softmax cross-entropy, identity for squared error).
	Auto      Activation = iota
	ReLU                 // g(z) = max(0, z)
	Sigmoid              // g(z) = 1/(1+e^−z)
	Tanh                 // g(z) = tanh z
	LeakyReLU            // g(z) = z for z > 0, slope·z otherwise
	ELU                  // g(z) = z for z > 0, α(e^z − 1) otherwise
	Identity             // g(z) = z
	Softmax              // g(z)_k = e^{z_k}/Σ_j e^{z_j}, output layer only
)

var activationNames = map[string]Activation{
	"auto": Auto, "identity": Identity, "linear": Identity, "sigmoid": Sigmoid, "tanh": Tanh,
	"relu": ReLU, "leaky_relu": LeakyReLU, "elu": ELU, "softmax": Softmax,
}

func (a Activation) String() string {
	switch a {
	case Auto:
		return "auto"
	case Identity:
		return "identity"
	case Sigmoid:
		return "sigmoid"
	case Tanh:
		return "tanh"
	case ReLU:
		return "relu"
	case LeakyReLU:
		return "leaky_relu"
	case ELU:
		return "elu"
	case Softmax:
		return "softmax"
	}
	return fmt.Sprintf("Activation(%d)", int(a))
}

// ParseActivation returns the activation with the given name.
func ParseActivation(name string) (Activation, error) {
	a, ok := activationNames[name]
	if !ok {
		return 0, fmt.Errorf("unknown activation %q (valid: %s)", name, joinKeys(activationNames))
	}
	return a, nil
}

// ActivationNames lists the accepted activation names, sorted.
func ActivationNames() []string { return keys(activationNames) }

func keys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

func joinKeys[V any](m map[string]V) string {
	s := ""
	for i, k := range keys(m) {
		if i > 0 {
			s += ", "
		}
		s += k
	}
	return s
}

// activate writes g(z) into a for a rows×cols block stored row-major. Softmax
// normalizes each column. The exponentials come from crmath, whose bits do
// not depend on the CPU (math.Exp's do): FastExp (within 1 ULP) for sigmoid
// and softmax, the correctly rounded Expm1 and Tanh for ELU and tanh.
func activate(act Activation, a, z []float64, rows, cols int, slope, alpha float64) {
	switch act {
	case Identity:
		copy(a, z)
	case Sigmoid:
		for i, v := range z {
			a[i] = 1 / (1 + crmath.FastExp(-v))
		}
	case Tanh:
		for i, v := range z {
			a[i] = crmath.Tanh(v)
		}
	case ReLU:
		for i, v := range z {
			// math.Max(0, v) without its call (it is assembly on amd64):
			// NaN stays NaN, −0 becomes +0.
			if v <= 0 {
				v = 0
			}
			a[i] = v
		}
	case LeakyReLU:
		for i, v := range z {
			if v > 0 {
				a[i] = v
			} else {
				a[i] = slope * v
			}
		}
	case ELU:
		for i, v := range z {
			if v > 0 {
				a[i] = v
			} else {
				a[i] = alpha * crmath.Expm1(v)
			}
		}
	case Softmax:
		for c := 0; c < cols; c++ {
			m := math.Inf(-1)
			for r := 0; r < rows; r++ {
				m = math.Max(m, z[r*cols+c])
			}
			var sum float64
			for r := 0; r < rows; r++ {
				e := crmath.FastExp(z[r*cols+c] - m)
				a[r*cols+c] = e
				sum += e
			}
			for r := 0; r < rows; r++ {
				a[r*cols+c] /= sum
			}
		}
	default:
		panic("nn: unknown activation")
	}
}

// backprop multiplies da in place by g'(z), turning dL/dA into dL/dZ. It
// uses a = g(z) where that is cheaper. Softmax is handled with its loss.
func backprop(act Activation, da, z, a []float64, slope, alpha float64) {
	switch act {
	case Identity:
	case Sigmoid:
		for i := range da {
			da[i] *= a[i] * (1 - a[i])
		}
	case Tanh:
		for i := range da {
			da[i] *= 1 - float64(a[i]*a[i])
		}
	case ReLU:
		for i := range da {
			if z[i] <= 0 {
				da[i] = 0
			}
		}
	case LeakyReLU:
		for i := range da {
			if z[i] <= 0 {
				da[i] *= slope
			}
		}
	case ELU:
		for i := range da {
			if z[i] <= 0 {
				da[i] *= a[i] + alpha
			}
		}
	default:
		panic("nn: activation " + act.String() + " has no element-wise derivative")
	}
}
