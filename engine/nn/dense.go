package nn

import (
	"fmt"

	"github.com/optbench/optbench/engine/internal/gemm"

	"github.com/optbench/optbench/engine/rng"
)

// Dense is a fully connected layer (torch.nn.Linear). For a batch X of
// n_in×B (one example per column), W of n_out×n_in and bias b:
//
//	Y  = W·X + b
//	dW = dY·Xᵀ,  db = Σ_columns dY,  dX = Wᵀ·dY
//
// Its parameters are W (row-major, torch's weight layout) then b (absent
// with NoBias). The input must be a vector shape; put a Flatten before it
// to feed it images, as torch needs nn.Flatten.
type Dense struct {
	Out        int  // output units, ≥ 1
	NoBias     bool // leave out b (bias=False)
	WeightInit Init // weight initialization; default He normal. b starts at 0

	in, cap int
	w, dw   []float64
	b, db   []float64
	x       []float64
	batch   int
	y, dx   []float64
	mm      gemm.Workspace // the products' packing buffers
}

var _ Layer = (*Dense)(nil)

// Plan implements Layer.
func (d *Dense) Plan(in Shape) (Shape, int, error) {
	if len(in) != 1 {
		return nil, 0, fmt.Errorf("dense: input shape %v is not a vector (add a flatten layer)", in)
	}
	if err := in.check("dense"); err != nil {
		return nil, 0, err
	}
	if in[0] < 1 || in[0] > MaxLayerSize || d.Out < 1 || d.Out > MaxLayerSize {
		return nil, 0, fmt.Errorf("dense: %d inputs and %d outputs must be in [1, %d]", in[0], d.Out, MaxLayerSize)
	}
	if in[0]*d.Out > MaxParams {
		return nil, 0, fmt.Errorf("dense: %d×%d weights, more than the %d parameters allowed", d.Out, in[0], MaxParams)
	}
	d.in = in[0]
	n := d.Out * d.in
	if !d.NoBias {
		n += d.Out
	}
	return Shape{d.Out}, n, nil
}

// Bind implements Layer.
func (d *Dense) Bind(params, grads []float64, maxBatch int) {
	k := d.Out * d.in
	d.w, d.dw = params[:k], grads[:k]
	if !d.NoBias {
		d.b, d.db = params[k:], grads[k:]
	}
	d.y = grow(d.y, d.Out*maxBatch)
	d.dx = grow(d.dx, d.in*maxBatch)
	d.cap = maxBatch
}

// Workspace implements Layer: the output and the input gradient.
func (d *Dense) Workspace() int { return d.Out + d.in }

// Init implements Layer.
func (d *Dense) Init(r *rng.RandomState) {
	d.WeightInit.fill(d.w, d.in, d.Out, 0.01, r)
	clear(d.b)
}

// Forward implements Layer.
func (d *Dense) Forward(x []float64, batch int, mode Mode) []float64 {
	checkBatch("dense", x, d.in, batch, d.cap)
	d.x, d.batch = x, batch
	y := d.y[:d.Out*batch]
	d.mm.Mul(gemm.NoTrans, gemm.NoTrans, matrix(d.w, d.Out, d.in), matrix(x, d.in, batch), gemm.Set, matrix(y, d.Out, batch))
	if !d.NoBias {
		addRowBias(y, d.b, batch)
	}
	return y
}

// Backward implements Layer.
func (d *Dense) Backward(dy []float64, needDx bool) []float64 {
	B := d.batch
	if !d.NoBias {
		rowSums(d.db, dy, d.Out, B)
	}
	d.mm.Mul(gemm.NoTrans, gemm.Trans, matrix(dy, d.Out, B), matrix(d.x, d.in, B), gemm.Set, matrix(d.dw, d.Out, d.in))
	if !needDx {
		return nil
	}
	dx := d.dx[:d.in*B]
	d.mm.Mul(gemm.Trans, gemm.NoTrans, matrix(d.w, d.Out, d.in), matrix(dy, d.Out, B), gemm.Set, matrix(dx, d.in, B))
	return dx
}

// addRowBias adds b[r] to every element of row r of the len(b)×cols
// matrix y, after the product, as Network does (and as torch's addmm's
// BLAS adds its product to the bias).
func addRowBias(y, b []float64, cols int) {
	for r, v := range b {
		row := y[r*cols : (r+1)*cols]
		for c := range row {
			row[c] += v
		}
	}
}

// rowSums writes the sum of each row of the rows×cols matrix m into dst.
func rowSums(dst, m []float64, rows, cols int) {
	for r := range rows {
		var s float64
		for _, v := range m[r*cols : (r+1)*cols] {
			s += v
		}
		dst[r] = s
	}
}
