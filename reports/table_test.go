package reports

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/olekukonko/tablewriter/pkg/twwidth"
	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/reports/stats"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it)\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

var fileExt = map[Format]string{FormatText: "txt", FormatMarkdown: "md", FormatCSV: "csv", FormatJSON: "json"}

func TestTablesGolden(t *testing.T) {
	r, err := Analyze(context.Background(), demoInput(), Options{Target: ptr(0.85)})
	if err != nil {
		t.Fatal(err)
	}
	tables, err := r.Tables()
	if err != nil {
		t.Fatal(err)
	}
	for _, tab := range tables {
		for _, f := range Formats {
			t.Run(tab.Name+"."+fileExt[f], func(t *testing.T) {
				var buf bytes.Buffer
				if err := tab.Write(&buf, f, 0); err != nil {
					t.Fatal(err)
				}
				golden(t, tab.Name+"."+fileExt[f], buf.Bytes())
			})
		}
	}
}

// Text tables fit the width they are given, or say what they cut.
func TestTextWidth(t *testing.T) {
	r, err := Analyze(context.Background(), demoInput(), Options{Target: ptr(0.85)})
	if err != nil {
		t.Fatal(err)
	}
	tables, _ := r.Tables()
	for _, width := range []int{100, 80, 60} {
		for _, tab := range tables {
			var buf bytes.Buffer
			if err := tab.WriteText(&buf, width); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			tooWide := false
			for _, line := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
				if twwidth.Width(line) > width {
					tooWide = true
				}
			}
			if tooWide && !strings.Contains(out, "columns wide, more than") {
				t.Errorf("%s at width %d: a line is wider and no note says so:\n%s", tab.Name, width, out)
			}
			if strings.Contains(out, "…") && !strings.Contains(out, "cut with …") {
				t.Errorf("%s at width %d: cut without a note:\n%s", tab.Name, width, out)
			}
		}
	}
}

func TestSortAllTrials(t *testing.T) {
	for _, tc := range []struct {
		sort  string
		first string // text of the first row's parameters or mean column
		col   int
	}{
		{"", "lr=0.01 bs=64 β1=0.9 β2=0.999", 2},
		{"mean", "0.784 ± 0.01", 3},
		{"-mean ± sd", "0.9 ± 0.01", 3},
		{"lr", "lr=0.001 bs=64 β1=0.9 β2=0.999", 2},
		{"-LR", "lr=1 bs=64", 2}, // before bs=32, which lost 2 of its 3 seeds
		{"wall_seconds", "lr=1 bs=32", 2},
	} {
		t.Run(tc.sort, func(t *testing.T) {
			r, err := Analyze(context.Background(), demoInput(), Options{Sort: tc.sort})
			if err != nil {
				t.Fatal(err)
			}
			tab, err := r.AllTrials()
			if err != nil {
				t.Fatal(err)
			}
			if got := tab.Rows[0][tc.col].Text; got != tc.first {
				t.Errorf("first row %q, want %q", got, tc.first)
			}
		})
	}
	_, err := Analyze(context.Background(), demoInput(), Options{Sort: "speed"})
	if !errors.Is(err, ErrUnknownColumn) || !strings.Contains(err.Error(), `"speed"`) || !strings.Contains(err.Error(), "wall_seconds") {
		t.Errorf("unknown column: %v", err)
	}
}

func TestOptionErrors(t *testing.T) {
	for _, opt := range []Options{
		{Level: 1.5}, {Level: -0.1}, {Smoothing: 1}, {Smoothing: -0.5}, {Width: -1}, {Spread: -2},
		{Band: Band(7)}, {Target: ptr(nan())},
	} {
		if _, err := Analyze(context.Background(), demoInput(), opt); !errors.Is(err, ErrOption) {
			t.Errorf("%+v: err = %v, want ErrOption", opt, err)
		}
	}
	var tab Table
	if err := tab.Write(new(bytes.Buffer), "yaml", 0); !errors.Is(err, ErrOption) {
		t.Errorf("unknown format: %v", err)
	}
	if _, err := ParseBand("iqr"); !errors.Is(err, ErrOption) {
		t.Errorf("ParseBand: %v", err)
	}
}

// Names from sweep files cannot break Markdown or the terminal.
func TestEscaping(t *testing.T) {
	in := demoInput()
	for i := range in.Trials {
		if in.Trials[i].Optimizer == "sgd" {
			in.Trials[i].Optimizer = "s|g*d\x1b[31m\n<b>[x](javascript:alert(1))"
		}
	}
	r, err := Analyze(context.Background(), in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var md, txt bytes.Buffer
	r.Leaderboard().WriteMarkdown(&md)
	r.Leaderboard().WriteText(&txt, 0)
	if strings.Contains(md.String(), "s|g") || strings.Contains(md.String(), "<b>") || strings.Contains(md.String(), "](javascript") {
		t.Errorf("Markdown not escaped:\n%s", md.String())
	}
	if strings.ContainsAny(txt.String(), "\x1b") {
		t.Errorf("terminal escape in text:\n%q", txt.String())
	}
}

// TestParamTextShortNames: a parameter shown under a short name (β1, bs)
// is still printed compactly, not with every digit (issue 14: legends and
// tables printed β1 = 0.8999999999999999).
func TestParamTextShortNames(t *testing.T) {
	r := &Report{Swept: []string{"beta1", "batch_size"}}
	c := &stats.Config{Params: engine.Params{"beta1": 0.8999999999999999, "batch_size": 64.0},
		Values: map[string]string{"beta1": "0.8999999999999999", "batch_size": "64"}}
	if got := r.paramText(c); got != "bs=64 β1=0.9" {
		t.Errorf("paramText = %q, want %q", got, "bs=64 β1=0.9")
	}
}
