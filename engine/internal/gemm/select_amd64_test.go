//go:build amd64 && !purego

package gemm

import (
	"os"
	"slices"
	"strings"
	"testing"

	"golang.org/x/sys/cpu"
)

// TestKernelsListed checks that the kernel list follows the CPU and
// GODEBUG: each of cpu.avx512=off, cpu.avx2=off and cpu.fma=off removes
// the kernels that need the feature, and the pure-Go kernel is always
// there, last.
func TestKernelsListed(t *testing.T) {
	var names []string
	for _, k := range Kernels() {
		names = append(names, k.Name)
	}
	if names[len(names)-1] != "go" {
		t.Fatalf("kernels %v: the pure-Go kernel must come last", names)
	}
	if Best() != Kernels()[0] {
		t.Fatalf("Best() = %s, want the first of %v", Best(), names)
	}
	debug := os.Getenv("GODEBUG")
	off := func(f string) bool { return strings.Contains(debug, "cpu."+f+"=off") }
	wantAVX512 := cpu.X86.HasAVX512F && !off("avx512") && !off("avx512f") && !off("avx2") && !off("fma")
	wantAVX2 := cpu.X86.HasAVX2 && !off("avx2") && !off("fma")
	if got := slices.Contains(names, "avx512"); got != wantAVX512 {
		t.Errorf("GODEBUG=%q: avx512 listed = %v, want %v (kernels %v)", debug, got, wantAVX512, names)
	}
	if got := slices.Contains(names, "avx2"); got != wantAVX2 {
		t.Errorf("GODEBUG=%q: avx2 listed = %v, want %v (kernels %v)", debug, got, wantAVX2, names)
	}
}
