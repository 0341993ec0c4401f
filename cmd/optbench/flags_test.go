package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/optbench/optbench/results"
)

// TestInvalidFlagValues: flag values the catalogue found mishandled are
// usage errors (exit 2) naming the flag, and change nothing.
func TestInvalidFlagValues(t *testing.T) {
	dir := t.TempDir()
	db := storedDB(t, dir)
	before := sumFile(t, db)
	outDir := filepath.Join(dir, "out")
	if err := os.Mkdir(outDir, 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		want string
	}{
		// Was exit 1, "reports: invalid option: smoothing β = 2 …".
		{[]string{"report", "--db", db, "--no-html", "--smooth", "2"}, "report: --smooth 2: want β in [0, 1)"},
		{[]string{"report", "--db", db, "--no-html", "--smooth", "NaN"}, "report: --smooth NaN: want β in [0, 1)"},
		// Was exit 1 after the work: "rename ./.out.….tmp out: file exists".
		{[]string{"baseline", "save", "--db", db, "--out", outDir}, "baseline save: --out " + outDir + " is not a regular file"},
	}
	for _, tt := range tests {
		code, _, stderr := optbench(t, tt.args...)
		if code != 2 || !strings.Contains(stderr, tt.want) {
			t.Errorf("%s: exit %d, %q; want 2 and %q", strings.Join(tt.args, " "), code, stderr, tt.want)
		}
	}
	if es, err := os.ReadDir(outDir); err != nil || len(es) > 0 {
		t.Errorf("--out directory holds %v (%v), want nothing", es, err)
	}
	if sumFile(t, db) != before {
		t.Error("the database changed")
	}
}

// TestRunWorkersCapped: run starts no more workers than trials left, and
// records that number (-j 1000000 took 11 s to train one trial).
func TestRunWorkersCapped(t *testing.T) {
	sweep := writeFile(t, t.TempDir(), "tiny.yaml", tinySweep)
	db := filepath.Join(t.TempDir(), "r.db")
	if code, _, stderr := optbench(t, "run", "--quiet", "-j", "1000000", "--db", db, sweep); code != 0 {
		t.Fatalf("run exited %d: %s", code, stderr)
	}
	store, err := results.OpenReadOnly(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	provs, err := store.Provenance(context.Background(), "tiny")
	if err != nil {
		t.Fatal(err)
	}
	if len(provs) != 1 || provs[0].Workers != 2 {
		t.Errorf("provenance %+v, want one run on 2 workers (the sweep's 2 trials)", provs)
	}
}
