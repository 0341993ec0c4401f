package search

import (
	"encoding/json"
	"math"
	"math/big"
	"math/bits"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/optbench/optbench/engine/rng"
)

func mustSobol(t *testing.T, space *Space, samples int, seed uint64) *Sobol {
	t.Helper()
	m, err := NewSobol(space, samples, seed)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// sobolReference is testdata/sobol_unscrambled.json, written by
// testdata/sobol_gen.py from scipy.stats.qmc.Sobol(d, scramble=False).
type sobolReference struct {
	Scipy string      `json:"scipy"`
	First [][]float64 `json:"first"` // points 0 … 63, in 64 dimensions
	Far   []struct {
		Index uint64    `json:"index"`
		Point []float64 `json:"point"` // in every dimension of the table
	} `json:"far"`
}

// TestSobolUnscrambledMatchesScipy compares the unscrambled sequence with
// scipy's, bit for bit: its points are dyadic rationals of at most 30
// digits, exact in float64 and in JSON. The first 64 points come from
// stepping the sequence; the far points (up to index 2²⁹−1, in all 1024
// dimensions) from the Gray code of their index, which exercises the
// direction numbers' recurrence down to digit 30.
func TestSobolUnscrambledMatchesScipy(t *testing.T) {
	raw, err := os.ReadFile("testdata/sobol_unscrambled.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref sobolReference
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	t.Logf("reference from scipy %s", ref.Scipy)
	if len(ref.First) != 64 || len(ref.Far) == 0 {
		t.Fatalf("reference has %d first points and %d far ones", len(ref.First), len(ref.Far))
	}
	t.Run("first", func(t *testing.T) {
		dims := len(ref.First[0])
		s := newSobolSequence(dims, nil)
		u := make([]float64, dims)
		for n, want := range ref.First {
			s.next(u)
			if !reflect.DeepEqual(u, want) {
				t.Fatalf("point %d:\n got %v\nwant %v", n, u, want)
			}
		}
	})
	t.Run("far", func(t *testing.T) {
		for _, far := range ref.Far {
			if len(far.Point) != len(sobolDirections) {
				t.Fatalf("point %d has %d dimensions, the table %d", far.Index, len(far.Point), len(sobolDirections))
			}
			for k, want := range far.Point {
				if got := grayPoint(directionNumbers(k), 0, far.Index); got != want {
					t.Fatalf("point %d, dimension %d: got %v, want %v", far.Index, k, got, want)
				}
			}
		}
	})
}

// grayPoint is point n of one coordinate computed directly: the shift
// XOR the direction numbers of the set digits of n's Gray code.
func grayPoint(v [sobolBits]uint64, shift, n uint64) float64 {
	x := shift
	for g := n ^ n>>1; g != 0; g &= g - 1 {
		x ^= v[bits.TrailingZeros64(g)]
	}
	return float64(x>>(sobolBits-53)) / (1 << 53)
}

// TestSobolSteppingIsGrayCode: stepping the scrambled sequence gives the
// same points as computing each from its index.
func TestSobolSteppingIsGrayCode(t *testing.T) {
	const dims = 5
	s := newSobolSequence(dims, rng.New(rng.Derive(3, "sobol")))
	shift := make([]uint64, dims)
	copy(shift, s.x) // point 0 is the shift
	u := make([]float64, dims)
	for n := range uint64(5000) {
		s.next(u)
		for k := range dims {
			if want := grayPoint(s.v[k], shift[k], n); u[k] != want {
				t.Fatalf("point %d, coordinate %d: stepped %v, direct %v", n, k, u[k], want)
			}
		}
	}
}

// TestSobolScrambledGolden pins the first scrambled points of seed 1: a
// change in the draws or the scramble would silently change every sobol
// sweep's configurations. The values are this implementation's when it
// was written (no outside reference scrambles the same way).
func TestSobolScrambledGolden(t *testing.T) {
	want := [][]float64{
		{0.25667483561577875, 0.5173030737545288, 0.7661503369996354, 0.12328594747637711},
		{0.917321439773768, 0.483353287574641, 0.03339150894231213, 0.9080130333603014},
		{0.577491422508644, 0.7675473163858839, 0.7436481151804387, 0.4481105077615135},
		{0.221536193617198, 0.23310905588348485, 0.44899822434859393, 0.5206832264630167},
	}
	s := newSobolSequence(4, rng.New(rng.Derive(1, "sobol")))
	for n, w := range want {
		u := make([]float64, 4)
		s.next(u)
		if !reflect.DeepEqual(u, w) {
			t.Errorf("point %d:\n got %v\nwant %v", n, u, w)
		}
	}
}

// TestSobolScrambleSeeds: the same seed scrambles the same way, another
// seed otherwise, and every coordinate lies in [0, 1).
func TestSobolScrambleSeeds(t *testing.T) {
	points := func(seed uint64) [][]float64 {
		s := newSobolSequence(8, rng.New(rng.Derive(seed, "sobol")))
		var out [][]float64
		for range 1024 {
			u := make([]float64, 8)
			s.next(u)
			out = append(out, u)
		}
		return out
	}
	first := points(7)
	if again := points(7); !reflect.DeepEqual(again, first) {
		t.Error("seed 7 scrambled differently the second time")
	}
	other := points(8)
	for n := range first {
		for k := range first[n] {
			if first[n][k] == other[n][k] {
				t.Errorf("point %d, coordinate %d: seeds 7 and 8 both give %v", n, k, first[n][k])
			}
		}
	}
	for _, pts := range [][][]float64{first, other} {
		for n, u := range pts {
			for k, v := range u {
				if !(v >= 0 && v < 1) {
					t.Errorf("point %d, coordinate %d is %v, outside [0, 1)", n, k, v)
				}
			}
		}
	}
}

// TestSobolScrambledNets: scrambling keeps the net property. The first 2ᵐ
// points of each coordinate have one point in each interval of width
// 2⁻ᵐ, and the first two coordinates (Sobol's first two dimensions, a
// (0, 2)-sequence) one point in each box of area 2⁻ᵐ with sides 2⁻ᵃ and
// 2⁻⁽ᵐ⁻ᵃ⁾.
func TestSobolScrambledNets(t *testing.T) {
	const dims, maxM = 6, 12
	for _, seed := range []uint64{0, 1, 2, 12345} {
		s := newSobolSequence(dims, rng.New(rng.Derive(seed, "sobol")))
		pts := make([][]float64, 1<<maxM)
		for n := range pts {
			pts[n] = make([]float64, dims)
			s.next(pts[n])
		}
		for m := range maxM + 1 {
			first := pts[:1<<m]
			for k := range dims {
				seen := make([]bool, 1<<m)
				for n, u := range first {
					i := int(u[k] * float64(int(1)<<m))
					if seen[i] {
						t.Fatalf("seed %d, m %d, coordinate %d: point %d is the second in [%d/2^m, %d/2^m)", seed, m, k, n, i, i+1)
					}
					seen[i] = true
				}
			}
			for a := range m + 1 {
				seen := make([]bool, 1<<m)
				for n, u := range first {
					box := int(u[0]*float64(int(1)<<a))<<(m-a) | int(u[1]*float64(int(1)<<(m-a)))
					if seen[box] {
						t.Fatalf("seed %d, m %d, a %d: point %d is the second in its box", seed, m, a, n)
					}
					seen[box] = true
				}
			}
		}
	}
}

func TestFloorTimes(t *testing.T) {
	below1 := 1 - 0x1p-53
	tests := []struct {
		u    float64
		n    int
		want int
	}{
		{0, 3, 0},
		{0.5, 3, 1},
		{2.0 / 3, 3, 1}, // 2/3 rounded down to 53 bits
		{below1, 1, 0},
		{below1, 3, 2}, // the float product rounds to 3
		{below1, 1 << 52, 1<<52 - 1},
		{0.25, 1<<52 + 1, 1 << 50},
	}
	for _, tt := range tests {
		if got := floorTimes(tt.u, tt.n); got != tt.want {
			t.Errorf("floorTimes(%v, %d) = %d, want %d", tt.u, tt.n, got, tt.want)
		}
		exact, _ := new(big.Float).Mul(big.NewFloat(tt.u), new(big.Float).SetInt64(int64(tt.n))).Int64()
		if int64(tt.want) != exact {
			t.Errorf("test case floor(%v·%d): want %d, exact %d", tt.u, tt.n, tt.want, exact)
		}
	}
}

// mixed has three branches, not every optimizer with every schedule, with
// every kind of domain.
func mixed() *Space {
	return &Space{Branches: []Branch{
		{Optimizer: "gd", Schedule: "constant", Dimensions: []Dimension{
			{"lr", LogUniform{Lo: 1e-4, Hi: 1e-1}}, {"batch_size", PowersOfTwo{Lo: 16, Hi: 256}}}},
		{Optimizer: "adam", Schedule: "constant", Dimensions: []Dimension{
			{"lr", Uniform{Lo: 0.001, Hi: 0.01}}, {"beta1", Points{0.8, 0.9, 0.95}},
			{"amsgrad", Categorical{false, true}}, {"epochs", IntUniform{Lo: 3, Hi: 9}}}},
		{Optimizer: "adam", Schedule: "exponential", Dimensions: []Dimension{
			{"gamma", Quantized{Lo: 0.5, Q: 0.1, N: 5}}}},
	}}
}

// TestSobolMapping checks each configuration against the point it comes
// from, coordinate by coordinate, as the doc comment of Sobol states the
// mapping.
func TestSobolMapping(t *testing.T) {
	const seed, samples = 5, 512
	space := mixed()
	m := mustSobol(t, space, samples, seed)
	s := newSobolSequence(5, rng.New(rng.Derive(seed, "sobol")))
	u := make([]float64, 5)
	branches := make([]int, len(space.Branches))
	for n := range samples {
		c, ok := m.Propose()
		if !ok {
			t.Fatalf("stopped after %d proposals", n)
		}
		m.Tell(true)
		s.next(u)
		if want := int(math.Floor(u[0] * 3)); c.Branch != want {
			t.Fatalf("point %d: branch %d, want ⌊%v·3⌋ = %d", n, c.Branch, u[0], want)
		}
		branches[c.Branch]++
		b := space.Branches[c.Branch]
		if c.Params["optimizer"] != b.Optimizer || c.Params["schedule"] != b.Schedule || len(c.Params) != 2+len(b.Dimensions) {
			t.Fatalf("point %d: params %v in branch %d", n, c.Params, c.Branch)
		}
		for j, d := range b.Dimensions {
			x := u[1+j]
			var want any
			index := -1
			switch d := d.Domain.(type) {
			case Uniform:
				want = d.Lo + x*(d.Hi-d.Lo)
			case LogUniform:
				want = math.Exp(math.Log(d.Lo) + x*(math.Log(d.Hi)-math.Log(d.Lo)))
			default:
				index = int(math.Floor(x * float64(d.Len())))
				want = d.At(index)
			}
			if c.Params[d.Name] != want || c.Index[j] != index {
				t.Fatalf("point %d: %s = %v [%d] from u = %v, want %v [%d]", n, d.Name, c.Params[d.Name], c.Index[j], x, want, index)
			}
		}
	}
	if _, ok := m.Propose(); ok {
		t.Errorf("proposed more than %d", samples)
	}
	// 512 points put 170 or 171 in each third of [0, 1).
	for bi, count := range branches {
		if count < 170 || count > 171 {
			t.Errorf("branch %d taken %d times in %d points", bi, count, samples)
		}
	}
}

// TestSobolBalance: with the branches every optimizer with every schedule,
// the first 2ᵐ points take each branch, optimizer and schedule equally
// often, and each lr of the branch too.
func TestSobolBalance(t *testing.T) {
	for _, samples := range []int{4, 8, 64} {
		m := mustSobol(t, discrete(), samples, 11)
		perBranch := map[int]int{}
		perLR := map[any]int{}
		for {
			c, ok := m.Propose()
			if !ok {
				break
			}
			perBranch[c.Branch]++
			perLR[c.Params["lr"]]++
			m.Tell(true)
		}
		for b := range 4 {
			if perBranch[b] != samples/4 {
				t.Errorf("%d samples: branches %v, want %d each", samples, perBranch, samples/4)
				break
			}
		}
		// ⌊u·3⌋ of 2ᵐ stratified points: each lr ⌊2ᵐ/3⌋ or ⌈2ᵐ/3⌉ times.
		for lr, count := range perLR {
			if count < samples/3 || count > samples/3+1 {
				t.Errorf("%d samples: lr %v taken %d times", samples, lr, count)
			}
		}
	}
}

func TestSobolReproducible(t *testing.T) {
	first := proposals(t, mustSobol(t, mixed(), 64, 42))
	if len(first) != 64 {
		t.Fatalf("%d proposals, want 64", len(first))
	}
	if again := proposals(t, mustSobol(t, mixed(), 64, 42)); !reflect.DeepEqual(again, first) {
		t.Error("seed 42 proposed other configurations the second time")
	}
	if other := proposals(t, mustSobol(t, mixed(), 64, 43)); reflect.DeepEqual(other, first) {
		t.Error("seeds 42 and 43 proposed the same configurations")
	}
}

// TestSobolRedraws: a configuration told not kept is replaced by the next
// point; asking for all twelve configurations of the discrete space finds
// each.
func TestSobolRedraws(t *testing.T) {
	m := mustSobol(t, discrete(), 12, 7)
	s := newSobolSequence(3, rng.New(rng.Derive(7, "sobol")))
	u := make([]float64, 3)
	seen := map[string]bool{}
	points := 0
	for {
		c, ok := m.Propose()
		if !ok {
			break
		}
		s.next(u)
		if want := floorTimes(u[0], 4); c.Branch != want {
			t.Fatalf("proposal %d: branch %d, want %d from point %d", points, c.Branch, want, points)
		}
		points++
		key := render(c)
		m.Tell(!seen[key])
		seen[key] = true
	}
	if len(seen) != 12 || points <= 12 {
		t.Errorf("%d distinct configurations in %d points, want 12 in more than 12", len(seen), points)
	}
}

// TestSobolGivesUp: a method never told it kept anything stops after
// MaxAttempts points.
func TestSobolGivesUp(t *testing.T) {
	m := mustSobol(t, discrete(), 3, 0)
	points := 0
	for {
		if _, ok := m.Propose(); !ok {
			break
		}
		points++
		m.Tell(false)
	}
	if points != MaxAttempts(3) {
		t.Errorf("%d points, want %d", points, MaxAttempts(3))
	}
}

func TestNewSobolErrors(t *testing.T) {
	wide := make([]Dimension, len(sobolDirections))
	for i := range wide {
		wide[i] = Dimension{"x", Uniform{Lo: 0, Hi: 1}}
	}
	widest := make([]Dimension, len(sobolDirections)-1)
	copy(widest, wide)
	tests := []struct {
		name    string
		space   *Space
		samples int
		want    string // "" for no error
	}{
		{"no samples", discrete(), 0, "samples 0"},
		{"no branches", &Space{}, 1, "no branches"},
		{"an empty domain", &Space{Branches: []Branch{{Optimizer: "gd", Dimensions: []Dimension{{"lr", Points{}}}}}}, 1,
			"cannot draw lr"},
		{"too many dimensions", &Space{Branches: []Branch{{Optimizer: "gd", Dimensions: wide}}}, 1,
			"1024 dimensions in one branch"},
		{"as many dimensions as fit", &Space{Branches: []Branch{{Optimizer: "gd", Dimensions: widest}}}, 1, ""},
		{"not a product of optimizers and schedules", mixed(), 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewSobol(tt.space, tt.samples, 0)
			if tt.want == "" {
				if err != nil {
					t.Errorf("error %v, want none", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}
