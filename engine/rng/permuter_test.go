package rng

import (
	"testing"
)

// TestPermuter checks Permuter.Permute against New(seed).Permutation, the
// numpy-tested path: every length up to 700 and some beyond (the draws of a
// long shuffle cross into a second and third generation of the state), in
// groups of one to nine seeds (the seeding runs four at a time), seeds near
// 0 and 2³²−1.
func TestPermuter(t *testing.T) {
	var p Permuter
	check := func(seeds []uint32, n int) {
		t.Helper()
		dst := make([][]int, len(seeds))
		for e := range dst {
			dst[e] = make([]int, n)
			for i := range dst[e] {
				dst[e][i] = -1 // Permute must set every entry
			}
		}
		p.Permute(seeds, dst)
		for e, s := range seeds {
			want := make([]int, n)
			New(s).Permutation(want)
			if !equalInts(dst[e], want) {
				t.Fatalf("seed %d, n = %d (group of %d): Permute = %v, want %v", s, n, len(seeds), dst[e], want)
			}
		}
	}
	for n := 0; n <= 700; n++ {
		check([]uint32{uint32(n), 11, 4294967295, 3}[:1+n%4], n)
	}
	for _, n := range []int{1023, 1024, 1025, 1500, 2000, 5000} {
		check([]uint32{0, 1, 2, 3, 4, 5, 6, 7, 8}, n)
	}
	for s := uint32(10); s < 5011; s += 4 {
		check([]uint32{s, s + 1, s + 2, s + 3}, 300)
	}
}

func TestPermuterSeedsAndDst(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("Permute with 2 seeds and 1 destination did not panic")
		}
	}()
	var p Permuter
	p.Permute([]uint32{1, 2}, [][]int{make([]int, 3)})
}

func TestPermuterAllocations(t *testing.T) {
	var p Permuter
	dst := [][]int{make([]int, 300), make([]int, 300), make([]int, 300), make([]int, 300)}
	seeds := []uint32{11, 12, 13, 14}
	p.Permute(seeds, dst) // sizes the scratch
	if n := testing.AllocsPerRun(100, func() { p.Permute(seeds, dst) }); n != 0 {
		t.Errorf("Permute allocates %v times per call", n)
	}
}

// BenchmarkSeedPermutation300 is the course's shuffle before every epoch:
// reseed, then draw a permutation of 300; per epoch, for one generator and
// for a Permuter working four epochs at a time.
func BenchmarkSeedPermutation300(b *testing.B) {
	b.Run("RandomState", func(b *testing.B) {
		r, dst := New(0), make([]int, 300)
		s := uint32(11)
		for b.Loop() {
			r.Seed(s)
			r.Permutation(dst)
			s++
		}
	})
	b.Run("Permuter", func(b *testing.B) {
		var p Permuter
		dst := [][]int{make([]int, 300), make([]int, 300), make([]int, 300), make([]int, 300)}
		seeds := make([]uint32, 4)
		s := uint32(11)
		for b.Loop() {
			for e := range seeds {
				seeds[e] = s + uint32(e)
			}
			p.Permute(seeds, dst)
			s += 4
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(4*b.N), "ns/permutation")
	})
}
