package reports

import (
	"bytes"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/reports/stats"
	"github.com/optbench/optbench/results"
)

//go:embed report.html.tmpl
var pageTemplateText string

// The page's own inline scripts and style, kept out of the template so that
// the bytes hashed for the Content-Security-Policy are the bytes written
// (html/template would strip the comments of a script it parses).
var (
	//go:embed report_errors.js
	errorsScript string
	//go:embed report.js
	pageScript string
	//go:embed report.css
	pageStyle string
)

// pageTemplate escapes every name and value from sweep files through
// html/template's contextual escaping; figures are SVG inside base64 data
// URLs, which an <img> cannot run scripts from. Escaping is not the only
// defence: the page's Content-Security-Policy runs only the scripts and
// styles whose SHA-256 it lists (pageInline), so markup that got through
// would still not run.
var pageTemplate = template.Must(template.New("report").Parse(pageTemplateText))

// pageInline is the same for every page: its scripts and style are static.
var pageInline = newInlineContent(errorsScript, pageScript, pageStyle)

// inlineContent is what the page holds inline, and the policy that allows
// exactly that.
type inlineContent struct {
	ErrorsJS, PageJS template.JS  // <script> element text, written verbatim
	CSS              template.CSS // <style> element text, written verbatim
	CSP              template.HTMLAttr
}

// newInlineContent builds the page's Content-Security-Policy from the
// SHA-256 of each inline script and style (CSP Level 2 hash sources): no
// 'unsafe-inline', so neither an injected <script> nor an event handler
// attribute runs. Nothing may be fetched (default-src 'none'); figures are
// data: URLs in <img> elements; <base> and form submission are refused as
// well, since default-src does not cover them.
func newInlineContent(errorsJS, pageJS, css string) inlineContent {
	errorsJS, pageJS, css = inlineText("script", errorsJS), inlineText("script", pageJS), inlineText("style", css)
	policy := "default-src 'none'; img-src data:; style-src " + hashSource(css) +
		"; script-src " + hashSource(errorsJS) + " " + hashSource(pageJS) +
		"; base-uri 'none'; form-action 'none'"
	return inlineContent{
		ErrorsJS: template.JS(errorsJS),
		PageJS:   template.JS(pageJS),
		CSS:      template.CSS(css),
		// Built here from constant text and base64, which has no
		// character that could leave the attribute.
		CSP: template.HTMLAttr(`content="` + policy + `"`),
	}
}

// inlineText returns the text of an inline element as a browser will hash
// it: HTML parsers turn CR LF and lone CR into LF before anything else, so a
// checkout with Windows line endings must not change the hash. Text that
// would end the element early or change how it is parsed is a programmer
// error.
func inlineText(element, text string) string {
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	lower := strings.ToLower(text)
	if strings.Contains(lower, "</"+element) || strings.Contains(lower, "<!--") {
		panic("reports: inline " + element + " contains </" + element + " or <!--")
	}
	return text
}

// hashSource is the CSP source expression that allows an inline element
// whose text is exactly text.
func hashSource(text string) string {
	sum := sha256.Sum256([]byte(text))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// WriteHTML analyses the sweep and writes a self-contained page,
// dir/index.html, with the sweep's description, the file it came from and
// its source, provenance, warnings, tables (sortable by clicking a header)
// and figures (SVG embedded in the page). Nothing is fetched from a
// network. The page is written to a temporary file and renamed, so a
// failed run leaves no half-written page. It returns the page's path.
func WriteHTML(ctx context.Context, dir string, in Input, opt Options) (path string, err error) {
	r, err := Analyze(ctx, in, opt)
	if err != nil {
		return "", err
	}
	return r.WriteHTML(ctx, dir)
}

// WriteHTML writes the report's page to dir/index.html, atomically, and
// returns the file's path: for a caller that has analysed the sweep
// already (to print its tables) and need not analyse it again.
func (r *Report) WriteHTML(ctx context.Context, dir string) (path string, err error) {
	page, err := r.HTML(ctx)
	if err != nil {
		return "", err
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("reports: %w", err)
	}
	path = filepath.Join(dir, "index.html")
	if err := writeFileAtomic(path, page); err != nil {
		return "", err
	}
	return path, nil
}

// HTML renders the report as a self-contained HTML page.
func (r *Report) HTML(ctx context.Context) ([]byte, error) {
	tables, err := r.Tables()
	if err != nil {
		return nil, err
	}
	figs, err := r.Figures(ctx)
	if err != nil {
		return nil, err
	}
	p := htmlPage{
		Inline: pageInline,
		Sweep:  r.Sweep,
		Title:  r.Sweep.Name,
		Metric: r.Metric,
		Goal:   r.Goal.String(),
	}
	if p.Title == "" {
		p.Title = "(unnamed sweep)"
	}
	p.Status, p.Summary = r.status()
	var versions []string
	for _, v := range slices.Sorted(maps.Keys(r.Numerics)) {
		versions = append(versions, fmt.Sprintf("%s (%d trials)", v, r.Numerics[v]))
	}
	p.Numerics = fmt.Sprintf("Numerics version of the trials: %s; of this build: %s.", strings.Join(versions, ", "), engine.NumericsVersion)
	for _, f := range figs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		hf, err := htmlFigureOf(f)
		if err != nil {
			r.warn("figure %s left out: %v", f.Name, err)
			continue
		}
		p.Figures = append(p.Figures, hf)
	}
	p.Warnings = r.Warnings // after the figures, which may add some
	for _, t := range tables {
		p.Tables = append(p.Tables, htmlTableOf(t, r.Warnings))
	}
	for _, pr := range r.Provenance {
		rev := pr.Revision
		if pr.Dirty {
			rev += " (uncommitted changes)"
		}
		platform := pr.GOOS + "/" + pr.GOARCH
		if pr.GOAMD64 != "" {
			platform += " " + pr.GOAMD64
		}
		started := ""
		if !pr.Started.IsZero() {
			started = pr.Started.UTC().Format(time.RFC3339)
		}
		p.Provenance = append(p.Provenance, []string{
			strconv.FormatInt(pr.RunID, 10), started, pr.Version, rev, pr.GoVersion, platform, pr.CPU, pr.Host,
			strconv.Itoa(pr.Workers), pr.Command,
		})
	}
	var buf bytes.Buffer
	if err := pageTemplate.Execute(&buf, p); err != nil {
		return nil, fmt.Errorf("reports: render page: %w", err)
	}
	return buf.Bytes(), nil
}

// htmlFigureOf renders f as SVG in a data URL for the page.
func htmlFigureOf(f *Figure) (htmlFigure, error) {
	var buf bytes.Buffer
	if err := f.Render(&buf, SVG); err != nil {
		return htmlFigure{}, err
	}
	alt := f.Plot.Title.Text
	if len(f.Series) > 0 {
		alt += ": " + strings.Join(f.Series, "; ")
	}
	return htmlFigure{
		Name:    f.Name,
		Title:   f.Plot.Title.Text,
		Caption: f.Caption,
		Alt:     alt,
		// The data URL is built here from base64, which has no
		// characters that could leave the attribute.
		Src: template.URL("data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())),
	}, nil
}

// status says in a sentence what the sweep holds, and flags sweeps with
// nothing to rank.
func (r *Report) status() (status, summary string) {
	t := r.Totals
	switch {
	case t.Total() == 0 && r.Input.LeftOut > 0:
		return "not-run", fmt.Sprintf("No trial of the sweep's current plan has been run yet; %d stored trial(s) "+
			"from an earlier version of the sweep file or its data are left out. Run the sweep again.", r.Input.LeftOut)
	case t.Total() == 0:
		return "empty", "This sweep is empty: no trials were recorded."
	case len(r.Best) == 0 && t.Diverged == t.Total():
		return "diverged", fmt.Sprintf("Every trial diverged (%d of %d): there is no result to rank.", t.Diverged, t.Total())
	case len(r.Best) == 0:
		return "no-result", fmt.Sprintf("No trial has a value of %s (%s): there is no result to rank.", r.Metric, outcomeText(t))
	}
	optimizers := len(stats.BestPerOptimizer(r.ranked)) // r.Best has a row per value of Options.By
	s := fmt.Sprintf("%d trials in %d configurations of %d optimizer%s, ranked by %s (%s).",
		t.Total(), len(r.Configs), optimizers, plural(optimizers), r.Metric, r.Goal)
	if x := t.Total() - t.Completed; x > 0 {
		s += fmt.Sprintf(" %d trial%s excluded (%s).", x, plural(x), outcomeText(t))
	}
	single := true
	for _, c := range r.Configs {
		if c.Metric.N > 1 {
			single = false
		}
	}
	if single {
		return "one-seed", s + " Each configuration has 1 seed: no confidence interval."
	}
	return "ok", s
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

type htmlPage struct {
	Inline     inlineContent
	Sweep      results.SweepRecord
	Title      string
	Metric     string
	Goal       string
	Status     string
	Summary    string
	Warnings   []string
	Provenance [][]string
	Numerics   string // the numerics versions of the trials, and this build's
	Tables     []htmlTable
	Figures    []htmlFigure
}

type htmlFigure struct {
	Name, Title, Caption, Alt string
	Src                       template.URL
}

type htmlTable struct {
	Name, Title string
	Columns     []htmlColumn
	Rows        [][]htmlCell
	Notes       []string
}

type htmlColumn struct {
	Name    string
	Numeric bool
}

type htmlCell struct {
	Text string
	Sort string // the value the page's script sorts by; empty for a missing value
}

// htmlTableOf converts a table for the page, leaving out the notes that
// repeat the page's warnings.
func htmlTableOf(t *Table, warnings []string) htmlTable {
	ht := htmlTable{Name: t.Name, Title: t.Title}
	for _, n := range t.Notes {
		if !slices.Contains(warnings, n) {
			ht.Notes = append(ht.Notes, n)
		}
	}
	for _, c := range t.Columns {
		ht.Columns = append(ht.Columns, htmlColumn{Name: c.Name, Numeric: c.Numeric})
	}
	for _, row := range t.Rows {
		cells := make([]htmlCell, len(t.Columns))
		for i := range t.Columns {
			if i >= len(row) {
				continue
			}
			cells[i] = htmlCell{Text: row[i].Text, Sort: sortKey(row[i], t.Columns[i].Numeric)}
		}
		ht.Rows = append(ht.Rows, cells)
	}
	return ht
}

// sortKey is what the page sorts a cell by: the first value of a numeric
// column (empty when missing), the text of any other.
func sortKey(c Cell, numeric bool) string {
	if !numeric {
		return c.Text
	}
	if len(c.Values) > 0 {
		if f, ok := toFloat(c.Values[0]); ok && finite(f) {
			return strconv.FormatFloat(f, 'g', -1, 64)
		}
	}
	return ""
}
