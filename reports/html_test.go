package reports

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"html"
	"maps"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/engine/train"
	"github.com/optbench/optbench/results"
)

func writePage(t *testing.T, in Input, opt Options) string {
	t.Helper()
	dir := t.TempDir()
	path, err := WriteHTML(context.Background(), dir, in, opt)
	if err != nil {
		t.Fatal(err)
	}
	if path != filepath.Join(dir, "index.html") {
		t.Errorf("path %s", path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestHTMLContent(t *testing.T) {
	page := writePage(t, demoInput(), Options{Target: ptr(0.85)})
	for _, want := range []string{
		"<h1>demo</h1>",
		"Adam against SGD on two moons.",
		"sweeps/demo.yaml",
		"<details><summary>Sweep file sweeps/demo.yaml</summary>",
		"name: demo\nexperiment: moons\nmetric: val_accuracy\n",
		`<table class="sortable" data-table="leaderboard">`,
		`<table class="sortable" data-table="sensitivity">`,
		`<table class="sortable" data-table="trials">`,
		`id="fig-curve-val_accuracy"`,
		`<img src="data:image/svg&#43;xml;base64,`,
		"abc123 (uncommitted changes)",
		"optbench run sweeps/demo.yaml",
		"1 of 42 trials diverged",
		"Content-Security-Policy",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// Nothing is fetched: no URL with a scheme other than data:, no
	// external fonts or scripts.
	for _, bad := range []string{"http://", "https://", "@import", "<link", "src=\"//"} {
		if strings.Contains(page, bad) {
			t.Errorf("page references the network: %q", bad)
		}
	}
	if n := strings.Count(page, "<tr>"); n != 1+2+1+11+1+14+1+1 {
		t.Errorf("%d table rows", n)
	}
}

// Names and values from sweep files are shown as text wherever they land:
// element text (the title, a table cell, a caption) or an attribute (a
// cell's sort key, a figure's alt text). Whatever got through would still
// not run (TestHTMLContentSecurityPolicy, TestBrowserBlocksInjected).
func TestHTMLEscapes(t *testing.T) {
	for _, tc := range []struct {
		name, payload, escaped string
	}{
		{"script element", "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
		{"double-quoted attribute", `" onmouseover=alert(1) x="`, "&#34; onmouseover=alert(1) x=&#34;"},
		{"single-quoted attribute", `' onmouseover=alert(1) x='`, "&#39; onmouseover=alert(1) x=&#39;"},
		{"tag", `"><img src=x onerror=alert(1)>`, "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := demoInput()
			in.Sweep.Name = tc.payload
			in.Sweep.Description = tc.payload
			in.Sweep.Source = "</pre>" + tc.payload
			for i := range in.Trials {
				params := maps.Clone(in.Trials[i].Params)
				params["activation"] = "relu"
				if in.Trials[i].Optimizer == "sgd" {
					in.Trials[i].Optimizer = tc.payload
					params["activation"] = tc.payload
				}
				in.Trials[i].Params = params
			}
			page := writePage(t, in, Options{})
			checkCSP(t, page)
			for _, bad := range []string{tc.payload, "</pre><"} {
				if strings.Contains(page, bad) {
					t.Errorf("page contains %q unescaped", bad)
				}
			}
			for _, want := range []struct{ where, text string }{
				{"the sweep's name", "<h1>" + tc.escaped + "</h1>"},
				{"the sweep's name in the title", "<title>" + tc.escaped + " — optbench report</title>"},
				{"the sweep's source", "<pre class=\"source\">&lt;/pre&gt;" + tc.escaped + "</pre>"},
				{"the optimizer's name", `">` + tc.escaped + "</td>"},
				// Non-numeric cells sort by their text, held in an attribute.
				{"the optimizer's name as a sort key", `data-v="` + tc.escaped + `"`},
				{"the parameter's value", "activation=" + tc.escaped + "</td>"},
				{"the parameter's value as a sort key", "activation=" + tc.escaped + `">`},
				{"the optimizer's name in a figure's alt text", "; #~1 " + tc.escaped + " lr=1 bs=64"},
			} {
				if !strings.Contains(page, want.text) {
					t.Errorf("%s is not shown as text: page lacks %q", want.where, want.text)
				}
			}
		})
	}
}

// The page's policy allows exactly its own inline scripts and style, by
// hash: no 'unsafe-inline', no event handler attributes (which no hash
// covers), nothing fetched.
func TestHTMLContentSecurityPolicy(t *testing.T) {
	page := writePage(t, demoInput(), Options{Target: ptr(0.85)})
	csp := checkCSP(t, page)
	if got := len(csp["script-src"]); got != 2 {
		t.Errorf("script-src lists %d sources, want the page's 2 scripts", got)
	}
	if got := len(csp["style-src"]); got != 1 {
		t.Errorf("style-src lists %d sources, want the page's 1 style", got)
	}
	if strings.Contains(page, "unsafe-inline") {
		t.Error("page mentions 'unsafe-inline'")
	}
}

// checkCSP checks that page's Content-Security-Policy lists the SHA-256 of
// each of its inline scripts and styles and nothing else, fetches nothing,
// and that no element carries an event handler or style attribute. It
// returns the policy's directives.
func checkCSP(t *testing.T, page string) map[string][]string {
	t.Helper()
	metas := regexp.MustCompile(`<meta http-equiv="Content-Security-Policy" content="([^"]*)">`).FindAllStringSubmatchIndex(page, -1)
	if len(metas) != 1 {
		t.Fatalf("page has %d Content-Security-Policy meta elements, want 1", len(metas))
	}
	policy := html.UnescapeString(page[metas[0][2]:metas[0][3]])
	csp := map[string][]string{}
	for _, d := range strings.Split(policy, ";") {
		f := strings.Fields(d)
		if len(f) == 0 {
			continue
		}
		if _, dup := csp[f[0]]; dup {
			t.Errorf("directive %s given twice in %q", f[0], policy)
		}
		csp[f[0]] = f[1:]
	}
	for directive, want := range map[string][]string{
		"default-src": {"'none'"}, "img-src": {"data:"}, "base-uri": {"'none'"}, "form-action": {"'none'"},
	} {
		if !slices.Equal(csp[directive], want) {
			t.Errorf("%s is %q, want %q", directive, csp[directive], want)
		}
	}
	for directive := range csp {
		switch directive {
		case "default-src", "img-src", "base-uri", "form-action", "script-src", "style-src":
		default:
			t.Errorf("unexpected directive %s in %q", directive, policy)
		}
	}

	// What an HTML parser sees as the text of each element: script and
	// style are raw text, ended by the first matching end tag.
	rest := page
	for _, element := range []string{"script", "style"} {
		re := regexp.MustCompile(`(?is)<` + element + `\b([^>]*)>(.*?)</` + element)
		matches := re.FindAllStringSubmatchIndex(page, -1)
		if n := len(regexp.MustCompile(`(?i)<`+element+`\b`).FindAllStringIndex(page, -1)); n != len(matches) {
			t.Errorf("%d <%s> tags, %d complete elements", n, element, len(matches))
		}
		var hashes []string
		for _, m := range matches {
			if m[0] < metas[0][0] {
				t.Errorf("a <%s> comes before the policy, which does not cover it", element)
			}
			if attrs := page[m[2]:m[3]]; attrs != "" {
				t.Errorf("<%s%s>: want no attributes (no src)", element, attrs)
			}
			sum := sha256.Sum256([]byte(page[m[4]:m[5]]))
			hashes = append(hashes, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
			rest = strings.Replace(rest, page[m[4]:m[5]], "", 1)
		}
		if len(hashes) == 0 {
			t.Errorf("page has no inline %s", element)
		}
		listed := csp[element+"-src"]
		if !slices.Equal(slices.Sorted(slices.Values(listed)), slices.Sorted(slices.Values(hashes))) {
			t.Errorf("%s-src lists %q, want exactly the hashes of the page's %d %s elements %q", element, listed, len(hashes), element, hashes)
		}
		for _, src := range listed {
			if !strings.HasPrefix(src, "'sha256-") {
				t.Errorf("%s-src allows %s", element, src)
			}
		}
	}

	// Outside script and style, every attribute of every tag: hashes do not
	// cover handlers or style attributes, so the page must have none.
	attr := regexp.MustCompile(`\s+([^\s"'>/=]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?`)
	for _, tag := range regexp.MustCompile(`<[a-zA-Z][^\s/>]*((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*/?>`).FindAllStringSubmatch(rest, -1) {
		for _, a := range attr.FindAllStringSubmatch(tag[1], -1) {
			name := strings.ToLower(a[1])
			if strings.HasPrefix(name, "on") || name == "style" {
				t.Errorf("%s carries a %s attribute", tag[0], name)
			}
		}
	}
	return csp
}

// The policy's sources are the hashes of the text as a browser sees it,
// with line endings normalized as HTML parsers do.
func TestInlineContent(t *testing.T) {
	// The SHA-256 of the empty string, as browsers print it in their
	// console when they block an empty inline script.
	const empty = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
	c := newInlineContent("", "\r\n", "\r")
	if c.PageJS != "\n" || c.CSS != "\n" {
		t.Errorf("line endings kept: %q, %q", c.PageJS, c.CSS)
	}
	newline := hashSource("\n")
	want := `content="default-src 'none'; img-src data:; style-src ` + newline + `; script-src ` + empty + " " + newline +
		`; base-uri 'none'; form-action 'none'"`
	if string(c.CSP) != want {
		t.Errorf("policy\n%s\nwant\n%s", c.CSP, want)
	}
	for _, bad := range [][3]string{{"a</SCRIPT>", "", ""}, {"", "<!--", ""}, {"", "", "</style>"}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("newInlineContent(%q) did not panic", bad)
				}
			}()
			newInlineContent(bad[0], bad[1], bad[2])
		}()
	}
}

func TestHTMLCaveats(t *testing.T) {
	oneSeed := demoInput()
	oneSeed.Trials = buildTrials("demo", demoConfigs()[:8], 1)
	oneSeed.Curves = curvesFor(oneSeed.Trials, 20)

	diverged := demoInput()
	for i := range diverged.Trials {
		diverged.Trials[i].Status = train.Diverged
		diverged.Trials[i].Final = map[string]float64{"train_loss": math.Inf(1)}
	}

	empty := demoInput()
	empty.Trials = nil

	for _, tc := range []struct {
		name   string
		in     Input
		status string
		says   []string
	}{
		{"one seed", oneSeed, "one-seed", []string{"1 seed: no confidence interval", "Each configuration has 1 seed"}},
		{"all diverged", diverged, "diverged", []string{"Every trial diverged (42 of 42): there is no result to rank."}},
		{"empty", empty, "empty", []string{"This sweep is empty: no trials were recorded."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page := writePage(t, tc.in, Options{Target: ptr(0.5)})
			checkCSP(t, page)
			if !strings.Contains(page, `data-status="`+tc.status+`"`) {
				t.Errorf("status is not %s", tc.status)
			}
			for _, s := range tc.says {
				if !strings.Contains(page, s) {
					t.Errorf("page does not say %q", s)
				}
			}
		})
	}
	// One seed: no interval in the leaderboard, a dash instead.
	r, err := Analyze(context.Background(), oneSeed, Options{})
	if err != nil {
		t.Fatal(err)
	}
	lb := r.Leaderboard()
	if got := lb.Rows[0][4].Text; got != dash {
		t.Errorf("one seed: CI %q, want %q", got, dash)
	}
	if !strings.Contains(strings.Join(lb.Notes, "\n"), "1 seed: no confidence interval") {
		t.Errorf("one seed: notes %q", lb.Notes)
	}
}

// A failed run leaves the previous page whole and no temporary files.
func TestHTMLAtomic(t *testing.T) {
	dir := t.TempDir()
	path, err := WriteHTML(context.Background(), dir, demoInput(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	in := demoInput()
	in.Curves = func(context.Context, []string) (map[string][]train.Epoch, error) {
		return nil, errors.New("database is locked")
	}
	if _, err := WriteHTML(context.Background(), dir, in, Options{}); err == nil || !strings.Contains(err.Error(), "database is locked") {
		t.Errorf("err = %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := WriteHTML(ctx, dir, demoInput(), Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}
	after, _ := os.ReadFile(path)
	if string(before) != string(after) {
		t.Error("the page changed after failed runs")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only index.html", len(entries))
	}
	// A directory that cannot be created is an error, not a panic.
	file := filepath.Join(dir, "index.html")
	if _, err := WriteHTML(context.Background(), filepath.Join(file, "sub"), demoInput(), Options{}); err == nil {
		t.Error("writing under a file succeeded")
	}
}

// Whatever the records hold, a report is produced without a panic.
func TestNoPanicOnOddInput(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	odd := []results.TrialRecord{
		{Key: "a", Optimizer: "adam", Params: engine.Params{"lr": 0.0, "batch_size": 0.0, "beta1": nan, "beta2": inf}, Status: train.Completed,
			Final: map[string]float64{"val_accuracy": 0.5}, WallSeconds: nan},
		{Key: "b", Optimizer: "adam", Params: engine.Params{"lr": -1.0, "batch_size": -8.0, "beta1": 0.9, "beta2": 0.99}, Status: train.Completed,
			Final: map[string]float64{"val_accuracy": inf}, WallSeconds: -1},
		{Key: "c", Optimizer: "adam", Params: engine.Params{"lr": 1e300, "batch_size": 1e300, "beta1": 0.9, "beta2": 0.999}, Status: train.Completed,
			Final: map[string]float64{"val_accuracy": -1e300}},
		{Key: "d", Optimizer: "", Params: nil, Status: "weird"},
		{Key: "e", Optimizer: "sgd", Params: engine.Params{"lr": "fast", "hidden": []float64{}, "x": true, "odd": struct{}{}}, Status: train.Completed,
			Final: map[string]float64{"val_accuracy": 0.7}},
		{Key: "f", Optimizer: "sgd", Params: engine.Params{"lr": "slow", "hidden": []float64{}, "x": false, "odd": struct{}{}}, Status: train.Completed,
			Final: nil},
		{Key: "g", Optimizer: "gd", Params: engine.Params{"lr": 0.1}, Status: train.Completed, Final: map[string]float64{"val_accuracy": 0.6}},
		{Key: "h", Optimizer: "gd", Params: engine.Params{"lr": 0.1}, Status: train.Completed, Final: map[string]float64{"val_accuracy": 0.6}},
	}
	curves := func(ctx context.Context, keys []string) (map[string][]train.Epoch, error) {
		return map[string][]train.Epoch{
			"a": {{Epoch: 0, Values: metric.Values{metric.TrainLoss: nan, metric.ValAccuracy: inf, metric.X: nan, metric.Y: nan}}},
			"c": {{Epoch: 5, Values: metric.Values{metric.TrainLoss: -inf, metric.ValAccuracy: 1e308, metric.X: inf, metric.Y: 1}}, {Epoch: -3, Values: metric.Values{metric.TrainLoss: 1, metric.X: 1, metric.Y: nan}}},
			"g": {},
			"h": nil,
		}, nil
	}
	inputs := map[string]Input{
		"odd": {Sweep: results.SweepRecord{Name: "odd\x00name", Metric: "val_accuracy", Goal: "sideways"}, Trials: odd, Curves: curves,
			Surface: func(string) (*Surface, error) {
				return &Surface{Value: func(x, y float64) float64 { panic("boom") }, XMin: 1, XMax: 1}, nil
			},
			Boundary: func(context.Context, string) (*Boundary, error) {
				return &Boundary{Predict: func(x, y float64) float64 { return nan }, Points: []LabeledPoint{{X: nan, Y: 1, Label: -1}, {X: 1, Y: 1, Label: 1 << 40}}}, nil
			}},
		"no metric": {Trials: odd},
		"nil loaders": {Sweep: results.SweepRecord{Metric: "val_accuracy"}, Trials: odd,
			Surface:  func(string) (*Surface, error) { return nil, nil },
			Boundary: func(context.Context, string) (*Boundary, error) { return nil, errors.New("cannot retrain") }},
		"rosenbrock constant": func() Input {
			in := rosenbrockInput(5)
			in.Surface = func(string) (*Surface, error) { return &Surface{Value: func(x, y float64) float64 { return 1 }}, nil }
			return in
		}(),
		"zero": {},
	}
	for name, in := range inputs {
		t.Run(name, func(t *testing.T) {
			for _, opt := range []Options{{}, {Target: ptr(0.5), Smoothing: 0.9, Band: BandCI, Heatmap: [2]string{"lr", "batch_size"}, Spread: 1, Width: 10}} {
				page := writePage(t, in, opt)
				if !strings.Contains(page, "</html>") {
					t.Error("page incomplete")
				}
				checkCSP(t, page)
				r, err := Analyze(context.Background(), in, opt)
				if err != nil {
					t.Fatal(err)
				}
				tables, _ := r.Tables()
				for _, tab := range tables {
					for _, f := range Formats {
						if err := tab.Write(new(strings.Builder), f, opt.Width); err != nil {
							t.Errorf("%s %s: %v", tab.Name, f, err)
						}
					}
				}
			}
		})
	}
}
