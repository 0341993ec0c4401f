package reports

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// WriteAcrossHTML writes the comparison across problems as a
// self-contained page, dir/index.html, on the template of a sweep's
// page: each problem's leaderboard, the rank table, the profile table,
// the performance-profile figure and, when the sweeps share one problem,
// the optimization history by search method. It returns the page's path.
func WriteAcrossHTML(ctx context.Context, dir string, a *Across) (string, error) {
	page, err := a.HTML(ctx)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("reports: %w", err)
	}
	path := filepath.Join(dir, "index.html")
	if err := writeFileAtomic(path, page); err != nil {
		return "", err
	}
	return path, nil
}

// HTML renders the comparison as a self-contained HTML page.
func (a *Across) HTML(ctx context.Context) ([]byte, error) {
	var names, exps, metrics []string
	for _, r := range a.Problems {
		names = append(names, r.Sweep.Name)
		exps = append(exps, r.Sweep.Experiment)
		metrics = append(metrics, r.Metric)
	}
	p := htmlPage{
		Inline: pageInline,
		Title:  "Across problems: " + strings.Join(names, ", "),
		Metric: strings.Join(metrics, ", "),
		Goal:   "each problem's goal",
		Status: "ok",
		Summary: fmt.Sprintf("%d optimizers compared on %d problems (sweeps, or the experiments of a sweep of several): each problem's leaderboard, "+
			"ranks across problems and performance profiles.", len(a.Optimizers), len(a.Problems)),
	}
	p.Sweep.Experiment = strings.Join(exps, ", ")
	p.Sweep.Description = "Each sweep, or each experiment of a sweep of several, is a problem; each optimizer is represented on it by its best configuration."
	if s := a.Sweep; s != nil {
		p.Title = s.Name + ": across its experiments " + strings.Join(names, ", ")
		p.Sweep.File, p.Sweep.Source, p.Sweep.Hash = s.File, s.Source, s.Hash
		p.Sweep.Description = "Each experiment of the sweep is a problem; each optimizer is represented on it by its best configuration."
		if s.Description != "" {
			p.Sweep.Description = s.Description + ". " + p.Sweep.Description
		}
	}
	for _, f := range a.Figures() {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		hf, err := htmlFigureOf(f)
		if err != nil {
			a.warn("figure %s left out: %v", f.Name, err)
			continue
		}
		p.Figures = append(p.Figures, hf)
	}
	p.Warnings = a.Warnings
	for _, t := range a.Tables() {
		p.Tables = append(p.Tables, htmlTableOf(t, a.Warnings))
	}
	var buf strings.Builder
	if err := pageTemplate.Execute(&buf, p); err != nil {
		return nil, fmt.Errorf("reports: render page: %w", err)
	}
	return []byte(buf.String()), nil
}
