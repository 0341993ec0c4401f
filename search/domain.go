package search

import (
	"fmt"
	"math"
	"strconv"

	"github.com/optbench/optbench/engine"
)

// Domain is the set of values of one dimension. A finite domain numbers
// its values 0 … Len()−1: a grid takes each in turn, random search draws
// an index uniformly. A continuous domain ([Uniform], [LogUniform]) has
// Len 0 and is drawn from; At panics for it.
type Domain interface {
	Len() int
	At(i int) any
}

var (
	_ Domain = Points(nil)
	_ Domain = Categorical(nil)
	_ Domain = Uniform{}
	_ Domain = LogUniform{}
	_ Domain = IntUniform{}
	_ Domain = Quantized{}
	_ Domain = PowersOfTwo{}
)

// Points is a finite list of numbers in the order written: a fixed value,
// a list, or the points of lin_space and log_space.
type Points []float64

func (d Points) Len() int     { return len(d) }
func (d Points) At(i int) any { return d[i] }

// Categorical is a finite list of values with no order between them:
// names (an activation), switches, lists (hidden layer sizes) and text.
type Categorical []any

func (d Categorical) Len() int     { return len(d) }
func (d Categorical) At(i int) any { return d[i] }

// Uniform is the numbers of [Lo, Hi), drawn uniformly.
type Uniform struct{ Lo, Hi float64 }

func (Uniform) Len() int { return 0 }
func (d Uniform) At(int) any {
	panic("search: At of the continuous domain " + d.String())
}
func (d Uniform) String() string { return fmt.Sprintf("uniform [%s, %s)", format(d.Lo), format(d.Hi)) }

// LogUniform is the numbers of [Lo, Hi), 0 < Lo, drawn so that their
// logarithm is uniform:
//
//	x = exp(u),  u ~ U[log Lo, log Hi)
type LogUniform struct{ Lo, Hi float64 }

func (LogUniform) Len() int { return 0 }
func (d LogUniform) At(int) any {
	panic("search: At of the continuous domain " + d.String())
}
func (d LogUniform) String() string {
	return fmt.Sprintf("log-uniform [%s, %s)", format(d.Lo), format(d.Hi))
}

// IntUniform is the whole numbers Lo, Lo+1, …, Hi, both ends included.
// Lo and Hi are whole and Hi−Lo is at most 2⁵².
type IntUniform struct{ Lo, Hi float64 }

func (d IntUniform) Len() int     { return int(d.Hi-d.Lo) + 1 }
func (d IntUniform) At(i int) any { return d.Lo + float64(i) }
func (d IntUniform) String() string {
	return fmt.Sprintf("integers [%s, %s]", format(d.Lo), format(d.Hi))
}

// Quantized is the N numbers Lo, Lo+Q, …, Lo+(N−1)·Q, each rounded to 12
// significant digits so that a step of 0.1 gives 0.3 rather than
// 0.30000000000000004 (the sweep file's {quantized: [lo, hi, q]}, with N
// the number of steps that fit between lo and hi).
type Quantized struct {
	Lo, Q float64
	N     int
}

func (d Quantized) Len() int     { return d.N }
func (d Quantized) At(i int) any { return round12(d.Lo + float64(i)*d.Q) }
func (d Quantized) String() string {
	return fmt.Sprintf("quantized [%s, %s] step %s", format(d.Lo), engine.FormatValue(d.At(d.N-1)), format(d.Q))
}

// PowersOfTwo is Lo, 2·Lo, 4·Lo, …, Hi, where Lo ≤ Hi are powers of two
// (batch sizes).
type PowersOfTwo struct{ Lo, Hi float64 }

func (d PowersOfTwo) Len() int     { return int(math.Log2(d.Hi/d.Lo)) + 1 }
func (d PowersOfTwo) At(i int) any { return math.Ldexp(d.Lo, i) }
func (d PowersOfTwo) String() string {
	return fmt.Sprintf("powers of two [%s, %s]", format(d.Lo), format(d.Hi))
}

// round12 rounds v to 12 significant digits, as sweeps rounds the points
// it computes, so that a point prints and keys as a researcher writes it.
func round12(v float64) float64 {
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
	if err != nil {
		return v
	}
	return r
}

func format(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
