package gemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// at returns op(X)[i, j].
func at(x Matrix, t Transpose, i, j int) float64 {
	if t == Trans {
		i, j = j, i
	}
	return x.Data[i*x.Stride+j]
}

// reference is the package's rule written as plainly as possible: each
// element one chain of math.FMA over ascending k, from +0 or from C.
func reference(tA, tB Transpose, a, b Matrix, mode Mode, c Matrix) {
	k := a.Cols
	if tA == Trans {
		k = a.Rows
	}
	for i := 0; i < c.Rows; i++ {
		for j := 0; j < c.Cols; j++ {
			s := 0.0
			if mode == Add {
				s = c.Data[i*c.Stride+j]
			}
			for l := 0; l < k; l++ {
				s = math.FMA(at(a, tA, i, l), at(b, tB, l, j), s)
			}
			c.Data[i*c.Stride+j] = s
		}
	}
}

// randomMatrix returns a rows×cols view with stride cols+pad, filled with
// values of mixed magnitude and sign (so that rounding differs between
// summation orders), some exact zeros, and NaN in the padding, which no
// kernel may read.
func randomMatrix(r *rand.Rand, rows, cols, pad int) Matrix {
	x := Matrix{Rows: rows, Cols: cols, Stride: cols + pad, Data: make([]float64, max(rows*(cols+pad), 1))}
	for i := range x.Data {
		if i%x.Stride >= cols {
			x.Data[i] = math.NaN()
			continue
		}
		switch r.IntN(10) {
		case 0:
			x.Data[i] = 0
		case 1:
			x.Data[i] = math.Copysign(0, -1)
		default:
			x.Data[i] = r.NormFloat64() * math.Ldexp(1, r.IntN(40)-20)
		}
	}
	return x
}

type shape struct{ m, n, k int }

func testShapes() []shape {
	var s []shape
	for _, m := range []int{1, 3, 4, 8, 9, 17} {
		for _, n := range []int{1, 5, 12, 23, 25} {
			for _, k := range []int{1, 2, 7, 130} {
				s = append(s, shape{m, n, k})
			}
		}
	}
	// Past each cache block (mc 96, nc 480 or 512, kc 128 or 256) on its own.
	s = append(s, shape{9, 25, 300}, shape{100, 13, 5}, shape{5, 520, 3})
	// The course network's products at batch 64 (forward, weight and input
	// gradients), and one row past each of mulSmallNT's eight-row blocks.
	s = append(s, shape{5, 64, 2}, shape{2, 64, 5}, shape{1, 64, 2}, shape{5, 2, 64}, shape{2, 5, 64}, shape{1, 2, 64},
		shape{2, 64, 1}, shape{5, 64, 2}, shape{8, 3, 40}, shape{16, 4, 20}, shape{7, 9, 33},
		shape{3, 16, 3}, shape{2, 33, 4}, shape{3, 47, 5}, shape{1, 100, 1},
		// Every row count of mulSmallNT's unit-step loops (1 to 8) at once,
		// with the ones row of engine/nn's bias lane: 6×2, 2×3, 5×3, 1×3.
		shape{6, 2, 64}, shape{2, 3, 50}, shape{5, 3, 64}, shape{1, 3, 64}, shape{6, 3, 11}, shape{7, 2, 9})
	if !testing.Short() {
		// Past all of them at once, and the network's 784-256-10 products
		// at batch 128.
		s = append(s, shape{97, 513, 259}, shape{256, 128, 784}, shape{256, 784, 128}, shape{10, 128, 256}, shape{256, 128, 10})
	}
	return s
}

// TestKernelsMatchReference checks that every kernel this CPU can run
// returns, bit for bit, the reference loop's result: for ragged shapes,
// both transposes of A and B, strides longer than rows, and both modes;
// for small shapes both through Mul's unpacked loops and forced through
// the packed kernel.
// Run it under GODEBUG=cpu.avx512=off, cpu.avx2=off or cpu.fma=off to
// exercise what a CPU without those features runs (TestKernelsListed
// checks the selection).
func TestKernelsMatchReference(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, sh := range testShapes() {
		for _, tr := range [][2]Transpose{{NoTrans, NoTrans}, {NoTrans, Trans}, {Trans, NoTrans}, {Trans, Trans}} {
			tA, tB := tr[0], tr[1]
			ar, ac := sh.m, sh.k
			if tA == Trans {
				ar, ac = ac, ar
			}
			br, bc := sh.k, sh.n
			if tB == Trans {
				br, bc = bc, br
			}
			a := randomMatrix(r, ar, ac, r.IntN(3))
			b := randomMatrix(r, br, bc, r.IntN(3))
			c0 := randomMatrix(r, sh.m, sh.n, r.IntN(3))
			for _, mode := range []Mode{Set, Add} {
				want := clone(c0)
				reference(tA, tB, a, b, mode, want)
				for _, kern := range Kernels() {
					// Mul as callers see it (small products skip packing),
					// and the packed path forced for every shape.
					for _, packAlways := range []bool{false, true} {
						name := fmt.Sprintf("%s/%dx%dx%d/%v%v/add=%v/pack=%v", kern, sh.m, sh.n, sh.k, tA, tB, mode, packAlways)
						got := clone(c0)
						w := NewWorkspace(kern)
						w.packAlways = packAlways
						w.Mul(tA, tB, a, b, mode, got)
						if i, ok := sameBits(got, want); !ok {
							t.Fatalf("%s: element %d (row %d, col %d) = %x, reference %x", name,
								i, i/got.Stride, i%got.Stride, got.Data[i], want.Data[i])
						}
					}
				}
			}
		}
	}
}

func (t Transpose) String() string {
	if t == Trans {
		return "T"
	}
	return "N"
}

func clone(x Matrix) Matrix {
	x.Data = append([]float64(nil), x.Data...)
	return x
}

// sameBits compares two matrices bit for bit, padding included (a kernel
// must not write past a row's end).
func sameBits(got, want Matrix) (int, bool) {
	for i := range want.Data {
		g, w := math.Float64bits(got.Data[i]), math.Float64bits(want.Data[i])
		if g != w && !(math.IsNaN(got.Data[i]) && math.IsNaN(want.Data[i])) {
			return i, false
		}
	}
	return 0, true
}

// TestEmpty checks products with a zero dimension: k = 0 sets C to zero
// (Set) or leaves it alone (Add); no rows or columns touch nothing.
func TestEmpty(t *testing.T) {
	w := new(Workspace)
	c := Matrix{Rows: 2, Cols: 2, Stride: 2, Data: []float64{1, 2, 3, 4}}
	w.Mul(NoTrans, NoTrans, Matrix{Rows: 2}, Matrix{Cols: 2}, Add, c)
	if c.Data[3] != 4 {
		t.Fatalf("k = 0, Add changed C: %v", c.Data)
	}
	w.Mul(NoTrans, NoTrans, Matrix{Rows: 2}, Matrix{Cols: 2}, Set, c)
	if c.Data[0] != 0 || c.Data[3] != 0 {
		t.Fatalf("k = 0, Set left C at %v, want zeros", c.Data)
	}
	w.Mul(NoTrans, NoTrans, Matrix{Cols: 3}, Matrix{Rows: 3, Cols: 2, Stride: 2, Data: make([]float64, 6)}, Set, Matrix{Cols: 2})
}

// TestShapeMismatchPanics checks that disagreeing shapes and short views
// panic with the package prefix instead of reading out of bounds.
func TestShapeMismatchPanics(t *testing.T) {
	for name, f := range map[string]func(){
		"inner": func() {
			new(Workspace).Mul(NoTrans, NoTrans, Matrix{Rows: 2, Cols: 3, Stride: 3, Data: make([]float64, 6)},
				Matrix{Rows: 2, Cols: 2, Stride: 2, Data: make([]float64, 4)}, Set, Matrix{Rows: 2, Cols: 2, Stride: 2, Data: make([]float64, 4)})
		},
		"short": func() {
			new(Workspace).Mul(NoTrans, NoTrans, Matrix{Rows: 2, Cols: 2, Stride: 2, Data: make([]float64, 3)},
				Matrix{Rows: 2, Cols: 2, Stride: 2, Data: make([]float64, 4)}, Set, Matrix{Rows: 2, Cols: 2, Stride: 2, Data: make([]float64, 4)})
		},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if msg, _ := recover().(string); len(msg) < 6 || msg[:6] != "gemm: " {
					t.Fatalf("recovered %q, want a gemm: panic", msg)
				}
			}()
			f()
		})
	}
}

// TestMulAllocs checks that a workspace that has seen a shape multiplies
// without allocating.
func TestMulAllocs(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	// Past mc and kc of every kernel, so that all loops run.
	a, b, c := randomMatrix(r, 100, 300, 0), randomMatrix(r, 300, 40, 0), randomMatrix(r, 100, 40, 0)
	for _, kern := range Kernels() {
		w := NewWorkspace(kern)
		w.Mul(NoTrans, NoTrans, a, b, Set, c)
		if n := testing.AllocsPerRun(3, func() { w.Mul(NoTrans, NoTrans, a, b, Set, c) }); n != 0 {
			t.Errorf("%s: %v allocations per product, want 0", kern, n)
		}
	}
}

// TestMulWith: MulWith gives, bit for bit, the reference product followed
// by plain loops doing the epilogue's operations (bias add; +0 where the
// mask is ≤ 0; ReLU's output), for every combination of them, on every
// test shape, both transposes of A, every kernel, small products through
// Mul's unpacked loops and forced through the packed kernel. Products,
// masks and biases have ±0 and NaN among their values, so that the
// comparisons' treatment of them shows; a short bias and a mask of
// another shape panic.
func TestMulWith(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	spice := func(x Matrix) Matrix {
		for i := range x.Data {
			if i%x.Stride < x.Cols && r.IntN(17) == 0 {
				x.Data[i] = []float64{0, math.Copysign(0, -1), math.NaN(), math.Inf(-1)}[r.IntN(4)]
			}
		}
		return x
	}
	for _, sh := range testShapes() {
		for _, tA := range []Transpose{NoTrans, Trans} {
			ar, ac := sh.m, sh.k
			if tA == Trans {
				ar, ac = ac, ar
			}
			a := spice(randomMatrix(r, ar, ac, r.IntN(3)))
			b := randomMatrix(r, sh.k, sh.n, r.IntN(3))
			c0 := randomMatrix(r, sh.m, sh.n, r.IntN(3))
			bias := spice(randomMatrix(r, 1, sh.m, 0)).Data
			mask := spice(randomMatrix(r, sh.m, sh.n, r.IntN(3)))
			relu0 := randomMatrix(r, sh.m, sh.n, r.IntN(3))
			for combo := 0; combo < 8; combo++ {
				var e Epilogue
				if combo&1 != 0 {
					e.Bias = bias
				}
				if combo&2 != 0 {
					e.Mask = mask
				}
				want, wantReLU := clone(c0), clone(relu0)
				reference(tA, NoTrans, a, b, Set, want)
				for i := 0; i < sh.m; i++ {
					for j := 0; j < sh.n; j++ {
						v := &want.Data[i*want.Stride+j]
						if e.Bias != nil {
							*v += bias[i]
						}
						if e.Mask.Data != nil && mask.Data[i*mask.Stride+j] <= 0 {
							*v = 0
						}
						if combo&4 != 0 {
							out := *v
							if out <= 0 {
								out = 0
							}
							wantReLU.Data[i*wantReLU.Stride+j] = out
						}
					}
				}
				for _, kern := range Kernels() {
					for _, packAlways := range []bool{false, true} {
						got, gotReLU := clone(c0), clone(relu0)
						if combo&4 != 0 {
							e.ReLU = gotReLU
						}
						w := NewWorkspace(kern)
						w.packAlways = packAlways
						w.MulWith(tA, a, b, got, e)
						name := fmt.Sprintf("%s/%dx%dx%d/%v/epilogue %03b/pack=%v", kern, sh.m, sh.n, sh.k, tA, combo, packAlways)
						if i, ok := sameBits(got, want); !ok {
							t.Fatalf("%s: element %d (row %d, col %d) = %x, want %x", name,
								i, i/got.Stride, i%got.Stride, got.Data[i], want.Data[i])
						}
						if i, ok := sameBits(gotReLU, wantReLU); !ok {
							t.Fatalf("%s: ReLU element %d (row %d, col %d) = %x, want %x", name,
								i, i/gotReLU.Stride, i%gotReLU.Stride, gotReLU.Data[i], wantReLU.Data[i])
						}
					}
				}
			}
		}
	}
	a, b, c := randomMatrix(r, 2, 3, 0), randomMatrix(r, 3, 4, 0), randomMatrix(r, 2, 4, 0)
	for name, e := range map[string]Epilogue{
		"1 bias value for 2 rows": {Bias: []float64{1}},
		"a 2x3 mask for 2x4":      {Mask: randomMatrix(r, 2, 3, 0)},
		"a short ReLU view":       {ReLU: Matrix{Rows: 2, Cols: 4, Stride: 4, Data: make([]float64, 7)}},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("MulWith with %s did not panic", name)
				}
			}()
			NewWorkspace(nil).MulWith(NoTrans, a, b, c, e)
		}()
	}
}
