package nn

import "fmt"

// poolGeometry holds what max and average pooling share: a K×K window
// moved by a stride over an input padded by p on each side
// (ceil_mode=False, dilation 1), giving H' = ⌊(H + 2p − K)/s⌋ + 1 (W'
// alike).
type poolGeometry struct {
	c, h, w, oh, ow int
	k, s, p         int
	cap, batch      int
}

func (g *poolGeometry) plan(name string, in Shape, kernel, stride, padding int) (Shape, error) {
	c, h, w, err := in.image(name)
	if err != nil {
		return nil, err
	}
	if stride == 0 {
		stride = kernel // torch's default stride is the kernel size
	}
	switch {
	case kernel < 1 || kernel > h+2*padding || kernel > w+2*padding:
		return nil, fmt.Errorf("%s: kernel %d does not fit the padded %d×%d input", name, kernel, h+2*padding, w+2*padding)
	case stride < 0:
		return nil, fmt.Errorf("%s: stride %d is negative", name, stride)
	case padding < 0 || 2*padding > kernel:
		// torch: "pad should be at most half of effective kernel size"
		return nil, fmt.Errorf("%s: padding %d outside [0, kernel/2 = %d/2]", name, padding, kernel)
	}
	g.c, g.h, g.w, g.k, g.s, g.p = c, h, w, kernel, stride, padding
	g.oh, g.ow = (h+2*padding-kernel)/stride+1, (w+2*padding-kernel)/stride+1
	return Shape{c, g.oh, g.ow}, nil
}

// window returns the rows [h0, h1) and columns [w0, w1) of the input that
// output (i, j) covers, clipped to the image.
func (g *poolGeometry) window(i, j int) (h0, h1, w0, w1 int) {
	h0, w0 = i*g.s-g.p, j*g.s-g.p
	h1, w1 = min(h0+g.k, g.h), min(w0+g.k, g.w)
	return max(h0, 0), h1, max(w0, 0), w1
}
