package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestReportFigures: report --figures DIR --figure-format svg,pdf,png
// writes every figure under its stable name in each format, and the page
// shows the same figures under the same names.
func TestReportFigures(t *testing.T) {
	db := storedDB(t, t.TempDir())
	dir, out := filepath.Join(t.TempDir(), "figs"), t.TempDir()
	if code, _, stderr := optbench(t, "report", "--db", db, "--out", out, "--figures", dir, "--figure-format", "svg,pdf,png"); code != 0 {
		t.Fatalf("report exited %d: %s", code, stderr)
	}
	names := listDir(t, dir)
	for _, want := range []string{"curve-val_accuracy", "seed-spread"} {
		for _, ext := range []string{"svg", "pdf", "png"} {
			if !slices.Contains(names, want+"."+ext) {
				t.Errorf("no %s.%s in %v", want, ext, names)
			}
		}
	}
	magic := map[string][]byte{".png": []byte("\x89PNG\r\n\x1a\n"), ".pdf": []byte("%PDF-"), ".svg": []byte("<?xml")}
	page, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		if m := magic[filepath.Ext(n)]; m == nil || !bytes.HasPrefix(b, m) {
			t.Errorf("%s does not start as a %s file: %q", n, filepath.Ext(n), b[:min(8, len(b))])
		}
		stem := n[:len(n)-len(filepath.Ext(n))]
		if !bytes.Contains(page, []byte(`id="fig-`+stem+`"`)) {
			t.Errorf("figure %s is not on the page", stem)
		}
	}
	if code, _, stderr := optbench(t, "report", "--db", db, "--no-html", "--figures", dir, "--figure-format", "gif"); code != 2 {
		t.Errorf("--figure-format gif exited %d: %s", code, stderr)
	}
}
