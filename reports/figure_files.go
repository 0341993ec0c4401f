package reports

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// ParseFigureFormats parses a comma-separated list of figure formats
// (svg, pdf, png), as optbench report --figure-format takes it, keeping
// the first of repeated formats.
func ParseFigureFormats(s string) ([]string, error) {
	var out []string
	for _, f := range strings.Split(s, ",") {
		f = strings.ToLower(strings.TrimSpace(f))
		if !slices.Contains(FigureFormats, f) {
			return nil, fmt.Errorf("%w: figure format %q (valid: svg, pdf, png)", ErrOption, f)
		}
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out, nil
}

// WriteFigures writes every figure of the report to dir in each of the
// formats, as dir/NAME.EXT with NAME the figure's Name: the same figures,
// under the same names, as the HTML page shows. It returns the paths
// written, in figure order. A figure that cannot be drawn is left out
// with a warning, as on the page.
func (r *Report) WriteFigures(ctx context.Context, dir string, formats []string) ([]string, error) {
	figs, err := r.Figures(ctx)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("reports: %w", err)
	}
	var paths []string
	for _, f := range figs {
		for _, format := range formats {
			path := filepath.Join(dir, f.Name+"."+format)
			if err := SaveFigure(ctx, path, f); err != nil {
				if ctx.Err() != nil {
					return paths, ctx.Err()
				}
				r.warn("figure %s left out: %v", f.Name, err)
				continue
			}
			paths = append(paths, path)
		}
	}
	return paths, nil
}

// WriteFigures writes the comparison's figures to dir in each of the
// formats, as dir/NAME.EXT, and returns the paths written. A figure that
// cannot be drawn is left out with a warning.
func (a *Across) WriteFigures(ctx context.Context, dir string, formats []string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("reports: %w", err)
	}
	var paths []string
	for _, f := range a.Figures() {
		for _, format := range formats {
			path := filepath.Join(dir, f.Name+"."+format)
			if err := SaveFigure(ctx, path, f); err != nil {
				if ctx.Err() != nil {
					return paths, ctx.Err()
				}
				a.warn("figure %s left out: %v", f.Name, err)
				continue
			}
			paths = append(paths, path)
		}
	}
	return paths, nil
}
