package reports

import (
	"bytes"
	"context"
	"fmt"
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

// TestTextWidthLeavesOutColumns checks the order in which a text table
// too wide for its width gives way: the wall time first, before the
// parameters are narrowed; the interval only when leaving it out makes
// the table fit; a note names what was left out; Markdown, CSV and JSON
// keep every column.
func TestTextWidthLeavesOutColumns(t *testing.T) {
	params := "lr=0.001 β1=0.9 β2=0.999"
	tab := &Table{Name: "t", Columns: []Column{
		{Name: "parameters", Keys: []string{"params"}, Flexible: true},
		{Name: "mean", Keys: []string{"mean"}, Numeric: true},
		{Name: "95% CI", Keys: []string{"ci_low", "ci_high"}, Numeric: true, Omit: omitCI},
		{Name: "wall s", Keys: []string{"wall_seconds"}, Numeric: true, Omit: omitWall},
	}}
	tab.Rows = [][]Cell{{{Text: params, Values: []any{params}}, {Text: "0.9", Values: []any{0.9}},
		{Text: "[0.8, 0.95]", Values: []any{0.8, 0.95}}, {Text: "12.5", Values: []any{12.5}}}}
	full := 4*3 + 1 + twwidth.Width(params) + len("mean") + len("[0.8, 0.95]") + len("wall s") // 58
	for _, tc := range []struct {
		width   int
		headers []string
		note    string // the note on what was left out, %d for the width; "" for none
		whole   bool   // the parameters unnarrowed
	}{
		{full, []string{"parameters", "mean", "95% CI", "wall s"}, "", true},
		{full - 1, []string{"parameters", "mean", "95% CI"}, "left out to fit %d columns: wall s", true},
		// Without the wall time, narrowing the parameters fits.
		{full - 12, []string{"parameters", "mean", "95% CI"}, "left out to fit %d columns: wall s", false},
		// Narrowed as far as they go (10), only leaving out the interval fits.
		{32, []string{"parameters", "mean"}, "left out to fit %d columns: wall s, 95%% CI", false},
		// Nothing fits: the interval stays.
		{20, []string{"parameters", "mean", "95% CI"}, "left out to fit %d columns: wall s", false},
	} {
		var buf bytes.Buffer
		if err := tab.WriteText(&buf, tc.width); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		header := strings.SplitN(out, "\n", 3)[1]
		var got []string
		for _, h := range strings.Split(strings.Trim(header, "│"), "│") {
			got = append(got, strings.TrimSpace(h))
		}
		if strings.Join(got, ",") != strings.Join(tc.headers, ",") {
			t.Errorf("width %d: columns %q, want %q:\n%s", tc.width, got, tc.headers, out)
		}
		if note := fmt.Sprintf(tc.note, tc.width); tc.note != "" && !strings.Contains(strings.Join(strings.Fields(out), " "), note) {
			t.Errorf("width %d: no note %q:\n%s", tc.width, note, out)
		}
		if tc.note == "" && strings.Contains(out, "left out to fit") {
			t.Errorf("width %d: a column left out:\n%s", tc.width, out)
		}
		if strings.Contains(out, "│ "+params+" ") != tc.whole {
			t.Errorf("width %d: parameters whole = %v, want %v:\n%s", tc.width, !tc.whole, tc.whole, out)
		}
	}
	for _, f := range []Format{FormatMarkdown, FormatCSV, FormatJSON} {
		var buf bytes.Buffer
		if err := tab.Write(&buf, f, 20); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), "12.5") || !strings.Contains(buf.String(), "0.95") {
			t.Errorf("%s at width 20 lost a column:\n%s", f, buf.String())
		}
	}
}
