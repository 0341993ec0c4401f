package sweeps

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// blobsCSV is a small two-class CSV file: 40 rows, so that the default
// batch of 32 fits its 32 training examples.
func blobsCSV() string {
	var b strings.Builder
	b.WriteString("x,y,class\n")
	for i := range 40 {
		fmt.Fprintf(&b, "%d,%d,%s\n", i%7, i%5, []string{"a", "b"}[i%2])
	}
	return b.String()
}

func writeFile(t *testing.T, file, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCSVPaths: a relative data_file is relative to the sweep file's
// directory, whatever the working directory, and trials store it absolute
// and clean, with the content's hash.
func TestCSVPaths(t *testing.T) {
	root := t.TempDir()
	csv := filepath.Join(root, "study", "data", "blobs.csv")
	writeFile(t, csv, blobsCSV())
	sum := sha256.Sum256([]byte(blobsCSV()))
	for _, tt := range []struct {
		name, cwd, sweep, dataFile string
	}{
		{"beside", "study", "s.yaml", "data/blobs.csv"},
		{"from-parent", ".", "study/s.yaml", "./data/../data/blobs.csv"},
		{"from-elsewhere", "other", "../study/s.yaml", "data/blobs.csv"},
		{"absolute", "other", "../study/s.yaml", csv},
	} {
		t.Run(tt.name, func(t *testing.T) {
			writeFile(t, filepath.Join(root, "study", "s.yaml"),
				"name: c\nexperiment: csv\nseeds: 2\nparameters:\n  data_file: "+tt.dataFile+"\n  optimizer: [gd, adam]\n")
			if err := os.MkdirAll(filepath.Join(root, tt.cwd), 0o755); err != nil {
				t.Fatal(err)
			}
			t.Chdir(filepath.Join(root, tt.cwd))
			s, err := Load(context.Background(), tt.sweep)
			if err != nil {
				t.Fatal(err)
			}
			trials := mustTrials(t, s)
			if len(trials) != 4 {
				t.Fatalf("%d trials, want 4", len(trials))
			}
			for _, tr := range trials {
				if tr.Params["data_file"] != csv || tr.Params["data_sha256"] != hex.EncodeToString(sum[:]) {
					t.Errorf("data_file %v, data_sha256 %v; want %s and the content's hash", tr.Params["data_file"],
						tr.Params["data_sha256"], csv)
				}
			}
			if s.Metric != "val_loss" || s.Goal != "minimize" || s.Budget.Epochs != 100 {
				t.Errorf("metric %s (%s), budget %+v; want the experiment's val_loss, 100 epochs", s.Metric, s.Goal, s.Budget)
			}
		})
	}
}

// TestCSVErrors: problems with the data are reported where the parameter
// was written, with the CSV file's own line and column.
func TestCSVErrors(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "good.csv"), blobsCSV())
	writeFile(t, filepath.Join(dir, "bad.csv"), "x,y,class\n1,2,a\n3,4x,b\n")
	writeFile(t, filepath.Join(dir, "tiny.csv"), "x,class\n1,a\n2,b\n3,a\n4,b\n5,a\n")
	t.Chdir(dir)
	const top = "name: t\nexperiment: csv\nparameters:\n"
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"missing-data-file", top + "  lr: 0.1\n  optimizer: [gd, adam]\n", []string{
			"s.yaml:3:1: experiment csv needs data_file (it has no default)",
		}},
		{"no-parameters", "name: t\nexperiment: csv\n", []string{
			"s.yaml:2:13: experiment csv needs data_file (it has no default)",
		}},
		{"no-such-file", top + "  data_file: data/wine.csv\n  optimizer: [gd, adam]\n", []string{
			"s.yaml:4:14: data_file: no such file: " + filepath.Join(dir, "data", "wine.csv"),
		}},
		{"bad-cell", top + "  data_file: bad.csv\n", []string{
			"s.yaml:4:14: data_file: " + filepath.Join(dir, "bad.csv") + `:3:3: column "y": "4x" is not a finite number`,
		}},
		{"bad-cell-full-batch", top + "  data_file: bad.csv\n  batch_size: full\n", []string{
			"s.yaml:4:14: data_file: " + filepath.Join(dir, "bad.csv") + `:3:3: column "y": "4x" is not a finite number`,
		}},
		{"no-label-column", top + "  data_file: good.csv\n  label: quality\n", []string{
			"s.yaml:5:10: label: " + filepath.Join(dir, "good.csv") + `:1: no column named "quality" (columns: "x", "y", "class")`,
		}},
		{"number", top + "  data_file: 3\n", []string{
			`s.yaml:4:14: data_file: want text, got the number 3 (to mean the text, quote it: "3")`,
		}},
		{"list", top + "  data_file: [good.csv, bad.csv]\n", []string{
			"s.yaml:4:14: data_file: want text, got a list; data_file takes one value per sweep",
		}},
		{"choices", top + "  label: {choices: [x, y]}\n  data_file: good.csv\n", []string{
			"s.yaml:4:10: label: want text, got a mapping; label takes one value per sweep",
		}},
		{"empty", top + "  data_file: ''\n", []string{
			"s.yaml:4:14: data_file: empty; it has no default and must be given",
		}},
		{"bad-hash", top + "  data_file: good.csv\n  data_sha256: 0123\n", []string{
			"s.yaml:5:16: data_sha256: want text, got the number 0123 (to mean the text, quote it: \"0123\")",
		}},
		{"wrong-hash", top + "  data_file: good.csv\n  data_sha256: '" + strings.Repeat("0", 64) + "'\n", []string{
			"s.yaml:5:16: data_sha256: data file " + filepath.Join(dir, "good.csv") + " changed since the trial was planned " +
				"(its SHA-256 was 000000000000…, is now " + sha12(blobsCSV()) + "…); run the sweep again to plan trials on the new content",
		}},
		{"default-batch", top + "  data_file: tiny.csv\n", []string{
			"s.yaml:3:1: the default batch_size 32 is larger than the training set (4 examples); set batch_size",
		}},
		{"list-search", "name: t\nexperiment: csv\nsearch: {method: list}\nparameters:\n  data_file: nope.csv\nconfigs:\n" +
			"  - {lr: 0.1}\n  - {lr: 0.2}\n", []string{
			"s.yaml:5:14: data_file: no such file: " + filepath.Join(dir, "nope.csv"),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("s.yaml", []byte(tt.src))
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("Parse: got %v, want an ErrorList", err)
			}
			if got := list.Error(); got != strings.Join(tt.want, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", got, strings.Join(tt.want, "\n"))
			}
		})
	}
}

func sha12(content string) string {
	sum := sha256.Sum256([]byte(content))
	return hex.EncodeToString(sum[:])[:12]
}
