package reports

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/optbench/optbench/reports/stats"
)

// Table renders the comparison as a table, one row per configuration and
// metric, benchstat's way: each side's mean ± sd over seeds, the change
// with its confidence interval, the p-value and number of seeds, the
// verdict ("~" for no significant change), and whether the trials are
// bit-identical. Caveats are numbered footnotes; configurations on one
// side only and the notes of the two sides come last.
func (c *Comparison) Table() *Table {
	t := &Table{
		Name:  "compare",
		Title: fmt.Sprintf("%s vs %s", c.Base.Source, c.Candidate.Source),
		Columns: []Column{
			{Name: "configuration", Keys: []string{"configuration"}, Flexible: true},
			{Name: "metric", Keys: []string{"metric"}},
			{Name: "base", Keys: []string{"base_mean", "base_sd"}, Numeric: true},
			{Name: "candidate", Keys: []string{"candidate_mean", "candidate_sd"}, Numeric: true},
			{Name: "change [95% CI]", Keys: []string{"change", "change_low", "change_high"}, Numeric: true},
			{Name: "p", Keys: []string{"p", "seeds"}, Numeric: true},
			{Name: "verdict", Keys: []string{"verdict"}},
			{Name: "bits", Keys: []string{"trials_differ"}},
		},
	}
	if len(c.Metrics) == 1 { // one metric: named in the title, not in every row
		t.Title = fmt.Sprintf("%s: %s vs %s", c.Metrics[0], c.Base.Source, c.Candidate.Source)
		t.Columns = slices.Delete(t.Columns, 1, 2)
	}
	notes := map[string]int{}
	mark := func(warnings []string) string {
		var refs []string
		for _, w := range warnings {
			n, ok := notes[w]
			if !ok {
				n = len(notes) + 1
				notes[w] = n
				t.Notes = append(t.Notes, fmt.Sprintf("(%d) %s", n, w))
			}
			refs = append(refs, strconv.Itoa(n))
		}
		if len(refs) == 0 {
			return ""
		}
		return " (" + strings.Join(refs, ",") + ")"
	}
	for _, cfg := range c.Configs {
		bits := "same"
		if cfg.Differ > 0 {
			bits = fmt.Sprintf("%d/%d differ", cfg.Differ, cfg.Seeds)
		}
		for _, m := range cfg.Metrics {
			warnings := m.Warnings
			if len(cfg.StatusChanges) > 0 {
				warnings = append(warnings, "status got worse: "+strings.Join(cfg.StatusChanges, ", "))
			}
			verdict := m.Verdict.String()
			if len(cfg.StatusChanges) > 0 {
				verdict = stats.Regressed.String()
			}
			row := []Cell{
				{Text: cfg.Label, Values: []any{cfg.Label}},
				{Text: m.Metric, Values: []any{m.Metric}},
				{Text: meanSD(m.Base), Values: []any{m.Base.Mean, m.Base.SD}},
				{Text: meanSD(m.Candidate), Values: []any{m.Candidate.Mean, m.Candidate.SD}},
				{Text: percent(m.Change) + " " + interval(m.ChangeLow, m.ChangeHigh), Values: []any{m.Change, m.ChangeLow, m.ChangeHigh}},
				{Text: fmt.Sprintf("p=%s n=%d+%d", pValue(m.P), m.Base.N, m.Candidate.N), Values: []any{m.P, cfg.Seeds}},
				{Text: verdict + mark(warnings), Values: []any{verdict}},
				{Text: bits, Values: []any{cfg.Differ}},
			}
			if len(c.Metrics) == 1 {
				row = slices.Delete(row, 1, 2)
			}
			t.Rows = append(t.Rows, row)
		}
	}
	for _, cfg := range c.Configs {
		if cfg.Differ > 0 {
			t.Notes = append(t.Notes, fmt.Sprintf("changed: %s: %d of %d trials differ; first %s; largest difference of a compared metric %s",
				cfg.Label, cfg.Differ, cfg.Seeds, cfg.FirstDiff, strconv.FormatFloat(cfg.MaxDiff, 'g', 3, 64)))
		}
	}
	for _, cfg := range c.OnlyBase {
		t.Notes = append(t.Notes, fmt.Sprintf("only in base: %s (%d trials)", cfg.Label, cfg.BaseOnly))
	}
	for _, cfg := range c.OnlyCandidate {
		t.Notes = append(t.Notes, fmt.Sprintf("only in candidate: %s (%d trials)", cfg.Label, cfg.CandOnly))
	}
	t.Notes = append(t.Notes, c.Notes...)
	t.Notes = append(t.Notes, c.Summary())
	return t
}

// Summary is the comparison in one sentence.
func (c *Comparison) Summary() string {
	matched := 0
	for _, cfg := range c.Configs {
		matched += cfg.Seeds
	}
	switch {
	case len(c.Configs) == 0:
		return "no configuration is on both sides: nothing compared"
	case matched == 0 && c.Regressions == 0 && c.Improvements == 0:
		return fmt.Sprintf("no significant change: %d configurations; no trial is on both sides, so nothing was compared bit for bit", len(c.Configs))
	case c.Changed == 0 && c.Regressions == 0 && c.Improvements == 0:
		return fmt.Sprintf("nothing changed: %d configurations, every trial bit-identical", len(c.Configs))
	}
	return fmt.Sprintf("%d configurations: %d regressed, %d improved, %d with trials that changed", len(c.Configs),
		c.Regressions, c.Improvements, c.Changed)
}

func meanSD(s stats.Summary) string {
	switch {
	case s.N == 0:
		return "—"
	case math.IsNaN(s.SD):
		return strconv.FormatFloat(s.Mean, 'g', 4, 64)
	}
	return strconv.FormatFloat(s.Mean, 'g', 4, 64) + " ± " + strconv.FormatFloat(s.SD, 'g', 2, 64)
}

func percent(f float64) string {
	if math.IsNaN(f) {
		return "—"
	}
	return fmt.Sprintf("%+.2f%%", 100*f)
}

func interval(lo, hi float64) string {
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return ""
	}
	return fmt.Sprintf("[%+.2f, %+.2f]", 100*lo, 100*hi)
}

func pValue(p float64) string {
	if math.IsNaN(p) {
		return "—"
	}
	return strconv.FormatFloat(p, 'g', 3, 64)
}

// jsonFloat writes NaN and infinities as null, which JSON has no numbers
// for.
type jsonFloat float64

func (f jsonFloat) MarshalJSON() ([]byte, error) {
	if math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, float64(f), 'g', -1, 64), nil
}

// WriteJSON writes the comparison as one JSON document.
func (c *Comparison) WriteJSON(w io.Writer) error {
	type metricJSON struct {
		Metric        string    `json:"metric"`
		BaseMean      jsonFloat `json:"base_mean"`
		BaseSD        jsonFloat `json:"base_sd"`
		BaseN         int       `json:"base_n"`
		CandidateMean jsonFloat `json:"candidate_mean"`
		CandidateSD   jsonFloat `json:"candidate_sd"`
		CandidateN    int       `json:"candidate_n"`
		Change        jsonFloat `json:"change"`
		ChangeLow     jsonFloat `json:"change_low"`
		ChangeHigh    jsonFloat `json:"change_high"`
		Test          string    `json:"test"`
		P             jsonFloat `json:"p"`
		Verdict       string    `json:"verdict"`
		Warnings      []string  `json:"warnings"`
	}
	type configJSON struct {
		Config        string       `json:"config"`
		Label         string       `json:"label"`
		Seeds         int          `json:"seeds"`
		BaseOnly      int          `json:"base_only_trials"`
		CandidateOnly int          `json:"candidate_only_trials"`
		Differ        int          `json:"trials_differ"`
		FirstDiff     string       `json:"first_difference,omitempty"`
		MaxDiff       jsonFloat    `json:"max_difference"`
		StatusChanges []string     `json:"status_changes"`
		Verdict       string       `json:"verdict"`
		Metrics       []metricJSON `json:"metrics"`
	}
	side := func(cs []*ConfigComparison, base bool) []map[string]any {
		out := []map[string]any{}
		for _, c := range cs {
			n := c.CandOnly
			if base {
				n = c.BaseOnly
			}
			out = append(out, map[string]any{"config": c.ConfigKey, "label": c.Label, "trials": n})
		}
		return out
	}
	doc := struct {
		Base          string           `json:"base"`
		Candidate     string           `json:"candidate"`
		Summary       string           `json:"summary"`
		Regressions   int              `json:"regressions"`
		Improvements  int              `json:"improvements"`
		Changed       int              `json:"changed"`
		Notes         []string         `json:"notes"`
		Configs       []configJSON     `json:"configs"`
		OnlyBase      []map[string]any `json:"only_base"`
		OnlyCandidate []map[string]any `json:"only_candidate"`
	}{Base: c.Base.Source, Candidate: c.Candidate.Source, Summary: c.Summary(), Regressions: c.Regressions,
		Improvements: c.Improvements, Changed: c.Changed, Notes: append([]string{}, c.Notes...),
		Configs: []configJSON{}, OnlyBase: side(c.OnlyBase, true), OnlyCandidate: side(c.OnlyCandidate, false)}
	for _, cfg := range c.Configs {
		cj := configJSON{Config: cfg.ConfigKey, Label: cfg.Label, Seeds: cfg.Seeds, BaseOnly: cfg.BaseOnly,
			CandidateOnly: cfg.CandOnly, Differ: cfg.Differ, FirstDiff: cfg.FirstDiff, MaxDiff: jsonFloat(cfg.MaxDiff),
			StatusChanges: append([]string{}, cfg.StatusChanges...), Verdict: cfg.Verdict.String()}
		for _, m := range cfg.Metrics {
			cj.Metrics = append(cj.Metrics, metricJSON{Metric: m.Metric,
				BaseMean: jsonFloat(m.Base.Mean), BaseSD: jsonFloat(m.Base.SD), BaseN: m.Base.N,
				CandidateMean: jsonFloat(m.Candidate.Mean), CandidateSD: jsonFloat(m.Candidate.SD), CandidateN: m.Candidate.N,
				Change: jsonFloat(m.Change), ChangeLow: jsonFloat(m.ChangeLow), ChangeHigh: jsonFloat(m.ChangeHigh),
				Test: m.Test.String(), P: jsonFloat(m.P), Verdict: m.Verdict.String(), Warnings: append([]string{}, m.Warnings...)})
		}
		doc.Configs = append(doc.Configs, cj)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// WriteJUnit writes the comparison as a JUnit XML report for CI systems'
// test views: one test case per configuration, failed when it regressed
// (or, with exact, when any of its trials changed); configurations on one
// side only are skipped test cases.
func (c *Comparison) WriteJUnit(w io.Writer, exact bool) error {
	type failure struct {
		Message string `xml:"message,attr"`
		Text    string `xml:",chardata"`
	}
	type skipped struct {
		Message string `xml:"message,attr"`
	}
	type testcase struct {
		Name      string   `xml:"name,attr"`
		Classname string   `xml:"classname,attr"`
		Failure   *failure `xml:"failure,omitempty"`
		Skipped   *skipped `xml:"skipped,omitempty"`
		Output    string   `xml:"system-out,omitempty"`
	}
	type suite struct {
		XMLName  xml.Name   `xml:"testsuite"`
		Name     string     `xml:"name,attr"`
		Tests    int        `xml:"tests,attr"`
		Failures int        `xml:"failures,attr"`
		Skipped  int        `xml:"skipped,attr"`
		Cases    []testcase `xml:"testcase"`
	}
	s := suite{Name: "optbench compare " + c.Candidate.Sweep}
	for _, cfg := range c.Configs {
		tc := testcase{Name: cfg.Label, Classname: "optbench." + c.Candidate.Sweep}
		var lines []string
		for _, m := range cfg.Metrics {
			lines = append(lines, fmt.Sprintf("%s: %s → %s, %s %s (p=%s), %s", m.Metric, meanSD(m.Base), meanSD(m.Candidate),
				percent(m.Change), interval(m.ChangeLow, m.ChangeHigh), pValue(m.P), m.Verdict))
		}
		if cfg.Differ > 0 {
			lines = append(lines, fmt.Sprintf("%d of %d trials changed; first %s", cfg.Differ, cfg.Seeds, cfg.FirstDiff))
		}
		lines = append(lines, cfg.StatusChanges...)
		tc.Output = strings.Join(lines, "\n")
		switch {
		case cfg.Verdict == stats.Regressed:
			tc.Failure = &failure{Message: "regressed", Text: tc.Output}
		case exact && cfg.Differ > 0:
			tc.Failure = &failure{Message: "changed (--exact)", Text: tc.Output}
		}
		if tc.Failure != nil {
			s.Failures++
		}
		s.Cases = append(s.Cases, tc)
	}
	for _, cfg := range append(append([]*ConfigComparison{}, c.OnlyBase...), c.OnlyCandidate...) {
		where := "base"
		if cfg.CandOnly > 0 {
			where = "candidate"
		}
		s.Cases = append(s.Cases, testcase{Name: cfg.Label, Classname: "optbench." + c.Candidate.Sweep,
			Skipped: &skipped{Message: "only in " + where}})
		s.Skipped++
	}
	s.Tests = len(s.Cases)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(s); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
