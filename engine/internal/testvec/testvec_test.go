package testvec

import (
	"math"
	"os"
	"path/filepath"
	"testing"
)

func TestLoadAndHexFloats(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v.json")
	if err := os.WriteFile(path, []byte(`{"x": ["0x1.999999999999ap-4", "-0x0p+0", "inf"]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	var v struct{ X []string }
	Load(t, path, &v)
	got := HexFloats(t, v.X)
	if got[0] != 0.1 || !math.Signbit(got[1]) || !math.IsInf(got[2], 1) {
		t.Errorf("HexFloats = %v", got)
	}
}
