package reports

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/pkg/twwidth"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
)

// Format is an output format of tables.
type Format string

const (
	FormatText     Format = "text"     // box-drawn, fitted to a width
	FormatMarkdown Format = "markdown" // GitHub-flavoured pipe table
	FormatCSV      Format = "csv"      // one column per key, full precision
	FormatJSON     Format = "json"     // an object with typed rows
)

// Formats lists the table formats.
var Formats = []Format{FormatText, FormatMarkdown, FormatCSV, FormatJSON}

// Write renders t in the format f. width applies to FormatText (0 means
// 100 columns).
func (t *Table) Write(w io.Writer, f Format, width int) error {
	switch f {
	case FormatText:
		return t.WriteText(w, width)
	case FormatMarkdown:
		return t.WriteMarkdown(w)
	case FormatCSV:
		return t.WriteCSV(w)
	case FormatJSON:
		return t.WriteJSON(w)
	}
	return fmt.Errorf("%w: format %q (valid: text, markdown, csv, json)", ErrOption, f)
}

// textOverhead is what the box-drawn layout adds to the cells' widths: a
// border before each column, one at the end, and a space either side of
// each cell.
func textOverhead(cols int) int { return 3*cols + 1 }

// WriteText renders t as a box-drawn table at most width columns wide
// (0 means 100), preceded by its title and followed by its notes. When the
// table would be wider, headers are folded, then the flexible column (the
// parameters) is narrowed by fitFlexible, which never drops a value that
// tells rows apart without saying so; if it is still too wide, a note says
// that too.
func (t *Table) WriteText(w io.Writer, width int) error {
	if width <= 0 {
		width = defaultWidth
	}
	header := make([]string, len(t.Columns))
	widths := make([]int, len(t.Columns))
	for i, c := range t.Columns {
		header[i] = oneLine(c.Name)
		widths[i] = twwidth.Width(header[i])
	}
	rows := make([][]string, len(t.Rows))
	for r, row := range t.Rows {
		rows[r] = make([]string, len(t.Columns))
		for i := range t.Columns {
			if i < len(row) {
				rows[r][i] = oneLine(row[i].Text)
			}
			widths[i] = max(widths[i], twwidth.Width(rows[r][i]))
		}
	}
	total := textOverhead(len(t.Columns))
	for _, wd := range widths {
		total += wd
	}
	notes := t.Notes
	if total > width {
		// First fold headers that are wider than their column's cells
		// ("epochs to 0.85" over "never") onto two or more lines.
		for i, c := range t.Columns {
			if c.Flexible {
				continue
			}
			cells := 0
			for r := range rows {
				cells = max(cells, twwidth.Width(rows[r][i]))
			}
			if twwidth.Width(header[i]) < cells+4 {
				continue // folding would gain little and read worse
			}
			folded := foldHeader(header[i], max(cells, (twwidth.Width(header[i])+1)/2))
			fw := 0
			for _, line := range strings.Split(folded, "\n") {
				fw = max(fw, twwidth.Width(line))
			}
			if fw < widths[i] {
				total -= widths[i] - max(fw, cells)
				widths[i] = max(fw, cells)
				header[i] = folded
			}
		}
	}
	// Columns that may go (Column.Omit), the highest first, go while the
	// table is too wide: the wall time before the parameters are
	// narrowed (narrowing loses nothing, a note keeps what it moves), the
	// interval only after, and only where that makes the table fit.
	keep := make([]bool, len(t.Columns))
	for i := range keep {
		keep[i] = true
	}
	var omitted []string
	leaveOut := func(least int, onlyIfFits bool) {
		if onlyIfFits {
			all := total
			for i, c := range t.Columns {
				if keep[i] && c.Omit >= least {
					all -= widths[i] + 3
				}
			}
			if all > width {
				return // it would lose them and still not fit
			}
		}
		for total > width {
			drop := -1
			for i, c := range t.Columns {
				if keep[i] && c.Omit >= least && (drop < 0 || c.Omit > t.Columns[drop].Omit) {
					drop = i
				}
			}
			if drop < 0 {
				return
			}
			keep[drop] = false
			total -= widths[drop] + 3
			omitted = append(omitted, oneLine(t.Columns[drop].Name))
		}
	}
	leaveOut(omitWall, false)
	if total > width {
		for i, c := range t.Columns {
			if !c.Flexible {
				continue
			}
			col := make([]string, len(rows))
			for r := range rows {
				col[r] = rows[r][i]
			}
			fitted, fw, colNotes := fitFlexible(c.Name, col, widths[i]-(total-width), twwidth.Width(header[i]))
			if fw >= widths[i] {
				continue
			}
			for r := range rows {
				rows[r][i] = fitted[r]
			}
			total -= widths[i] - fw
			widths[i] = fw
			notes = append(slices.Clone(notes), colNotes...)
		}
	}
	leaveOut(1, true)
	if len(omitted) > 0 {
		notes = append(slices.Clone(notes), fmt.Sprintf("left out to fit %d columns: %s (a wider terminal, COLUMNS, or --format json or csv shows them)",
			width, strings.Join(omitted, ", ")))
		header = kept(header, keep)
		for r := range rows {
			rows[r] = kept(rows[r], keep)
		}
	}
	if total > width {
		notes = append(slices.Clone(notes), fmt.Sprintf("the table is %d columns wide, more than %d", total, width))
	}

	var buf bytes.Buffer
	if t.Title != "" {
		buf.WriteString(wrapText(oneLine(t.Title), width, ""))
	}
	if len(t.Rows) == 0 {
		buf.WriteString("(no rows)\n")
	} else {
		tab := tablewriter.NewTable(&buf, t.tableOptions(keep)...)
		tab.Header(toAny(header)...)
		for _, row := range rows {
			if err := tab.Append(toAny(row)...); err != nil {
				return fmt.Errorf("reports: table %s: %w", t.Name, err)
			}
		}
		if err := tab.Render(); err != nil {
			return fmt.Errorf("reports: table %s: %w", t.Name, err)
		}
	}
	for _, n := range notes {
		buf.WriteString(wrapText("Note: "+oneLine(n), width, "      "))
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// kept returns the items of s whose keep is true.
func kept(s []string, keep []bool) []string {
	var out []string
	for i, v := range s {
		if keep[i] {
			out = append(out, v)
		}
	}
	return out
}

// fitFlexible narrows the cells of a flexible column (space-separated
// items such as "lr=0.01 bs=64 β1=0.9") to about want columns, at least 10
// and at least min. It returns the cells, their new width and notes for
// the reader. In order, until the column fits:
//
//  1. items the same in every row ("bs=64" when every row has bs=64) are
//     left out, and a note lists them, since they tell no row apart;
//  2. each cell is wrapped onto several lines at spaces, so that no item
//     is cut;
//  3. an item wider than the column on its own is cut with "…", and a
//     note says so.
func fitFlexible(name string, cells []string, want, min int) ([]string, int, []string) {
	want = max(want, 10, min)
	widest := func(cells []string) int {
		w := 0
		for _, c := range cells {
			for _, line := range strings.Split(c, "\n") {
				w = max(w, twwidth.Width(line))
			}
		}
		return w
	}
	items := make([][]string, len(cells))
	for r, c := range cells {
		items[r] = strings.Fields(c)
	}
	var notes []string
	if common := commonItems(items); len(common) > 0 && len(cells) > 1 {
		for r := range items {
			items[r] = slices.DeleteFunc(items[r], func(it string) bool { return slices.Contains(common, it) })
		}
		notes = append(notes, fmt.Sprintf("the same in every row, so left out of the %s column to fit %d columns: %s",
			name, want, strings.Join(common, " ")))
	}
	out := make([]string, len(cells))
	for r := range items {
		out[r] = strings.Join(items[r], " ")
	}
	if widest(out) <= want {
		return out, max(widest(out), min), notes
	}
	cut := false
	for r := range items {
		var lines []string
		line := ""
		for _, it := range items[r] {
			if twwidth.Width(it) > want {
				it = twwidth.Truncate(it, want-1) + "…"
				cut = true
			}
			switch {
			case line == "":
				line = it
			case twwidth.Width(line)+1+twwidth.Width(it) <= want:
				line += " " + it
			default:
				lines = append(lines, line)
				line = it
			}
		}
		out[r] = strings.Join(append(lines, line), "\n")
	}
	if cut {
		notes = append(notes, fmt.Sprintf("%s column: values wider than %d characters cut with …; Markdown, CSV and JSON have them in full", name, want))
	}
	return out, max(widest(out), min), notes
}

// commonItems returns, in order of first appearance, the items whose key
// (the part before "=") every row has, with one value.
func commonItems(items [][]string) []string {
	type seen struct {
		value string
		rows  int
		mixed bool
	}
	byKey := map[string]*seen{}
	var order []string
	for _, row := range items {
		for _, it := range row {
			k, _, ok := strings.Cut(it, "=")
			if !ok {
				k = it
			}
			s := byKey[k]
			if s == nil {
				s = &seen{value: it}
				byKey[k] = s
				order = append(order, k)
			}
			s.rows++
			if s.value != it {
				s.mixed = true
			}
		}
	}
	var out []string
	for _, k := range order {
		if s := byKey[k]; !s.mixed && s.rows == len(items) {
			out = append(out, s.value)
		}
	}
	return out
}

// foldHeader breaks a header at spaces into lines of at most width
// columns (a single word may be wider).
func foldHeader(h string, width int) string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(h) {
		switch {
		case line == "":
			line = word
		case twwidth.Width(line)+1+twwidth.Width(word) <= width:
			line += " " + word
		default:
			lines = append(lines, line)
			line = word
		}
	}
	return strings.Join(append(lines, line), "\n")
}

// tableOptions configures tablewriter for the columns of t whose keep is
// true (every column for a nil keep).
func (t *Table) tableOptions(keep []bool) []tablewriter.Option {
	var align []tw.Align
	for i, c := range t.Columns {
		if keep != nil && !keep[i] {
			continue
		}
		a := tw.AlignLeft
		if c.Numeric {
			a = tw.AlignRight
		}
		align = append(align, a)
	}
	return []tablewriter.Option{
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAutoWrap(tw.WrapNone),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignmentConfig(tw.CellAlignment{PerColumn: align}),
	}
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// wrapText wraps s at spaces to lines of at most width columns, indenting
// continuation lines.
func wrapText(s string, width int, indent string) string {
	var b strings.Builder
	line := 0
	for i, word := range strings.Fields(s) {
		ww := twwidth.Width(word)
		switch {
		case i == 0:
		case line+1+ww > width:
			b.WriteByte('\n')
			b.WriteString(indent)
			line = twwidth.Width(indent)
		default:
			b.WriteByte(' ')
			line++
		}
		b.WriteString(word)
		line += ww
	}
	b.WriteByte('\n')
	return b.String()
}

// WriteMarkdown renders t as a Markdown pipe table under a bold title,
// with its notes as a list after it.
func (t *Table) WriteMarkdown(w io.Writer) error {
	var buf bytes.Buffer
	if t.Title != "" {
		fmt.Fprintf(&buf, "**%s**\n\n", markdownEscape(t.Title))
	}
	if len(t.Rows) == 0 {
		buf.WriteString("_(no rows)_\n")
	} else {
		tab := tablewriter.NewTable(&buf, append(t.tableOptions(nil), tablewriter.WithRenderer(renderer.NewMarkdown()))...)
		header := make([]any, len(t.Columns))
		for i, c := range t.Columns {
			header[i] = markdownEscape(c.Name)
		}
		tab.Header(header...)
		for _, row := range t.Rows {
			cells := make([]any, len(t.Columns))
			for i := range t.Columns {
				s := ""
				if i < len(row) {
					s = row[i].Text
				}
				cells[i] = markdownEscape(s)
			}
			if err := tab.Append(cells...); err != nil {
				return fmt.Errorf("reports: table %s: %w", t.Name, err)
			}
		}
		if err := tab.Render(); err != nil {
			return fmt.Errorf("reports: table %s: %w", t.Name, err)
		}
	}
	if len(t.Notes) > 0 {
		buf.WriteByte('\n')
		for _, n := range t.Notes {
			fmt.Fprintf(&buf, "- %s\n", markdownEscape(n))
		}
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// markdownEscape keeps names from sweep files from being read as Markdown
// or HTML: pipes would split cells; asterisks, underscores and backticks
// would format; angle brackets would inject HTML; "](" would make a link.
var markdownEscaper = strings.NewReplacer(
	`\`, `\\`, "|", `\|`, "*", `\*`, "_", `\_`, "`", "\\`", "<", "&lt;", ">", "&gt;", "](", `]\(`)

func markdownEscape(s string) string { return markdownEscaper.Replace(oneLine(s)) }

// WriteCSV writes t as CSV: a header of column keys, then one record per
// row with every value at full precision. Missing values are empty.
// Title and notes are not written; CSV is for machines.
func (t *Table) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(t.Keys()); err != nil {
		return fmt.Errorf("reports: table %s: %w", t.Name, err)
	}
	for _, row := range t.Rows {
		var rec []string
		for i, c := range t.Columns {
			for j := range c.Keys {
				rec = append(rec, formatValue(cellValue(row, i, j)))
			}
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("reports: table %s: %w", t.Name, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("reports: table %s: %w", t.Name, err)
	}
	return nil
}

// jsonTable is the JSON shape of a table.
type jsonTable struct {
	Name    string           `json:"name"`
	Title   string           `json:"title"`
	Columns []string         `json:"columns"`
	Rows    []map[string]any `json:"rows"`
	Notes   []string         `json:"notes"`
}

// WriteJSON writes t as a JSON object: name, title, the column keys in
// order, rows as objects keyed by column key (missing numbers are null),
// and the notes.
func (t *Table) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(t.jsonTable()); err != nil {
		return fmt.Errorf("reports: table %s: %w", t.Name, err)
	}
	return nil
}

func (t *Table) jsonTable() jsonTable {
	jt := jsonTable{Name: t.Name, Title: t.Title, Columns: t.Keys(), Rows: make([]map[string]any, len(t.Rows)), Notes: t.Notes}
	if jt.Notes == nil {
		jt.Notes = []string{}
	}
	for r, row := range t.Rows {
		m := make(map[string]any, len(jt.Columns))
		for i, c := range t.Columns {
			for j, k := range c.Keys {
				m[k] = jsonValue(cellValue(row, i, j))
			}
		}
		jt.Rows[r] = m
	}
	return jt
}

// WriteJSONTables writes several tables as one JSON document: an object
// keyed by table name, in the order given, each value the object WriteJSON
// writes. Names must be unique.
func WriteJSONTables(w io.Writer, tables []*Table) error {
	var buf bytes.Buffer
	buf.WriteString("{")
	seen := map[string]bool{}
	for i, t := range tables {
		if seen[t.Name] {
			return fmt.Errorf("reports: two tables named %s in one JSON document", t.Name)
		}
		seen[t.Name] = true
		if i > 0 {
			buf.WriteString(",")
		}
		name, _ := json.Marshal(t.Name)
		body, err := json.MarshalIndent(t.jsonTable(), "  ", "  ")
		if err != nil {
			return fmt.Errorf("reports: table %s: %w", t.Name, err)
		}
		fmt.Fprintf(&buf, "\n  %s: %s", name, body)
	}
	buf.WriteString("\n}\n")
	_, err := w.Write(buf.Bytes())
	return err
}

// FileExt is the file name extension of a table format: txt, md, csv or
// json.
func (f Format) FileExt() string {
	switch f {
	case FormatMarkdown:
		return "md"
	case FormatText:
		return "txt"
	}
	return string(f)
}
