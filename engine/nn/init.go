package nn

import (
	"fmt"
	"math"

	"github.com/optbench/optbench/engine/rng"
)

// Init is a weight initialization scheme. Biases always start at zero.
// Weights of layer l are drawn in row-major order of the n_l × n_{l−1}
// matrix, layer by layer, which is the order numpy's randn(n_l, n_{l−1})
// fills them in the course's initialize_parameters_he.
type Init int

const (
	HeNormal      Init = iota // W = randn · √(2/n_in)  (He et al. 2015; the course; the zero value)
	HeUniform                 // W ~ U(−√(6/n_in), +√(6/n_in))
	XavierNormal              // W = randn · √(2/(n_in+n_out))  (Glorot & Bengio 2010)
	XavierUniform             // W ~ U(−√(6/(n_in+n_out)), +√(6/(n_in+n_out)))
	LeCunNormal               // W = randn · √(1/n_in)  (the course's "Xavier")
	RandomNormal              // W = randn · scale
	Zeros                     // W = 0 (fails to break symmetry; kept for teaching)
)

var initNames = map[string]Init{
	"zeros": Zeros, "random_normal": RandomNormal, "xavier_normal": XavierNormal,
	"glorot_normal": XavierNormal, "xavier_uniform": XavierUniform, "glorot_uniform": XavierUniform,
	"he_normal": HeNormal, "he": HeNormal, "he_uniform": HeUniform, "lecun_normal": LeCunNormal,
	"lecun": LeCunNormal,
}

func (in Init) String() string {
	switch in {
	case Zeros:
		return "zeros"
	case RandomNormal:
		return "random_normal"
	case XavierNormal:
		return "xavier_normal"
	case XavierUniform:
		return "xavier_uniform"
	case HeNormal:
		return "he_normal"
	case HeUniform:
		return "he_uniform"
	case LeCunNormal:
		return "lecun_normal"
	}
	return fmt.Sprintf("Init(%d)", int(in))
}

// ParseInit returns the initialization with the given name.
func ParseInit(name string) (Init, error) {
	v, ok := initNames[name]
	if !ok {
		return 0, fmt.Errorf("unknown initialization %q (valid: %s)", name, joinKeys(initNames))
	}
	return v, nil
}

// InitNames lists the accepted initialization names, sorted.
func InitNames() []string { return keys(initNames) }

// fill draws the weights w of a layer with nIn inputs and nOut outputs.
func (in Init) fill(w []float64, nIn, nOut int, scale float64, r *rng.RandomState) {
	normal := func(std float64) {
		r.Randn(w)
		for i := range w {
			w[i] *= std
		}
	}
	uniform := func(limit float64) {
		for i := range w {
			w[i] = r.Uniform(-limit, limit)
		}
	}
	fin, fout := float64(nIn), float64(nOut)
	switch in {
	case Zeros:
		clear(w)
	case RandomNormal:
		normal(scale)
	case XavierNormal:
		normal(math.Sqrt(2 / (fin + fout)))
	case XavierUniform:
		uniform(math.Sqrt(6 / (fin + fout)))
	case HeNormal:
		normal(math.Sqrt(2 / fin))
	case HeUniform:
		uniform(math.Sqrt(6 / fin))
	case LeCunNormal:
		normal(math.Sqrt(1 / fin))
	default:
		panic("nn: unknown initialization")
	}
}
