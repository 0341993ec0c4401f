package rng

// RandomState is numpy's legacy np.random.RandomState: an MT19937 generator
// plus the one Gaussian that the polar method computes but has not yet
// returned. Its zero value is not usable; create one with [New].
type RandomState struct {
	key      [stateLen]uint32
	pos      int
	hasGauss bool
	gauss    float64
}

// MT19937 parameters (Matsumoto and Nishimura, 1998), as in numpy's
// randomkit-derived mt19937.c.
const (
	stateLen  = 624
	shift     = 397
	matrixA   = 0x9908b0df
	upperMask = 0x80000000
	lowerMask = 0x7fffffff
)

// New returns a generator seeded like np.random.RandomState(seed).
func New(seed uint32) *RandomState {
	r := new(RandomState)
	r.Seed(seed)
	return r
}

// Seed reseeds r like np.random.seed(seed): the key is filled by MT19937's
// init_genrand recurrence, the next draw regenerates the whole block, and any
// cached Gaussian is discarded.
func (r *RandomState) Seed(seed uint32) {
	s := seed
	for pos := range r.key {
		r.key[pos] = s
		s = 1812433253*(s^(s>>30)) + uint32(pos) + 1
	}
	r.pos = stateLen
	r.hasGauss = false
	r.gauss = 0
}

// Uint32 returns the next raw 32-bit output of MT19937.
func (r *RandomState) Uint32() uint32 {
	if r.pos == stateLen {
		r.generate()
	}
	y := r.key[r.pos]
	r.pos++
	// Tempering.
	y ^= y >> 11
	y ^= (y << 7) & 0x9d2c5680
	y ^= (y << 15) & 0xefc60000
	y ^= y >> 18
	return y
}

// uint64 joins two draws, the first as the high word, as numpy's
// mt19937_next64 does.
func (r *RandomState) uint64() uint64 {
	hi := uint64(r.Uint32())
	return hi<<32 | uint64(r.Uint32())
}

// generate refills the key with the next 624 words.
func (r *RandomState) generate() {
	k := &r.key
	mag := func(y uint32) uint32 { return -(y & 1) & matrixA }
	var i int
	for ; i < stateLen-shift; i++ {
		y := k[i]&upperMask | k[i+1]&lowerMask
		k[i] = k[i+shift] ^ y>>1 ^ mag(y)
	}
	for ; i < stateLen-1; i++ {
		y := k[i]&upperMask | k[i+1]&lowerMask
		k[i] = k[i+shift-stateLen] ^ y>>1 ^ mag(y)
	}
	y := k[stateLen-1]&upperMask | k[0]&lowerMask
	k[stateLen-1] = k[shift-1] ^ y>>1 ^ mag(y)
	r.pos = 0
}
