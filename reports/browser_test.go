package reports

import (
	"context"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/optbench/optbench/results"
)

// chromium finds a headless browser, skipping the test without one unless
// OPTBENCH_REQUIRE_BROWSER=1, when its absence is a failure.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv("OPTBENCH_REQUIRE_BROWSER") == "1" {
		t.Fatal("no chromium found and OPTBENCH_REQUIRE_BROWSER=1")
	}
	t.Skip("no chromium found (set OPTBENCH_REQUIRE_BROWSER=1 to require it)")
	return ""
}

// dumpDOM loads url in headless Chromium and returns the DOM after its
// scripts ran.
func dumpDOM(t *testing.T, browser, url string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+t.TempDir(), "--dump-dom", url)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	return string(out)
}

// TestBrowser renders a report and loads it in headless Chromium: the page's
// script must run without error, the tables must have their rows, every
// figure must decode, and with #selftest the page clicks its own headers
// and checks that the rows come out sorted.
func TestBrowser(t *testing.T) {
	browser := chromium(t)
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	in := demoInput()
	in.Boundary = moonsBoundary
	dir := t.TempDir()
	path, err := WriteHTML(context.Background(), dir, in, Options{Target: ptr(0.85)})
	if err != nil {
		t.Fatal(err)
	}
	dom := dumpDOM(t, browser, "file://"+path+"#selftest")

	root := regexp.MustCompile(`<html[^>]*>`).FindString(dom)
	if !strings.Contains(root, `data-ok="1"`) {
		t.Errorf("the page's script did not finish: %s", root)
	}
	if m := regexp.MustCompile(`data-errors="([^"]*)"`).FindStringSubmatch(root); m != nil {
		t.Errorf("script errors: %s", m[1])
	}
	if !strings.Contains(root, `data-selftest="pass"`) {
		t.Errorf("self-test did not pass: %s", root)
	}
	for name, rows := range map[string]int{"leaderboard": 2, "sensitivity": 11, "trials": 14} {
		re := regexp.MustCompile(`(?s)<table class="sortable" data-table="` + name + `"[^>]*>.*?</table>`)
		table := re.FindString(dom)
		if table == "" {
			t.Errorf("table %s missing", name)
			continue
		}
		if got := strings.Count(table, "<tr>") - 1; got != rows {
			t.Errorf("table %s has %d rows, want %d", name, got, rows)
		}
		if !strings.Contains(table, `data-sorted="1"`) {
			t.Errorf("table %s was not sorted by the self-test", name)
		}
	}
	// The ten of TestFigureStructure with the optimization history.
	if n := strings.Count(dom, `<img src="data:image/svg+xml;base64,`); n != 11 {
		t.Errorf("%d figures, want 11", n)
	}
}

// TestBrowserBlocksInjected checks that the page's Content-Security-Policy
// is in force and not only well formed: markup that escaping had let
// through, an inline script and an inline event handler, does not run,
// while the page's own script still does.
func TestBrowserBlocksInjected(t *testing.T) {
	browser := chromium(t)
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	dir := t.TempDir()
	path, err := WriteHTML(context.Background(), dir, demoInput(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const injected = `<script>document.documentElement.setAttribute("data-injected-script", "1")</script>` +
		// A 1×1 GIF: data: images are allowed, so the image loads and
		// only the policy stops its handler.
		`<img src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7" ` +
		`onload="document.documentElement.setAttribute('data-injected-handler', '1')">`
	tampered := strings.Replace(string(page), "<header>", "<header>"+injected, 1)
	if tampered == string(page) {
		t.Fatal("no <header> to inject into")
	}
	if err := os.WriteFile(path, []byte(tampered), 0o644); err != nil {
		t.Fatal(err)
	}
	root := regexp.MustCompile(`<html[^>]*>`).FindString(dumpDOM(t, browser, "file://"+path))
	if !strings.Contains(root, `data-ok="1"`) {
		t.Errorf("the page's own script did not run: %s", root)
	}
	for _, ran := range []string{"data-injected-script", "data-injected-handler"} {
		if strings.Contains(root, ran) {
			t.Errorf("injected markup ran (%s): %s", ran, root)
		}
	}
	for _, blocked := range []string{"script-src-elem inline", "script-src-attr inline"} {
		if !strings.Contains(root, "blocked by the page's Content-Security-Policy: "+blocked) {
			t.Errorf("no violation reported for %s: %s", blocked, root)
		}
	}
}

// TestBrowserAcross loads the page of a comparison across problems: its
// script runs, the self-test sorts its tables, the rank and profile
// tables have a row per optimizer and the profile figure decodes.
func TestBrowserAcross(t *testing.T) {
	browser := chromium(t)
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	a, err := AnalyzeAcross(context.Background(), acrossFixture(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	path, err := WriteAcrossHTML(context.Background(), t.TempDir(), a)
	if err != nil {
		t.Fatal(err)
	}
	dom := dumpDOM(t, browser, "file://"+path+"#selftest")
	root := regexp.MustCompile(`<html[^>]*>`).FindString(dom)
	if !strings.Contains(root, `data-ok="1"`) || !strings.Contains(root, `data-selftest="pass"`) {
		t.Errorf("the page's script did not finish or its self-test failed: %s", root)
	}
	// sgd diverged on spiral: no row on its leaderboard, "—" in the ranks.
	for name, rows := range map[string]int{"leaderboard-moons": 3, "leaderboard-quad": 3, "leaderboard-spiral": 2,
		"ranks": 3, "performance-profile": 3} {
		table := regexp.MustCompile(`(?s)<table class="sortable" data-table="` + name + `"[^>]*>.*?</table>`).FindString(dom)
		if got := strings.Count(table, "<tr>") - 1; got != rows {
			t.Errorf("table %s has %d rows, want %d", name, got, rows)
		}
	}
	if n := strings.Count(dom, `<img src="data:image/svg+xml;base64,`); n != 1 {
		t.Errorf("%d figures, want the profile", n)
	}
}

// TestBrowserSections loads, in headless Chromium, the page of each kind
// of sweep whose report has sections of its own: random search
// (importance table, metric against each parameter, parallel
// coordinates, history), a pruned adaptive search (every trial's curve
// with the rungs), schedules grouped by schedule (the learning rate per
// epoch), a held-out test split (the evaluation column), a 2-D test
// function (trajectories) and a sweep of several experiments (the
// comparison across them). On each: the script runs without error, the
// self-test sorts every table that has a numeric column and two rows and
// finds every figure decoded, every table and figure of the report is on
// the page with all its rows, and nothing refers to anything outside the
// page (default-src 'none' would block it; the test checks none is asked for).
func TestBrowserSections(t *testing.T) {
	browser := chromium(t)
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	ctx := context.Background()
	several := Input{Sweep: results.SweepRecord{Name: "several", Experiment: "moons-mlp,quadratic", Metric: "train_loss", Goal: "minimize"}}
	for _, p := range acrossFixture()[:2] {
		for _, tr := range p.Trials {
			tr.Final["train_loss"] = 0.1 + tr.Final[p.Sweep.Metric]
			several.Trials = append(several.Trials, tr)
		}
	}
	for _, tc := range []struct {
		name    string
		in      Input
		opt     Options
		tables  []string // at least these, with these figures
		figures []string
	}{
		{"random", searchInput(60), Options{}, []string{"leaderboard", "importance"},
			[]string{"history", "param-lr", "param-beta1", "param-activation", "parallel-coordinates"}},
		{"pruned", adaptiveInput(90, 27, halvingStops), Options{}, []string{"leaderboard"}, []string{"pruned-curves", "history"}},
		{"by-schedule", lrDecayInput(), Options{By: "schedule"}, []string{"leaderboard", "sensitivity"}, []string{"lr-curves"}},
		{"test-split", testSplitInput(), Options{}, []string{"leaderboard"}, nil},
		{"trajectories", rosenbrockInput(40), Options{}, []string{"leaderboard"}, []string{"trajectories-rosenbrock"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Analyze(ctx, tc.in, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			tables, err := r.Tables()
			if err != nil {
				t.Fatal(err)
			}
			figs, err := r.Figures(ctx)
			if err != nil {
				t.Fatal(err)
			}
			path, err := r.WriteHTML(ctx, t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			dom := checkPage(t, browser, path, tables, figs, tc.tables, tc.figures)
			if tc.name == "test-split" && !strings.Contains(dom, "test_accuracy (evaluation)") {
				t.Error("no evaluation column on the page")
			}
		})
	}
	t.Run("several-experiments", func(t *testing.T) {
		a, err := AnalyzeAcross(ctx, several.Problems(), Options{})
		if err != nil {
			t.Fatal(err)
		}
		path, err := WriteAcrossHTML(ctx, t.TempDir(), a)
		if err != nil {
			t.Fatal(err)
		}
		checkPage(t, browser, path, a.Tables(), a.Figures(), []string{"leaderboard-moons-mlp", "leaderboard-quadratic", "ranks",
			"performance-profile"}, []string{"perf-profile"})
	})
}

// checkPage loads the page at path with #selftest and checks it against
// the tables and figures it was made from, which must include the named
// ones. It returns the page's DOM.
func checkPage(t *testing.T, browser, path string, tables []*Table, figs []*Figure, wantTables, wantFigures []string) string {
	t.Helper()
	dom := dumpDOM(t, browser, "file://"+path+"#selftest")
	root := regexp.MustCompile(`<html[^>]*>`).FindString(dom)
	if !strings.Contains(root, `data-ok="1"`) || !strings.Contains(root, `data-selftest="pass"`) ||
		strings.Contains(root, "data-errors") {
		t.Errorf("the page's script did not finish, reported errors, or its self-test failed: %s", root)
	}
	var names []string
	for _, table := range tables {
		names = append(names, table.Name)
		html := regexp.MustCompile(`(?s)<table class="sortable" data-table="` + regexp.QuoteMeta(table.Name) + `"[^>]*>.*?</table>`).FindString(dom)
		if len(table.Rows) == 0 {
			continue // "No rows."
		}
		if got := strings.Count(html, "<tr>") - 1; got != len(table.Rows) {
			t.Errorf("table %s: %d rows on the page, want %d", table.Name, got, len(table.Rows))
		}
		numeric := slices.ContainsFunc(table.Columns, func(c Column) bool { return c.Numeric })
		if numeric && len(table.Rows) >= 2 && !strings.Contains(html, `data-sorted="1"`) {
			t.Errorf("table %s was not sorted by the self-test", table.Name)
		}
	}
	for _, want := range wantTables {
		if !slices.Contains(names, want) {
			t.Errorf("tables %v lack %s", names, want)
		}
	}
	names = names[:0]
	for _, f := range figs {
		names = append(names, f.Name)
		if !strings.Contains(dom, `<figure id="fig-`+f.Name+`">`+"\n"+`<img src="data:image/svg+xml;base64,`) {
			t.Errorf("figure %s is not on the page as an inline SVG", f.Name)
		}
	}
	for _, want := range wantFigures {
		if !slices.Contains(names, want) {
			t.Errorf("figures %v lack %s", names, want)
		}
	}
	for _, m := range regexp.MustCompile(`(?:src|href|action|srcset)="([^"]*)"`).FindAllStringSubmatch(dom, -1) {
		if !strings.HasPrefix(m[1], "data:") && !strings.HasPrefix(m[1], "#") {
			t.Errorf("the page refers to %q, outside itself", m[1])
		}
	}
	if strings.Contains(dom, "url(") || strings.Contains(dom, "@import") {
		t.Error("the page's style refers to a URL")
	}
	return dom
}
