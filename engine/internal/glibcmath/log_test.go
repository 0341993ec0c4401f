package glibcmath

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
	"testing"

	"github.com/optbench/optbench/engine/internal/crmath"
	"github.com/optbench/optbench/engine/internal/testvec"
)

// glibcVectors is testdata/glibc_log.json: Python's math.log (glibc 2.36's
// log, FMA build, on Debian 12 x86-64) on edge cases and on five generated
// groups of inputs, 10⁵ in all.
type glibcVectors struct {
	Libc   string     `json:"libc"`
	Edge   [][]string `json:"edge"`
	Groups []struct {
		Name   string     `json:"name"`
		Seed   uint64     `json:"seed"`
		N      int        `json:"n"`
		SHA256 string     `json:"sha256"`
		Sample [][]string `json:"sample"`
	} `json:"groups"`
}

// splitMix64 is the input generator of testdata/glibc_log.py.
type splitMix64 struct{ state uint64 }

func (g *splitMix64) next() uint64 {
	g.state += 0x9e3779b97f4a7c15
	z := g.state
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// groupInputs maps the generator's outputs to inputs as glibc_log.py does.
var groupInputs = map[string]func(g *splitMix64) float64{
	"unit": func(g *splitMix64) float64 {
		for {
			if u := g.next() >> 11; u != 0 {
				return float64(u) * 0x1p-53
			}
		}
	},
	"near1": func(g *splitMix64) float64 {
		return math.Float64frombits(near1Lo + g.next()%(near1Hi-near1Lo))
	},
	"subnormal": func(g *splitMix64) float64 {
		return math.Float64frombits(1 + g.next()%(1<<52-1))
	},
	"positive": func(g *splitMix64) float64 {
		for {
			if b := g.next() & 0x7fffffffffffffff; b > 0 && b < 0x7ff0000000000000 {
				return math.Float64frombits(b)
			}
		}
	},
	"moderate": func(g *splitMix64) float64 {
		e := int64(g.next()%121) - 60
		return math.Float64frombits(uint64(1023+e)<<52 | g.next()&(1<<52-1))
	},
}

func TestLogGlibcEdgeCases(t *testing.T) {
	var v glibcVectors
	testvec.Load(t, "testdata/glibc_log.json", &v)
	if len(v.Edge) < 300 {
		t.Fatalf("only %d edge cases in testdata", len(v.Edge))
	}
	for _, c := range v.Edge {
		xy := testvec.HexFloats(t, c)
		if got := Log(xy[0]); math.Float64bits(got) != math.Float64bits(xy[1]) {
			t.Errorf("Log(%x) = %x, %s's log gives %x", xy[0], got, v.Libc, xy[1])
		}
	}
}

// TestLogGlibcGroups checks Log on the 10⁵ generated inputs: the first
// outputs of each group one by one, then all of them through the hash.
func TestLogGlibcGroups(t *testing.T) {
	var v glibcVectors
	testvec.Load(t, "testdata/glibc_log.json", &v)
	total, notCR := 0, 0
	for _, grp := range v.Groups {
		t.Run(grp.Name, func(t *testing.T) {
			draw := groupInputs[grp.Name]
			if draw == nil {
				t.Fatalf("no input mapping for group %q", grp.Name)
			}
			g := &splitMix64{state: grp.Seed}
			h := sha256.New()
			var buf [8]byte
			for j := range grp.N {
				x := draw(g)
				y := Log(x)
				if j < len(grp.Sample) {
					want := testvec.HexFloats(t, grp.Sample[j])
					if x != want[0] {
						t.Fatalf("input %d = %x, the script drew %x", j, x, want[0])
					}
					if math.Float64bits(y) != math.Float64bits(want[1]) {
						t.Errorf("Log(%x) = %x, %s's log gives %x", x, y, v.Libc, want[1])
					}
				}
				if y != crmath.Log(x) {
					notCR++
				}
				binary.LittleEndian.PutUint64(buf[:], math.Float64bits(y))
				h.Write(buf[:])
			}
			total += grp.N
			if got := hex.EncodeToString(h.Sum(nil)); got != grp.SHA256 {
				t.Errorf("SHA-256 of %d outputs = %s, %s's log gives %s", grp.N, got, v.Libc, grp.SHA256)
			}
		})
	}
	if total < 100000 {
		t.Errorf("only %d generated inputs checked", total)
	}
	t.Logf("%d inputs; Log differs from the correctly rounded crmath.Log on %d", total, notCR)
}

func TestLogSpecialCases(t *testing.T) {
	for _, c := range []struct{ x, want float64 }{
		{0, math.Inf(-1)},
		{math.Copysign(0, -1), math.Inf(-1)},
		{math.Inf(1), math.Inf(1)},
		{1, 0},
	} {
		if got := Log(c.x); math.Float64bits(got) != math.Float64bits(c.want) {
			t.Errorf("Log(%v) = %v, want %v", c.x, got, c.want)
		}
	}
	for _, x := range []float64{-1, -5e-324, math.Inf(-1), math.NaN()} {
		if got := Log(x); !math.IsNaN(got) {
			t.Errorf("Log(%v) = %v, want NaN", x, got)
		}
	}
}

func BenchmarkLog(b *testing.B) {
	b.ReportAllocs()
	x, s := 0.3, 0.0
	for b.Loop() {
		s += Log(x)
		x += 0x1p-20
	}
	_ = s
}
