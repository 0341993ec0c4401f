package rng

import "math/bits"

// A Permuter draws the permutations of freshly seeded generators: for each
// seed s, what
//
//	np.random.seed(s); np.random.permutation(n)
//
// returns, which is New(s).Permutation(dst) bit for bit (TestPermuter
// compares the two on lengths 0…2000 and many seeds, and TestPermutation
// compares both with numpy). The course reseeds its generator before every
// epoch's shuffle, so each epoch pays for a whole seeding and a draw of the
// permutation; a Permuter does the same work faster, with the same
// operations:
//
//   - init_genrand's recurrence is a chain of dependent multiplications,
//     624 of them; Permute seeds up to four generators side by side, so that
//     their chains overlap;
//   - the state is regenerated (twisted) lazily, a block of words at a time
//     as the shuffle draws them, in the order MT19937 defines, so a shuffle
//     of 300 (about 415 draws) does not twist all 624 words;
//   - the shuffle first draws every position's swap partner without
//     branching on the rejection test (a rejected draw is overwritten by the
//     next), then swaps.
//
// Its zero value is ready to use. A Permuter is not safe for concurrent use.
type Permuter struct {
	keys     [4][stateLen]uint32
	tempered [stateLen]uint32
	partner  []uint32
}

// Permute sets each dst[e] to the permutation of 0…len(dst[e])−1 that a
// generator seeded with seeds[e] draws first. len(seeds) must equal
// len(dst).
func (p *Permuter) Permute(seeds []uint32, dst [][]int) {
	if len(seeds) != len(dst) {
		panic("rng: Permuter.Permute: seeds and dst differ in length")
	}
	for g := 0; g < len(seeds); g += 4 {
		n := min(4, len(seeds)-g)
		p.seed(seeds[g:g+n], n)
		for e := 0; e < n; e++ {
			p.permute(&p.keys[e], dst[g+e])
		}
	}
}

// seed runs init_genrand for n ≤ 4 seeds, their chains interleaved. Each is
// [RandomState.Seed]'s recurrence; a missing seed's lanes are filled with a
// copy of the first and ignored.
func (p *Permuter) seed(seeds []uint32, n int) {
	s0, s1, s2, s3 := seeds[0], seeds[0], seeds[0], seeds[0]
	if n > 1 {
		s1 = seeds[1]
	}
	if n > 2 {
		s2 = seeds[2]
	}
	if n > 3 {
		s3 = seeds[3]
	}
	k0, k1, k2, k3 := &p.keys[0], &p.keys[1], &p.keys[2], &p.keys[3]
	for pos := range uint32(stateLen) {
		k0[pos], k1[pos], k2[pos], k3[pos] = s0, s1, s2, s3
		s0 = 1812433253*(s0^(s0>>30)) + pos + 1
		s1 = 1812433253*(s1^(s1>>30)) + pos + 1
		s2 = 1812433253*(s2^(s2>>30)) + pos + 1
		s3 = 1812433253*(s3^(s3>>30)) + pos + 1
	}
}

// twistBlock is how many words permute regenerates and tempers at a time.
const twistBlock = 64

// twist regenerates words [lo, hi) of key in place and writes them,
// tempered, to out: [RandomState.generate]'s loop for those words. Called
// for consecutive ranges from 0 up to stateLen, it computes exactly one
// generate. Word i mixes words i and i+1 with word i+397 (indices modulo
// 624): the three ranges below are where those indices do not wrap, where
// i+397 does, and the last word, whose i+1 does.
func twist(key, out *[stateLen]uint32, lo, hi int) {
	i := lo
	if hasAVX2 {
		// Eight words at a time inside each range; a group's words read
		// only words that are not regenerated yet or that were 227 or more
		// words earlier.
		if n := (min(hi, stateLen-shift) - i) / 8; n > 0 {
			twistAVX2(&key[i], &key[i+shift], &out[i], n)
			i += 8 * n
		}
		for ; i < min(hi, stateLen-shift); i++ {
			twistWord(key, out, i, i+shift)
		}
		if n := (min(hi, stateLen-1) - i) / 8; n > 0 {
			twistAVX2(&key[i], &key[i+shift-stateLen], &out[i], n)
			i += 8 * n
		}
	}
	for ; i < min(hi, stateLen-shift); i++ {
		twistWord(key, out, i, i+shift)
	}
	for ; i < min(hi, stateLen-1); i++ {
		twistWord(key, out, i, i+shift-stateLen)
	}
	if i < hi {
		y := key[stateLen-1]&upperMask | key[0]&lowerMask
		w := key[shift-1] ^ y>>1 ^ (-(y & 1) & matrixA)
		key[i], out[i] = w, temper(w)
	}
}

// twistWord regenerates word i < 623 of key, mixing in word far, and
// writes it tempered to out[i].
func twistWord(key, out *[stateLen]uint32, i, far int) {
	y := key[i]&upperMask | key[i+1]&lowerMask
	w := key[far] ^ y>>1 ^ (-(y & 1) & matrixA)
	key[i], out[i] = w, temper(w)
}

// temper is MT19937's output transformation of a state word.
func temper(w uint32) uint32 {
	w ^= w >> 11
	w ^= (w << 7) & 0x9d2c5680
	w ^= (w << 15) & 0xefc60000
	return w ^ w>>18
}

// permute shuffles 0…len(x)−1 into x with draws from key, freshly seeded
// (its first draw regenerates it): numpy's shuffle, position i from len(x)−1
// down to 1 swapped with a draw from random_interval(i).
func (p *Permuter) permute(key *[stateLen]uint32, x []int) {
	n := len(x)
	for i := range x {
		x[i] = i
	}
	if uint64(n) > 1<<32 {
		r := &RandomState{key: *key, pos: stateLen}
		r.ShuffleInts(x)
		return
	}
	if n < 2 {
		return
	}
	if cap(p.partner) < n {
		p.partner = make([]uint32, n)
	}
	partner := p.partner[:n]
	out := &p.tempered
	pos, ready := 0, 0 // next draw; words twisted so far in this generation
	i := uint32(n - 1)
	for i >= 1 {
		// Positions from i down to lo share the mask, all ones up to i's
		// top bit.
		b := bits.Len32(i)
		mask, lo := uint32(1)<<b-1, uint32(1)<<(b-1)
		for i >= lo {
			if pos == ready {
				if ready == stateLen {
					pos, ready = 0, 0
				}
				hi := min(ready+twistBlock, stateLen)
				twist(key, out, ready, hi)
				ready = hi
			}
			v := out[pos] & mask
			pos++
			// Without a branch on the rejection, which goes either way:
			// a rejected v is overwritten by the next draw for position i.
			partner[i] = v
			i -= b2u(v <= i)
		}
	}
	for i := n - 1; i >= 1; i-- {
		j := partner[i]
		x[i], x[j] = x[j], x[i]
	}
}

// b2u is 1 for true and 0 for false (compiled to a flag read, no branch).
func b2u(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}
