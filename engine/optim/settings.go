package optim

import (
	"fmt"
	"math"

	"github.com/optbench/optbench/engine/hparam"
)

// field pairs the description of one setting with the value a Config gives
// it, so that a constructor checks its Config against the same Specs that
// Settings publishes for config files.
type field struct {
	spec  hparam.Spec
	value float64
}

// check reports the first field whose value its Spec rejects.
func check(owner string, fields []field) error {
	for _, f := range fields {
		if err := f.spec.Check(f.value); err != nil {
			return fmt.Errorf("optim: %s: %w", owner, err)
		}
	}
	return nil
}

func specsOf(fields []field) []hparam.Spec {
	specs := make([]hparam.Spec, len(fields))
	for i, f := range fields {
		specs[i] = f.spec
	}
	return specs
}

// decaySpec describes an exponential-average coefficient, allowed in [0, 1).
func decaySpec(name string, def float64, doc string) hparam.Spec {
	return hparam.Spec{Name: name, Default: def, Min: 0, Max: 1, MaxOpen: true, Doc: doc}
}

// positiveSpec describes a setting allowed in (0, ∞).
func positiveSpec(name string, def float64, doc string) hparam.Spec {
	return hparam.Spec{Name: name, Default: def, Min: 0, Max: math.Inf(1), MinOpen: true, MaxOpen: true, Doc: doc}
}

// nonNegativeSpec describes a setting allowed in [0, ∞).
func nonNegativeSpec(name string, def float64, doc string) hparam.Spec {
	return hparam.Spec{Name: name, Default: def, Min: 0, Max: math.Inf(1), MaxOpen: true, Doc: doc}
}

func epsSpec(def float64) hparam.Spec {
	return positiveSpec("eps", def, "added to the denominator for numerical stability")
}

func weightDecaySpec(def float64) hparam.Spec {
	return nonNegativeSpec("weight_decay", def, "L2 penalty λ added to the gradient as λθ (torch weight_decay)")
}

// flagSpec describes a boolean setting as the whole numbers 0 and 1.
func flagSpec(name string, def bool, doc string) hparam.Spec {
	return hparam.Spec{Name: name, Default: flag(def), Min: 0, Max: 1, Integer: true, Doc: doc}
}

func flag(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// checkLengths panics when grads does not match params, or when params does
// not match the state sized by the first Step (stateLen, when started).
// It returns the common length.
func checkLengths(owner string, params, grads []float64, started bool, stateLen int) int {
	n := len(params)
	if len(grads) != n {
		panic(fmt.Sprintf("optim: %s: %d params but %d grads", owner, n, len(grads)))
	}
	if started && n != stateLen {
		panic(fmt.Sprintf("optim: %s: %d params after a first step with %d (Reset to change the size)", owner, n, stateLen))
	}
	return n
}

// filled returns buf resized to n with every element set to v, reusing buf's
// storage when it is large enough.
func filled(buf []float64, n int, v float64) []float64 {
	if cap(buf) < n {
		buf = make([]float64, n)
	}
	buf = buf[:n]
	for i := range buf {
		buf[i] = v
	}
	return buf
}

func dampeningSpec(def float64) hparam.Spec {
	return hparam.Spec{Name: "dampening", Default: def, Min: 0, Max: 1, Doc: "the gradient enters the velocity scaled by 1 − dampening"}
}

func beta1Spec(def float64) hparam.Spec {
	return decaySpec("beta1", def, "decay of the gradient's average (first moment)")
}

func beta2Spec(def float64) hparam.Spec {
	return decaySpec("beta2", def, "decay of the squared gradient's average (second moment)")
}
