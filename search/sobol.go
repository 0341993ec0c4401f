package search

import (
	"fmt"
	"math"
	"math/bits"

	"github.com/optbench/optbench/engine/rng"
)

//go:generate /usr/bin/python3 testdata/sobol_gen.py

var _ Method = (*Sobol)(nil)

// Sobol proposes the points of a scrambled Sobol sequence, a quasi-random
// sequence that fills the unit cube more evenly than independent draws
// (AlgoPerf tunes its baselines with such quasi-random search). Point n,
// from 0, is a vector u₀, u₁, … in [0, 1); its coordinates place one
// configuration:
//
//	u₀        the branch: Space.Branches[⌊u₀·B⌋] of B branches; with the
//	          branches every optimizer with every schedule, optimizer
//	          outermost, that is optimizer ⌊u₀·O⌋ of O and schedule
//	          ⌊u₀·B⌋ mod S of S
//	u₁₊ⱼ      dimension j of that branch, in order (whatever the branch,
//	          so a fixed dimension still takes its coordinate):
//	            a finite domain of L values      the value At(⌊u₁₊ⱼ·L⌋)
//	            Uniform{Lo, Hi}                  Lo + u₁₊ⱼ·(Hi−Lo)
//	            LogUniform{Lo, Hi}               exp(log Lo + u₁₊ⱼ·(log Hi − log Lo))
//
// where floors are exact (u is a multiple of 2⁻⁵³). The sequence has
// 1 + w coordinates for the widest branch's w dimensions.
//
// The unscrambled sequence is Sobol's with Joe and Kuo's direction numbers
// (new-joe-kuo-6.21201, S. Joe and F. Y. Kuo, "Constructing Sobol
// sequences with better two-dimensional projections", SIAM J. Sci. Comput.
// 30, 2008), in Gray-code order as scipy.stats.qmc.Sobol(scramble=False)
// gives it: point 0 is the origin (not skipped, as scipy does not), and
// point n+1 is point n with direction number c XORed into each coordinate,
// c the number of trailing ones of n. Coordinate k of the sequence uses
// Joe and Kuo's dimension k+1 (dimension 1 the van der Corput sequence).
// Coordinates are 64-bit binary fractions; u is the first 53 bits.
//
// The scrambling is Matoušek's random linear matrix scramble with a
// digital shift (J. Matoušek, "On the L2-discrepancy for anchored boxes",
// J. Complexity 14, 1998; scipy's scramble=True does the same with its own
// generator): for each coordinate k, a random 64×64 binary matrix Lₖ,
// lower triangular with ones on its diagonal, and a random 64-bit shift eₖ
// turn each binary fraction x into Lₖx ⊕ eₖ. Since digit i of Lₖx depends
// only on digits 1 … i of x, and one to one, the scramble keeps the net
// property: the first 2ᵐ points put exactly one value of each coordinate
// in each interval [i/2ᵐ, (i+1)/2ᵐ), and so each of B branches is taken
// 2ᵐ/B times when B divides 2ᵐ. The random bits are drawn from
// rng.New(rng.Derive(seed, "sobol")), coordinate by coordinate: eₖ, then
// rows 2 … 64 of Lₖ, each a 64-bit draw (two Uint32, high word first) of
// which a row keeps the bits left of its diagonal. Coordinate k's scramble
// therefore does not depend on how many coordinates the space needs.
//
// A configuration told not kept (a repeat) is replaced by the next point,
// until Samples are kept or MaxAttempts(Samples) points have been proposed,
// as [Random] does. The balance above holds for a number of points that is
// a power of two; other sample counts are allowed.
type Sobol struct {
	space    *Space
	samples  int
	seq      *sobolSequence
	u        []float64 // the current point
	kept     int
	attempts int
}

// NewSobol returns a scrambled Sobol search of samples configurations over
// space, scrambled from the "sobol" stream of seed. The space may have any
// branches; 1 plus the widest branch's dimensions may be at most 1024, the
// dimensions of the committed direction numbers.
func NewSobol(space *Space, samples int, seed uint64) (*Sobol, error) {
	if samples < 1 {
		return nil, fmt.Errorf("search: sobol: samples %d; want at least 1", samples)
	}
	if len(space.Branches) == 0 {
		return nil, fmt.Errorf("search: sobol: the space has no branches")
	}
	widest := 0
	for _, b := range space.Branches {
		widest = max(widest, len(b.Dimensions))
		for _, d := range b.Dimensions {
			switch d.Domain.(type) {
			case Uniform, LogUniform:
			default:
				if d.Domain.Len() < 1 {
					return nil, fmt.Errorf("search: sobol: %s with schedule %s: cannot draw %s from %T",
						b.Optimizer, b.Schedule, d.Name, d.Domain)
				}
			}
		}
	}
	if 1+widest > len(sobolDirections) {
		return nil, fmt.Errorf("search: sobol: %d dimensions in one branch; the Sobol sequence has %d coordinates, one of them the branch",
			widest, len(sobolDirections))
	}
	return &Sobol{
		space: space, samples: samples,
		seq: newSobolSequence(1+widest, rng.New(rng.Derive(seed, "sobol"))),
		u:   make([]float64, 1+widest),
	}, nil
}

// Propose maps the next point of the sequence to a configuration, or
// returns false when Samples have been kept or the attempts are spent.
func (m *Sobol) Propose() (Configuration, bool) {
	if m.kept >= m.samples || m.attempts >= MaxAttempts(m.samples) {
		return Configuration{}, false
	}
	m.attempts++
	m.seq.next(m.u)
	bi := floorTimes(m.u[0], len(m.space.Branches))
	b := m.space.Branches[bi]
	c := Configuration{Branch: bi, Params: b.params(), Index: make([]int, len(b.Dimensions))}
	for i, d := range b.Dimensions {
		c.Params[d.Name], c.Index[i] = place(m.u[1+i], d.Domain)
	}
	return c, true
}

// Tell counts a kept configuration towards Samples.
func (m *Sobol) Tell(kept bool) {
	if kept {
		m.kept++
	}
}

// place maps a coordinate u in [0, 1) to a value of a domain and its index
// (−1 when continuous).
func place(u float64, d Domain) (any, int) {
	switch d := d.(type) {
	case Uniform:
		return d.Lo + u*(d.Hi-d.Lo), -1
	case LogUniform:
		lo, hi := math.Log(d.Lo), math.Log(d.Hi)
		return math.Exp(lo + u*(hi-lo)), -1
	}
	i := floorTimes(u, d.Len())
	return d.At(i), i
}

// floorTimes returns ⌊u·n⌋ exactly for u a multiple of 2⁻⁵³ in [0, 1),
// which a float64 product can round up to n.
func floorTimes(u float64, n int) int {
	hi, lo := bits.Mul64(uint64(u*(1<<53)), uint64(n))
	return int(hi<<11 | lo>>53)
}

// sobolBits is the number of binary digits of a coordinate.
const sobolBits = 64

// sobolSequence generates the points of a Sobol sequence, scrambled or
// not, in Gray-code order from point 0.
type sobolSequence struct {
	v [][sobolBits]uint64 // per coordinate, direction number c as a binary fraction (scrambled)
	x []uint64            // the next point
	n uint64              // its index
}

// newSobolSequence returns the first dims coordinates of the Sobol
// sequence, scrambled by draws from r, or unscrambled when r is nil.
func newSobolSequence(dims int, r *rng.RandomState) *sobolSequence {
	s := &sobolSequence{v: make([][sobolBits]uint64, dims), x: make([]uint64, dims)}
	for k := range dims {
		s.v[k] = directionNumbers(k)
		if r == nil {
			continue
		}
		s.x[k] = uint64Of(r) // the digital shift: point 0 is the shift itself
		var rows [sobolBits]uint64
		rows[0] = 1 << (sobolBits - 1)
		for i := 1; i < sobolBits; i++ {
			left := ^uint64(0) << (sobolBits - i) // the i digits before the diagonal
			rows[i] = uint64Of(r)&left | 1<<(sobolBits-1-i)
		}
		for c, v := range s.v[k] {
			s.v[k][c] = multiply(&rows, v)
		}
	}
	return s
}

// next writes the next point's coordinates, as multiples of 2⁻⁵³ in
// [0, 1), to u.
func (s *sobolSequence) next(u []float64) {
	for k, x := range s.x {
		u[k] = float64(x>>(sobolBits-53)) / (1 << 53)
	}
	c := bits.TrailingZeros64(^s.n) // trailing ones of n
	s.n++
	for k := range s.x {
		s.x[k] ^= s.v[k][c]
	}
}

// directionNumbers returns coordinate k's direction numbers: Joe and Kuo's
// dimension k+1, m₁ … m_s from the table and the rest by the recurrence of
// its primitive polynomial x^s + a₁x^(s−1) + … + a_(s−1)x + 1,
//
//	m_i = 2a₁m_(i−1) ⊕ 2²a₂m_(i−2) ⊕ … ⊕ 2^(s−1)a_(s−1)m_(i−s+1) ⊕ 2^s m_(i−s) ⊕ m_(i−s)
//
// each as the binary fraction m_i/2^i. Coordinate 0 has m_i = 1.
func directionNumbers(k int) [sobolBits]uint64 {
	dir := sobolDirections[k]
	var m [sobolBits]uint64
	s := bits.Len32(dir.poly) - 1
	for i := range sobolBits {
		switch {
		case k == 0:
			m[i] = 1
		case i < s:
			m[i] = uint64(dir.m[i])
		default:
			next := m[i-s] ^ m[i-s]<<s
			for j := 1; j < s; j++ {
				if dir.poly>>(s-j)&1 == 1 {
					next ^= m[i-j] << j
				}
			}
			m[i] = next
		}
	}
	var v [sobolBits]uint64
	for i := range m {
		v[i] = m[i] << (sobolBits - 1 - i)
	}
	return v
}

// multiply returns the binary matrix rows times the digit vector x, digit
// i of each the coefficient of 2^−(i+1).
func multiply(rows *[sobolBits]uint64, x uint64) uint64 {
	var y uint64
	for i, row := range rows {
		y |= uint64(bits.OnesCount64(row&x)&1) << (sobolBits - 1 - i)
	}
	return y
}

// uint64Of draws 64 bits as two Uint32, high word first.
func uint64Of(r *rng.RandomState) uint64 {
	hi := uint64(r.Uint32())
	return hi<<32 | uint64(r.Uint32())
}
