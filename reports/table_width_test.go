package reports

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/olekukonko/tablewriter/pkg/twwidth"
)

// Issue 14: tables were cut at 100 columns on a 220-column terminal and
// lost the part of a parameter list that tells configurations apart.
func TestTextWidthKeepsParameters(t *testing.T) {
	r, err := Analyze(context.Background(), demoInput(), Options{Target: ptr(0.85)})
	if err != nil {
		t.Fatal(err)
	}
	tables, err := r.Tables()
	if err != nil {
		t.Fatal(err)
	}
	for _, tab := range tables {
		t.Run(tab.Name+"/220", func(t *testing.T) {
			var buf bytes.Buffer
			if err := tab.WriteText(&buf, 220); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			if strings.Contains(out, "…") || strings.Contains(out, "left out of the") {
				t.Errorf("cut at 220 columns:\n%s", out)
			}
			for _, row := range tab.Rows {
				for i, c := range tab.Columns {
					if c.Flexible && !strings.Contains(out, "│ "+row[i].Text+" ") {
						t.Errorf("%q not shown whole at 220 columns:\n%s", row[i].Text, out)
					}
				}
			}
		})
		t.Run(tab.Name+"/60", func(t *testing.T) {
			var buf bytes.Buffer
			if err := tab.WriteText(&buf, 60); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			if strings.Contains(out, "…") && !strings.Contains(out, "cut with …") {
				t.Errorf("cut without a note at 60 columns:\n%s", out)
			}
			// Every parameter value of every row is still shown (wrapped
			// onto more lines) or named in a note as common to all rows.
			for _, row := range tab.Rows {
				for i, c := range tab.Columns {
					if !c.Flexible {
						continue
					}
					for _, item := range strings.Fields(row[i].Text) {
						if !strings.Contains(out, " "+item+" ") && !strings.Contains(out, " "+item+"\n") {
							t.Errorf("%q of row %q lost at 60 columns:\n%s", item, row[i].Text, out)
						}
					}
				}
			}
		})
	}
}

func TestFitFlexible(t *testing.T) {
	tests := []struct {
		name  string
		cells []string
		want  int
		out   []string
		note  string
	}{
		{"common values left out", []string{"lr=0.1 bs=64 β1=0.9 β2=0.999", "lr=0.01 bs=64 β1=0.9 β2=0.99"}, 14,
			[]string{"lr=0.1\nβ2=0.999", "lr=0.01\nβ2=0.99"}, "the same in every row, so left out of the parameters column to fit 14 columns: bs=64 β1=0.9"},
		{"wrapped, not cut", []string{"lr=0.1 bs=32", "lr=0.01 bs=64"}, 10,
			[]string{"lr=0.1\nbs=32", "lr=0.01\nbs=64"}, ""},
		{"one long value cut and said", []string{"data_file=/a/very/long/path.csv lr=1", "data_file=/b lr=2"}, 12,
			[]string{"data_file=/…\nlr=1", "data_file=/b\nlr=2"}, "parameters column: values wider than 12 characters cut with …; Markdown, CSV and JSON have them in full"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, w, notes := fitFlexible("parameters", tt.cells, tt.want, 10)
			if strings.Join(out, "|") != strings.Join(tt.out, "|") {
				t.Errorf("cells = %q, want %q", out, tt.out)
			}
			for _, c := range out {
				for _, line := range strings.Split(c, "\n") {
					if twwidth.Width(line) > w {
						t.Errorf("line %q wider than the returned width %d", line, w)
					}
				}
			}
			if got := strings.Join(notes, "|"); got != tt.note {
				t.Errorf("notes = %q, want %q", got, tt.note)
			}
		})
	}
}
