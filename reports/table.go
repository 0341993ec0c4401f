package reports

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Table is a rendered-agnostic table: display text for people, typed
// values for machines. Text, Markdown and HTML show Cell.Text; CSV and JSON
// write Cell.Values under Column.Keys.
type Table struct {
	Name    string // short identifier, e.g. "leaderboard"
	Title   string
	Columns []Column
	Rows    [][]Cell
	Notes   []string // footnotes: caveats and legends of the columns
}

// Column is a table column.
type Column struct {
	Name     string   // header as displayed
	Keys     []string // names of the values behind the column, for CSV, JSON and sorting
	Numeric  bool     // right-aligned; sorted as numbers
	Flexible bool     // may be truncated to fit a text width
	// Omit orders the columns a text table leaves out, with a note,
	// when it is still too wide after narrowing the flexible column:
	// the highest first; 0 is never left out. Markdown, CSV and JSON
	// keep every column.
	Omit int
}

// Columns a text table leaves out first when too wide (Column.Omit): the
// wall time, then the confidence interval, whose absence the note makes
// plain and --format json or csv restores.
const (
	omitCI   = 1
	omitWall = 2
)

// Cell is one table cell.
type Cell struct {
	Text   string // as displayed
	Values []any  // one per Column.Keys: float64 (NaN = none), int, string or nil
}

// Keys returns every key of the table's columns in order.
func (t *Table) Keys() []string {
	var out []string
	for _, c := range t.Columns {
		out = append(out, c.Keys...)
	}
	return out
}

// SortBy orders the rows by a column named by its header or one of its
// keys; a leading "-" sorts descending. Numbers sort numerically, text
// lexically, and missing values last either way. The sort is stable.
func (t *Table) SortBy(column string) error {
	desc := strings.HasPrefix(column, "-")
	name := strings.TrimPrefix(column, "-")
	ci, vi := -1, 0
	for i, c := range t.Columns {
		if strings.EqualFold(c.Name, name) && len(c.Keys) > 0 {
			ci = i
			break
		}
		if j := slices.IndexFunc(c.Keys, func(k string) bool { return strings.EqualFold(k, name) }); j >= 0 {
			ci, vi = i, j
			break
		}
	}
	if ci < 0 {
		return fmt.Errorf("%w %q in table %s (valid: %s)", ErrUnknownColumn, name, t.Name, strings.Join(t.Keys(), ", "))
	}
	slices.SortStableFunc(t.Rows, func(a, b []Cell) int {
		va, vb := cellValue(a, ci, vi), cellValue(b, ci, vi)
		na, nb := isMissing(va), isMissing(vb)
		switch {
		case na && nb:
			return 0
		case na:
			return 1
		case nb:
			return -1
		}
		r := compareAny(va, vb)
		if desc {
			r = -r
		}
		return r
	})
	return nil
}

func cellValue(row []Cell, ci, vi int) any {
	if ci >= len(row) || vi >= len(row[ci].Values) {
		return nil
	}
	return row[ci].Values[vi]
}

func isMissing(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case float64:
		return math.IsNaN(v)
	}
	return false
}

func compareAny(a, b any) int {
	fa, aNum := toFloat(a)
	fb, bNum := toFloat(b)
	switch {
	case aNum && bNum:
		return cmp.Compare(fa, fb)
	case aNum:
		return -1
	case bNum:
		return 1
	}
	return strings.Compare(fmt.Sprint(a), fmt.Sprint(b))
}

func toFloat(v any) (float64, bool) {
	switch v := v.(type) {
	case float64:
		return v, true
	case int:
		return float64(v), true
	}
	return 0, false
}

// formatValue writes a value for CSV: numbers in shortest round-trip form,
// missing values empty.
func formatValue(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case float64:
		if math.IsNaN(v) {
			return ""
		}
		return strconv.FormatFloat(v, 'g', -1, 64)
	case int:
		return strconv.Itoa(v)
	case string:
		return v
	}
	return fmt.Sprint(v)
}

// jsonValue converts a value for encoding/json, which has no NaN.
func jsonValue(v any) any {
	if f, ok := v.(float64); ok && (math.IsNaN(f) || math.IsInf(f, 0)) {
		return nil
	}
	return v
}

// oneLine replaces control characters (newlines, tabs, terminal escapes)
// with spaces so that names from sweep files cannot break a table's
// layout or a terminal.
func oneLine(s string) string {
	if !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

// truncate shortens s to at most n runes, ending in "…" when cut.
func truncate(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if len(s) <= n {
		return s
	}
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	return string(rs[:n-1]) + "…"
}

// Number formats for display. Metrics keep four significant digits,
// spreads two, wall times three; NaN shows as a dash.
const dash = "—"

func sig(v float64, digits int) string {
	switch {
	case math.IsNaN(v):
		return dash
	case math.IsInf(v, 0):
		return strconv.FormatFloat(v, 'g', -1, 64)
	case v != 0 && math.Abs(v) >= math.Pow10(digits) && math.Abs(v) < 1e9:
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'g', digits, 64)
}

func fmtMetric(v float64) string { return sig(v, 4) }
func fmtSpread(v float64) string { return sig(v, 2) }
func fmtWall(v float64) string   { return sig(v, 3) }
