// Package testvec loads the test vectors that scripts under testdata/
// write from real numpy, scikit-learn, mpmath and torch: JSON files whose
// floats are Python's float.hex() strings, so they survive the trip
// bit for bit. It is used only by tests of the engine packages and imports
// only the standard library.
package testvec

import (
	"encoding/json"
	"os"
	"strconv"
	"testing"
)

// Load decodes the JSON file at path into v, failing the test on error.
func Load(tb testing.TB, path string, v any) {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
}

// HexFloats parses float.hex() strings (or any Go float syntax).
func HexFloats(tb testing.TB, s []string) []float64 {
	tb.Helper()
	out := make([]float64, len(s))
	for i, h := range s {
		f, err := strconv.ParseFloat(h, 64)
		if err != nil {
			tb.Fatal(err)
		}
		out[i] = f
	}
	return out
}
