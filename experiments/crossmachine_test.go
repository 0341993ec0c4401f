package experiments

import (
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/sys/cpu"
)

// numericsPackages are the packages whose tests TestCrossMachine reruns on
// other machines: the engine's arithmetic (the matrix product, elementwise
// functions, Adam's vector loop, the generator's vectorized state update,
// the network, the optimizers, the trainer;
// their tests compare results bit for bit against recorded vectors or a
// reference loop) and this one, of which only TestNumericsVersion runs: the
// short fingerprint, which also covers what engine/rng, data, schedule and
// testfunc compute. Their last path elements are distinct, as go test -c
// -o dir/ names binaries by them.
var numericsPackages = []string{
	"engine/internal/gemm", "engine/internal/crmath", "engine/internal/vecmath", "engine/rng", "engine/nn",
	"engine/optim", "engine/train", "experiments",
}

// TestCrossMachine proves that a seed gives the same bits whatever the CPU:
// it builds the test binaries of the engine packages and of this package,
// and runs them with -test.short
//
//   - on amd64, under GODEBUG=cpu.avx512f=off, cpu.avx2=off and
//     cpu.fma=off,cpu.avx=off (golang.org/x/sys/cpu and Go's runtime honour
//     them, so the matrix product falls back to the AVX2 or pure-Go kernel,
//     math.FMA to its software path and Adam to its Go loop, as on CPUs
//     without those features);
//   - on amd64 built with GOAMD64=v3, where the compiler may fuse x*y + z
//     into an FMA instruction (when this CPU can run v3 code);
//   - cross-compiled for arm64 and run under Debian's qemu-user-static
//     (qemu-aarch64-static), where the compiler fuses multiply-adds too.
//
// Each run must pass unchanged, TestNumericsVersion's recorded fingerprint
// included. Without qemu the arm64 part skips with a message, or fails
// when OPTBENCH_REQUIRE_QEMU=1 (make test sets it when the Makefile could
// install qemu-user-static). The whole test takes some 20 s (mostly
// building and emulation), so -short skips it.
func TestCrossMachine(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and reruns the engine's tests on emulated machines; skipped with -short")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command on PATH to build test binaries: %v", err)
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("godebug", func(t *testing.T) {
		if runtime.GOARCH != "amd64" {
			t.Skip("the GODEBUG cpu options tested here are amd64's")
		}
		bins := buildTestBinaries(t, goTool, root, nil)
		for _, godebug := range []string{"cpu.avx512f=off", "cpu.avx2=off", "cpu.fma=off,cpu.avx=off"} {
			t.Run(godebug, func(t *testing.T) {
				runTestBinaries(t, bins, nil, "GODEBUG="+godebug)
			})
		}
	})
	t.Run("goamd64v3", func(t *testing.T) {
		x := cpu.X86
		if runtime.GOARCH != "amd64" || !(x.HasAVX2 && x.HasBMI1 && x.HasBMI2 && x.HasFMA && x.HasMOVBE && x.HasLZCNT && x.HasF16C) {
			t.Skip("this CPU cannot run GOAMD64=v3 code")
		}
		bins := buildTestBinaries(t, goTool, root, []string{"GOAMD64=v3"})
		runTestBinaries(t, bins, nil)
	})
	t.Run("arm64", func(t *testing.T) {
		if runtime.GOARCH == "arm64" {
			t.Skip("this machine is arm64: the suite itself runs there")
		}
		qemu, err := exec.LookPath("qemu-aarch64-static")
		if err != nil {
			if os.Getenv("OPTBENCH_REQUIRE_QEMU") == "1" {
				t.Fatal("qemu-aarch64-static not found and OPTBENCH_REQUIRE_QEMU=1")
			}
			t.Skip("qemu-aarch64-static not found (Debian's qemu-user-static; make test-deps installs it as root): arm64 not checked")
		}
		bins := buildTestBinaries(t, goTool, root, []string{"GOARCH=arm64", "CGO_ENABLED=0"})
		runTestBinaries(t, bins, []string{qemu}, "GODEBUG=")
	})
}

// testBinary is a compiled test binary and the package directory it runs in.
type testBinary struct{ path, dir, run string }

// buildTestBinaries compiles the tests of numericsPackages with one go
// command (so that it links them in parallel) and the extra environment env.
func buildTestBinaries(t *testing.T, goTool, root string, env []string) []testBinary {
	t.Helper()
	binDir := t.TempDir()
	args := []string{"test", "-c", "-o", binDir + string(filepath.Separator)}
	var bins []testBinary
	for _, p := range numericsPackages {
		args = append(args, "./"+p)
		b := testBinary{path: filepath.Join(binDir, path.Base(p)+".test"), dir: filepath.Join(root, filepath.FromSlash(p))}
		if p == "experiments" {
			b.run = "^TestNumericsVersion$"
		}
		bins = append(bins, b)
	}
	cmd := exec.Command(goTool, args...)
	cmd.Dir, cmd.Env = root, append(os.Environ(), env...)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s (%s): %v\n%s", strings.Join(args, " "), strings.Join(env, " "), err, msg)
	}
	return bins
}

// runTestBinaries runs each binary with -test.short in its package
// directory, through the wrapper command if one is given, with env added.
func runTestBinaries(t *testing.T, bins []testBinary, wrapper []string, env ...string) {
	t.Helper()
	for _, b := range bins {
		args := append(append([]string(nil), wrapper...), b.path, "-test.short", "-test.count=1")
		if b.run != "" {
			args = append(args, "-test.run", b.run)
		}
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Dir, cmd.Env = b.dir, append(os.Environ(), env...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s: tests fail with %s: %v\n%s", b.dir, strings.Join(append(wrapper, env...), " "), err, out)
		}
	}
}
