package data

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// MaxIDXBytes bounds the data of one IDX file after decompression. The
// largest file of the MNIST family, the 60 000 training images of 28×28,
// holds 47 040 000 bytes; 2³⁰ leaves room for larger images (EMNIST,
// 112 800 of 28×28, is 88 MB) while a hostile header cannot make the
// reader promise gigabytes.
const MaxIDXBytes = 1 << 30

// maxIDXDims bounds the dimensions of an IDX file: the format allows 255,
// images have three and labels one.
const maxIDXDims = 4

// IDX is the content of an IDX file, the format the MNIST family of data
// sets ships in (LeCun et al., "The MNIST database", and Fashion-MNIST):
// a magic number 0x0000TTNN, where TT is the element type (0x08 for
// unsigned bytes, the only type read here) and NN the number of
// dimensions, then each dimension as a big-endian uint32, then the
// elements in row-major order.
type IDX struct {
	Dims []int  // size of each dimension, outermost first
	Data []byte // the elements, row-major; len is the product of Dims
}

// idxTypes names the element types of the IDX format, for messages about
// the ones not read.
var idxTypes = map[byte]string{0x09: "signed byte", 0x0B: "int16", 0x0C: "int32", 0x0D: "float32", 0x0E: "float64"}

// ReadIDX reads an IDX file of unsigned bytes from r, decompressing it
// first when it starts with gzip's magic number (the files are usually
// distributed as .gz). name (usually the file name) prefixes errors, which
// are *ParseError values without a line. The dimensions are checked before
// anything is allocated: each at least 1, their product at most
// MaxIDXBytes; data are read as they arrive, so a header that promises
// more than the file holds fails with "truncated" after reading what is
// there. Bytes after the data are an error too (a file of another shape
// or a concatenation).
func ReadIDX(r io.Reader, name string) (*IDX, error) {
	br, dims, closeGzip, err := readIDXHeader(r, name)
	if err != nil {
		return nil, err
	}
	defer closeGzip()
	file := idxName(name)
	fail := func(format string, args ...any) error {
		return &ParseError{File: file, Err: fmt.Errorf(format, args...)}
	}
	size := 1
	for _, d := range dims {
		size *= d
	}
	// Read what is there, up to one byte more than promised, instead of
	// allocating what the header promises: a 20-byte file claiming 2³⁰
	// bytes costs no more than its 20 bytes.
	var buf bytes.Buffer
	got, err := buf.ReadFrom(io.LimitReader(br, int64(size)+1))
	if err != nil {
		return nil, idxReadError(file, fmt.Sprintf("the data after %d of %d bytes", got, size), err)
	}
	switch {
	case got < int64(size):
		return nil, fail("truncated: dimensions %v promise %d bytes of data, the file holds %d", dims, size, got)
	case got > int64(size):
		return nil, fail("more data than dimensions %v hold (%d bytes): not one IDX file", dims, size)
	}
	return &IDX{Dims: dims, Data: buf.Bytes()}, nil
}

// WriteTo writes x as an uncompressed IDX file of unsigned bytes, the
// form ReadIDX reads back. It implements io.WriterTo. It panics if Dims
// does not describe Data, a programmer error.
func (x *IDX) WriteTo(w io.Writer) (int64, error) {
	size := 1
	for _, d := range x.Dims {
		size *= d
	}
	if len(x.Dims) < 1 || len(x.Dims) > 255 || size != len(x.Data) {
		panic(fmt.Sprintf("data: IDX.WriteTo: dimensions %v do not hold %d bytes", x.Dims, len(x.Data)))
	}
	head := make([]byte, 4+4*len(x.Dims))
	head[2], head[3] = 0x08, byte(len(x.Dims))
	for i, d := range x.Dims {
		binary.BigEndian.PutUint32(head[4+4*i:], uint32(d))
	}
	n, err := w.Write(head)
	if err != nil {
		return int64(n), err
	}
	m, err := w.Write(x.Data)
	return int64(n + m), err
}

// ReadIDXHeader reads only the header of an IDX file of unsigned bytes
// (gzip or not) and returns its dimensions, checked as ReadIDX checks
// them: what planning needs to know of a large file without reading it.
func ReadIDXHeader(r io.Reader, name string) ([]int, error) {
	_, dims, closeGzip, err := readIDXHeader(r, name)
	if err == nil {
		closeGzip()
	}
	return dims, err
}

func idxName(name string) string {
	if name == "" {
		return "idx input"
	}
	return name
}

func idxReadError(file, what string, err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &ParseError{File: file, Err: fmt.Errorf("truncated: the file ends in %s", what)}
	}
	return &ParseError{File: file, Err: fmt.Errorf("reading %s: %v", what, err)}
}

// readIDXHeader reads the magic number and dimensions and returns the
// reader positioned at the data, and a function that releases the gzip
// reader when there is one.
func readIDXHeader(r io.Reader, name string) (_ *bufio.Reader, dims []int, closeGzip func(), err error) {
	file := idxName(name)
	fail := func(format string, args ...any) error {
		return &ParseError{File: file, Err: fmt.Errorf(format, args...)}
	}
	closeGzip = func() {}
	br := bufio.NewReader(r)
	if magic, err := br.Peek(2); err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, nil, nil, fail("gzip: %v", err)
		}
		zr.Multistream(false)
		closeGzip = func() { zr.Close() }
		br = bufio.NewReader(zr)
	}
	var head [4]byte
	if _, err := io.ReadFull(br, head[:]); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil, nil, fail("empty file: not an IDX file")
		}
		return nil, nil, nil, idxReadError(file, "the magic number", err)
	}
	if head[0] != 0 || head[1] != 0 {
		return nil, nil, nil, fail("magic number %#02x%02x%02x%02x: not an IDX file (which starts with two zero bytes)",
			head[0], head[1], head[2], head[3])
	}
	if head[2] != 0x08 {
		if t, ok := idxTypes[head[2]]; ok {
			return nil, nil, nil, fail("elements of type %s (0x%02x): only unsigned bytes (0x08) are read", t, head[2])
		}
		return nil, nil, nil, fail("element type 0x%02x is not an IDX type", head[2])
	}
	n := int(head[3])
	if n < 1 || n > maxIDXDims {
		return nil, nil, nil, fail("%d dimensions: 1 to %d are read", n, maxIDXDims)
	}
	dims = make([]int, n)
	size := uint64(1)
	for i := range dims {
		var b [4]byte
		if _, err := io.ReadFull(br, b[:]); err != nil {
			return nil, nil, nil, idxReadError(file, fmt.Sprintf("dimension %d of %d", i+1, n), err)
		}
		d := binary.BigEndian.Uint32(b[:])
		if d == 0 {
			return nil, nil, nil, fail("dimension %d is 0: no data", i+1)
		}
		dims[i] = int(d)
		if size*uint64(d) > MaxIDXBytes {
			return nil, nil, nil, fail("dimensions %v… hold more than %d bytes, the most read", dims[:i+1], MaxIDXBytes)
		}
		size *= uint64(d)
	}
	return br, dims, closeGzip, nil
}
