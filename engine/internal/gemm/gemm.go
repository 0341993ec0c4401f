package gemm

import (
	"fmt"
	"math"

	"github.com/optbench/optbench/engine/internal/vecmath"
)

// smallWork is the number of multiply-adds below which Mul skips packing
// and runs plain loops: the course network's products (a few hundred
// multiply-adds) cost less than packing them would.
const smallWork = 4096

// Transpose says whether an operand enters the product as stored or
// transposed.
type Transpose bool

const (
	NoTrans Transpose = false // op(X) = X
	Trans   Transpose = true  // op(X) = Xᵀ
)

// Mode says where each element's chain of multiply-adds starts.
type Mode bool

const (
	Set Mode = false // C = op(A)·op(B): every chain starts from +0
	Add Mode = true  // C += op(A)·op(B): every chain starts from C's old value
)

// Matrix is a row-major view: element (i, j) is Data[i*Stride+j].
type Matrix struct {
	Rows, Cols, Stride int
	Data               []float64
}

// Kernel is a register-blocked micro-kernel with the packing it expects.
type Kernel struct {
	// Name identifies the kernel: "avx512", "avx2" or "go".
	Name string
	// mr×nr is the block of C the micro-kernel keeps in registers.
	mr, nr int
	// kc, mc, nc are the cache blocks of k, rows and columns.
	kc, mc, nc int
	// micro computes the mr×nr block at c (row stride ldc) from a packed
	// A panel (k groups of mr values) and B panel (k groups of nr values),
	// starting each chain from C when load is nonzero and from +0 otherwise.
	micro func(k int, a, b, c []float64, ldc int, load bool)
}

// String returns the kernel's name.
func (k *Kernel) String() string { return k.Name }

// Workspace holds the packing buffers of a kernel. Its zero value uses
// Best(). A Workspace is not safe for concurrent use; give each goroutine
// its own.
type Workspace struct {
	kernel       *Kernel
	packA, packB []float64
	tile         []float64 // mr×nr staging block for the ragged edges of C
	packAlways   bool      // tests: take the packed path even for small products
}

// NewWorkspace returns a workspace that multiplies with kernel k (nil: Best()).
func NewWorkspace(k *Kernel) *Workspace { return &Workspace{kernel: k} }

// Kernel returns the kernel the workspace uses.
func (w *Workspace) Kernel() *Kernel {
	if w.kernel == nil {
		w.kernel = Best()
	}
	return w.kernel
}

// Mul computes C = op(A)·op(B) (mode Set) or C += op(A)·op(B) (mode Add)
// under the package's rule: each element one ascending-k chain of FMAs.
// Shapes that do not agree, or views too short for their shape, panic.
func (w *Workspace) Mul(tA, tB Transpose, a, b Matrix, mode Mode, c Matrix) {
	w.mul(tA, tB, &a, &b, mode, &c, nil)
}

// An Epilogue is what MulWith does to each element of C once its chain is
// done, in this order, each operation one IEEE operation:
//
//   - Bias: add Bias[i] to row i (engine/nn's z = W·x + b);
//   - Mask: set the element to +0 where Mask's element is ≤ 0 (not for
//     NaN), keeping it elsewhere: the input gradient times ReLU's
//     derivative at Mask (torch's 0 at the kink);
//   - ReLU: store +0 where the element is ≤ 0, and the element elsewhere
//     (NaN kept), into ReLU's element: the activation max(0, z) with −0
//     made +0.
//
// Empty fields (nil Data) are skipped. Mask and ReLU have C's shape.
type Epilogue struct {
	Bias       []float64
	Mask, ReLU Matrix
}

// MulWith sets C = op(A)·B and applies e: the bits of Mul (mode Set)
// followed by loops doing e's operations (TestMulWith). A small product
// applies them as it stores each chain, in the same pass.
func (w *Workspace) MulWith(tA Transpose, a, b Matrix, c Matrix, e Epilogue) {
	if e.Bias != nil {
		if len(e.Bias) < c.Rows {
			badEpilogue(len(e.Bias), c, Matrix{})
		}
		e.Bias = e.Bias[:c.Rows]
	}
	if e.Mask.Data != nil {
		if e.Mask.Rows != c.Rows || e.Mask.Cols != c.Cols {
			badEpilogue(-1, c, e.Mask)
		}
		if e.Mask.outside() {
			badView("Mask", &e.Mask)
		}
	}
	if e.ReLU.Data != nil {
		if e.ReLU.Rows != c.Rows || e.ReLU.Cols != c.Cols {
			badEpilogue(-1, c, e.ReLU)
		}
		if e.ReLU.outside() {
			badView("ReLU", &e.ReLU)
		}
	}
	w.mul(tA, NoTrans, &a, &b, Set, &c, &e)
}

//go:noinline
func badEpilogue(bias int, c, x Matrix) {
	if bias >= 0 {
		panic(fmt.Sprintf("gemm: %d bias values for %d rows", bias, c.Rows))
	}
	panic(fmt.Sprintf("gemm: epilogue matrix is %dx%d, C %dx%d", x.Rows, x.Cols, c.Rows, c.Cols))
}

// finish applies e to columns [j0, j1) of C's rows, with engine/internal/
// vecmath's loops (AVX where the CPU has it; the same operations).
func (e *Epilogue) finish(c *Matrix, j0, j1 int) {
	for i := 0; i < c.Rows; i++ {
		row := c.Data[i*c.Stride+j0 : i*c.Stride+j1]
		if e.Bias != nil {
			vecmath.AddConst(row, e.Bias[i])
		}
		if e.Mask.Data != nil {
			vecmath.ReLU(row, e.Mask.Data[i*e.Mask.Stride+j0:i*e.Mask.Stride+j1], row)
		}
		if e.ReLU.Data != nil {
			vecmath.ReLU(e.ReLU.Data[i*e.ReLU.Stride+j0:i*e.ReLU.Stride+j1], row, row)
		}
	}
}

// epilogueArgs is an Epilogue as rowsNN reads it: the current row's bias
// value, Mask row and ReLU row (nil when not asked for), advanced by rowsNN
// row by row, and the two matrices' strides.
type epilogueArgs struct {
	bias       *float64
	relu       *float64
	reluStride int
	mask       *float64
	maskStride int
}

// mul is Mul, and MulWith when e is not nil (then mode is Set and tB
// NoTrans).
func (w *Workspace) mul(tA, tB Transpose, a, b *Matrix, mode Mode, c *Matrix, e *Epilogue) {
	m, k := a.Rows, a.Cols
	if tA == Trans {
		m, k = k, m
	}
	kb, n := b.Rows, b.Cols
	if tB == Trans {
		kb, n = n, kb
	}
	if k != kb || c.Rows != m || c.Cols != n {
		badShapes(tA, tB, *a, *b, *c)
	}
	checkViews(a, b, c)
	if m == 0 || n == 0 {
		return
	}
	if k == 0 {
		if mode == Set {
			for i := 0; i < m; i++ {
				clear(c.Data[i*c.Stride : i*c.Stride+n])
			}
		}
		if e != nil {
			e.finish(c, 0, n)
		}
		return
	}
	if m*n*k < smallWork && !w.packAlways {
		if tB == Trans && hasFMA {
			w.mulSmallNT(tA, a, b, mode, c, k)
			return
		}
		mulSmall(tA, tB, a, b, mode, c, k, e)
		return
	}
	if e != nil {
		defer e.finish(c, 0, n)
	}
	kern := w.Kernel()
	mr, nr := kern.mr, kern.nr
	kc, mc, nc := kern.kc, kern.mc, kern.nc
	w.packA = grow(w.packA, min(mc, roundUp(m, mr))*min(kc, k))
	w.packB = grow(w.packB, min(nc, roundUp(n, nr))*min(kc, k))
	w.tile = grow(w.tile, mr*nr)
	for jc := 0; jc < n; jc += nc {
		nb := min(nc, n-jc)
		for pc := 0; pc < k; pc += kc {
			kb := min(kc, k-pc)
			// A chain resumes from C after the first k block.
			load := mode == Add || pc > 0
			packB(w.packB, *b, tB, pc, kb, jc, nb, nr)
			for ic := 0; ic < m; ic += mc {
				mb := min(mc, m-ic)
				packA(w.packA, *a, tA, ic, mb, pc, kb, mr)
				for jr := 0; jr < nb; jr += nr {
					bp := w.packB[jr*kb : (jr+nr)*kb]
					cols := min(nr, nb-jr)
					for ir := 0; ir < mb; ir += mr {
						ap := w.packA[ir*kb : (ir+mr)*kb]
						rows := min(mr, mb-ir)
						off := (ic+ir)*c.Stride + jc + jr
						if rows == mr && cols == nr {
							kern.micro(kb, ap, bp, c.Data[off:], c.Stride, load)
							continue
						}
						t := w.tile[:mr*nr]
						if load {
							for i := 0; i < rows; i++ {
								copy(t[i*nr:i*nr+cols], c.Data[off+i*c.Stride:])
							}
						}
						kern.micro(kb, ap, bp, t, nr, load)
						for i := 0; i < rows; i++ {
							copy(c.Data[off+i*c.Stride:off+i*c.Stride+cols], t[i*nr:i*nr+cols])
						}
					}
				}
			}
		}
	}
}

// mulSmall is Mul without packing, for small products, running every
// element's chain c = fma(op(A)[i,l], op(B)[l,j], c) over l = 0, 1, …,
// k−1 — the same chains, in the same order, as every kernel's. When the
// rows of op(B) are contiguous, row i of C is updated in place for each l
// in turn (vectorized across its columns); otherwise four elements' chains
// run side by side in registers.
func mulSmall(tA, tB Transpose, a, b *Matrix, mode Mode, c *Matrix, k int, epi *Epilogue) {
	// op(A)[i,l] = a.Data[i*ai+l*al], op(B)[l,j] = b.Data[l*bl+j*bj].
	ai, al := a.Stride, 1
	if tA == Trans {
		ai, al = 1, a.Stride
	}
	bl, bj := b.Stride, 1
	if tB == Trans {
		bl, bj = 1, b.Stride
	}
	n := c.Cols
	if tB == NoTrans {
		// With FMA, rowsNN keeps the chains of sixteen, eight or four
		// columns of a row in registers through all k steps, all rows in
		// one call; the columns past the last multiple of 4 are updated
		// in place for each l.
		n4 := 0
		if hasFMA {
			n4 = n &^ 3
			if n4 > 0 {
				var ep *epilogueArgs
				if epi != nil {
					ep = &epilogueArgs{reluStride: epi.ReLU.Stride, maskStride: epi.Mask.Stride}
					if epi.Bias != nil {
						ep.bias = &epi.Bias[0]
					}
					if epi.ReLU.Data != nil {
						ep.relu = &epi.ReLU.Data[0]
					}
					if epi.Mask.Data != nil {
						ep.mask = &epi.Mask.Data[0]
					}
				}
				// checkView has made sure that the k rows of op(B) and the
				// rows of op(A), C and epi's matrices stay inside B, A, C and
				// those, and MulWith that Bias has a value for every row.
				if hasAVX512 {
					rowsNN512(c.Rows, k, &a.Data[0], ai, al, &b.Data[0], bl, &c.Data[0], c.Stride, n4, mode == Add, ep)
				} else {
					rowsNN(c.Rows, k, &a.Data[0], ai, al, &b.Data[0], bl, &c.Data[0], c.Stride, n4, mode == Add, ep)
				}
			}
		}
		if n4 == n {
			return
		}
		for i := 0; i < c.Rows; i++ {
			row := c.Data[i*c.Stride+n4 : i*c.Stride+n]
			if mode == Set {
				clear(row) // chains start from +0
			}
			for l := 0; l < k; l++ {
				x := a.Data[i*ai+l*al]
				brow := b.Data[l*bl+n4 : l*bl+n]
				for j, v := range brow {
					row[j] = math.FMA(x, v, row[j])
				}
			}
		}
		if epi != nil {
			epi.finish(c, n4, n)
		}
		return
	}
	// Elements in row-major order, four at a time: (i[e], j[e]).
	var is, js [4]int
	i, j := 0, 0
	next := func() (int, int) {
		ri, rj := i, j
		if j++; j == n {
			i, j = i+1, 0
		}
		return ri, rj
	}
	total := c.Rows * n
	e := 0
	for ; e+4 <= total; e += 4 {
		var acc [4]float64
		var pa, pb [4]*float64
		for t := range 4 {
			is[t], js[t] = next()
			if mode == Add {
				acc[t] = c.Data[is[t]*c.Stride+js[t]] // chains start from C, or from +0
			}
			pa[t], pb[t] = &a.Data[is[t]*ai], &b.Data[js[t]*bj]
		}
		if hasFMA {
			// One instruction per FMA (math.FMA tests for the CPU feature
			// at every call). checkView has made sure that every chain's k
			// steps stay inside A and B.
			chains4FMA(k, &pa, &pb, al, bl, &acc)
		} else {
			for t := range 4 {
				x, y := is[t]*ai, js[t]*bj
				for l := 0; l < k; l++ {
					acc[t] = math.FMA(a.Data[x], b.Data[y], acc[t])
					x += al
					y += bl
				}
			}
		}
		for t := range 4 {
			c.Data[is[t]*c.Stride+js[t]] = acc[t]
		}
	}
	for ; e < total; e++ {
		ri, rj := next()
		var s float64
		if mode == Add {
			s = c.Data[ri*c.Stride+rj]
		}
		x, y := ri*ai, rj*bj
		for l := 0; l < k; l++ {
			s = math.FMA(a.Data[x], b.Data[y], s)
			x += al
			y += bl
		}
		c.Data[ri*c.Stride+rj] = s
	}
}

// mulSmallNT is mulSmall for op(B) = Bᵀ where the CPU has AVX and FMA
// (the weight gradients δ·Aᵀ of the course network: 5×2, 2×5 and 1×2
// elements, each a chain of 64 FMAs). rowChains4 (rowChains4uC for unit
// steps and mode Set, nn's case) runs up to eight rows ×
// four columns of chains side by side in ymm registers, where mulSmall's
// chains4FMA keeps four in flight: the same chains, in the same order, far
// fewer waits on the FMA's latency. When C has more columns than rows it
// computes Cᵀ = op(B)ᵀ·op(A)ᵀ the same way (fma(x, y, c) = fma(y, x, c)),
// so that 2×5 takes one pass, not two.
func (w *Workspace) mulSmallNT(tA Transpose, a, b *Matrix, mode Mode, c *Matrix, k int) {
	// op(A)[i,l] = a.Data[i*ai+l*al]; op(B)[l,j] = B[j,l] = b.Data[j*b.Stride+l].
	ai, al := a.Stride, 1
	if tA == Trans {
		ai, al = 1, a.Stride
	}
	bj, bl := b.Stride, 1
	m, n := c.Rows, c.Cols
	ci, cj := c.Stride, 1
	x, y := a.Data, b.Data
	if n > m && (n+3)/4*((m+7)/8) > (m+3)/4*((n+7)/8) {
		// Rows of Cᵀ are op(B)'s columns, its lanes op(A)'s rows.
		ai, al, bj, bl = bj, bl, ai, al
		m, n, ci, cj = n, m, cj, ci
		x, y = y, x
	}
	var cols [4]*float64
	for j0 := 0; j0 < n; j0 += 4 {
		nb := min(4, n-j0)
		for s := range cols {
			// Lanes past C's last column repeat its first; they are dropped.
			cols[s] = &y[(j0+min(s, nb-1))*bj]
		}
		for i0 := 0; i0 < m; i0 += 8 {
			mb := min(8, m-i0)
			if mode == Set && al == 1 && bl == 1 {
				// checkView has made sure that every chain's k steps stay
				// inside A and B and that C holds these mb×nb elements.
				rowChains4uC(k, &x[i0*ai], ai, &cols, mb, &c.Data[i0*ci+j0*cj], ci, cj, nb)
				continue
			}
			var acc [32]float64 // chains start from +0, or from C
			if mode == Add {
				for i := 0; i < mb; i++ {
					for s := 0; s < nb; s++ {
						acc[4*i+s] = c.Data[(i0+i)*ci+(j0+s)*cj]
					}
				}
			}
			// checkView has made sure that every chain's k steps stay
			// inside A and B.
			rowChains4(k, &x[i0*ai], ai, al, &cols, bl, mb, &acc)
			for i, row := range acc[: 4*mb : 4*mb] {
				if s := i & 3; s < nb {
					c.Data[(i0+i>>2)*ci+(j0+s)*cj] = row
				}
			}
		}
	}
}

//go:noinline
func badShapes(tA, tB Transpose, a, b, c Matrix) {
	panic(fmt.Sprintf("gemm: shapes %dx%d (trans %v) · %dx%d (trans %v) → %dx%d do not agree",
		a.Rows, a.Cols, tA, b.Rows, b.Cols, tB, c.Rows, c.Cols))
}

// checkViews is checkView of A, B and C in one call: the course network's
// products are so small that the checks, a call each, took a fifth of a
// call's time.
func checkViews(a, b, c *Matrix) {
	if a.outside() || b.outside() || c.outside() {
		checkView("A", a)
		checkView("B", b)
		checkView("C", c)
	}
}

// checkView panics unless x's rows and columns lie inside x.Data.
func checkView(name string, x *Matrix) {
	if x.outside() {
		badView(name, x)
	}
}

// outside reports whether x has a negative dimension or rows and columns
// that do not lie inside x.Data.
func (x *Matrix) outside() bool {
	r, c := x.Rows, x.Cols
	return r|c < 0 || r != 0 && c != 0 && (x.Stride < c || len(x.Data) < (r-1)*x.Stride+c)
}

//go:noinline
func badView(name string, x *Matrix) {
	panic(fmt.Sprintf("gemm: %s is %dx%d with stride %d but holds %d values", name, x.Rows, x.Cols, x.Stride, len(x.Data)))
}

func roundUp(x, to int) int { return (x + to - 1) / to * to }

func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

// packA copies rows [i0, i0+rows) and columns [p0, p0+kb) of op(A) into
// panels of mr rows: panel p holds, for each l, the mr values
// op(A)[i0+p·mr+r, p0+l], r = 0…mr−1, padded with zeros past the last row.
func packA(dst []float64, a Matrix, tA Transpose, i0, rows, p0, kb, mr int) {
	for p := 0; p < rows; p += mr {
		panel := dst[p*kb : (p+mr)*kb]
		valid := min(mr, rows-p)
		if tA == Trans {
			// op(A)[i, l] = A[l, i]: each l reads mr contiguous values.
			for l := 0; l < kb; l++ {
				src := a.Data[(p0+l)*a.Stride+i0+p:]
				g := panel[l*mr : l*mr+mr]
				copy(g, src[:valid])
				clear(g[valid:])
			}
			continue
		}
		if valid == 8 && mr == 8 {
			// The AVX-512 kernel's full panels: eight row streams at once,
			// writing the panel in order.
			base := (i0+p)*a.Stride + p0
			s := a.Stride
			r0, r1, r2, r3 := a.Data[base:base+kb], a.Data[base+s:base+s+kb], a.Data[base+2*s:base+2*s+kb], a.Data[base+3*s:base+3*s+kb]
			r4, r5, r6, r7 := a.Data[base+4*s:base+4*s+kb], a.Data[base+5*s:base+5*s+kb], a.Data[base+6*s:base+6*s+kb], a.Data[base+7*s:base+7*s+kb]
			for l := range r0 {
				g := panel[l*8 : l*8+8 : l*8+8]
				g[0], g[1], g[2], g[3] = r0[l], r1[l], r2[l], r3[l]
				g[4], g[5], g[6], g[7] = r4[l], r5[l], r6[l], r7[l]
			}
			continue
		}
		for r := 0; r < mr; r++ {
			if r >= valid {
				for l := 0; l < kb; l++ {
					panel[l*mr+r] = 0
				}
				continue
			}
			src := a.Data[(i0+p+r)*a.Stride+p0:]
			src = src[:kb]
			for l, v := range src {
				panel[l*mr+r] = v
			}
		}
	}
}

// packB copies rows [p0, p0+kb) and columns [j0, j0+cols) of op(B) into
// panels of nr columns: panel q holds, for each l, the nr values
// op(B)[p0+l, j0+q·nr+s], s = 0…nr−1, padded with zeros past the last column.
func packB(dst []float64, b Matrix, tB Transpose, p0, kb, j0, cols, nr int) {
	for q := 0; q < cols; q += nr {
		panel := dst[q*kb : (q+nr)*kb]
		valid := min(nr, cols-q)
		if tB == NoTrans {
			for l := 0; l < kb; l++ {
				src := b.Data[(p0+l)*b.Stride+j0+q:]
				g := panel[l*nr : l*nr+nr]
				copy(g, src[:valid])
				clear(g[valid:])
			}
			continue
		}
		// op(B)[l, j] = B[j, l]: each column of op(B) is a contiguous row of B.
		for s := 0; s < nr; s++ {
			if s >= valid {
				for l := 0; l < kb; l++ {
					panel[l*nr+s] = 0
				}
				continue
			}
			src := b.Data[(j0+q+s)*b.Stride+p0:]
			src = src[:kb]
			for l, v := range src {
				panel[l*nr+s] = v
			}
		}
	}
}
