package reports

import (
	"context"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
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
