package reports

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

// pedReference is testdata/ped_anova_reference.json: studies and the
// importances Optuna's PedAnovaImportanceEvaluator gave them.
type pedReference struct {
	Optuna       string `json:"optuna"`
	OptunaCommit string `json:"optuna_commit"`
	Studies      []struct {
		Name      string `json:"name"`
		Direction string `json:"direction"`
		Params    []struct {
			Name    string   `json:"name"`
			Kind    string   `json:"kind"`
			Low     float64  `json:"low"`
			High    float64  `json:"high"`
			Log     bool     `json:"log"`
			Choices []string `json:"choices"`
		} `json:"params"`
		Trials []struct {
			Params map[string]any `json:"params"`
			Value  float64        `json:"value"`
		} `json:"trials"`
		Importances map[string]float64 `json:"importances"`
	} `json:"studies"`
}

// TestPEDANOVAReference compares pedANOVA with Optuna's evaluator on the
// studies of testdata/ped_anova_reference.py. Both compute the same
// float64 formulas over the same 50-point grid; they differ only in how
// the normal's mass over a grid cell is evaluated (Optuna in log space,
// here with erfc on the precise side) and in summation order, which moves
// the result by ~1e-13 relative. A relative tolerance of 1e-9 leaves
// room for that and still catches any change of the algorithm (a grid
// point, a bandwidth or a weight off changes the third digit).
func TestPEDANOVAReference(t *testing.T) {
	const tol = 1e-9
	b, err := os.ReadFile("testdata/ped_anova_reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref pedReference
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	t.Logf("reference: Optuna %s (commit %s)", ref.Optuna, ref.OptunaCommit)
	for _, s := range ref.Studies {
		t.Run(s.Name, func(t *testing.T) {
			losses := make([]float64, len(s.Trials))
			for i, tr := range s.Trials {
				losses[i] = tr.Value
				if s.Direction == "maximize" {
					losses[i] = -tr.Value
				}
			}
			domains := make([]paramDomain, len(s.Params))
			xs := make([][]float64, len(s.Params))
			for p, sp := range s.Params {
				domains[p] = paramDomain{Name: sp.Name, Numeric: sp.Kind == "float", Log: sp.Log, Low: sp.Low, High: sp.High, Choices: sp.Choices}
				xs[p] = make([]float64, len(s.Trials))
				for i, tr := range s.Trials {
					xs[p][i] = math.NaN()
					switch v := tr.Params[sp.Name].(type) {
					case float64:
						xs[p][i] = v
					case string:
						xs[p][i] = float64(slices.Index(sp.Choices, v))
					}
				}
			}
			got := pedANOVA(losses, xs, domains)
			for p, d := range domains {
				want := s.Importances[d.Name]
				if !scalar.EqualWithinAbsOrRel(got[p], want, 1e-15, tol) {
					t.Errorf("%s: importance %.17g, Optuna %.17g (relative error %.3g)", d.Name, got[p], want, math.Abs(got[p]-want)/want)
				}
			}
		})
	}
}

// TestImportances: on a search sweep, the learning rate, which drives the
// metric, is the most important parameter; a grid sweep with few values
// gets none.
func TestImportances(t *testing.T) {
	r, err := Analyze(context.Background(), searchInput(60), Options{})
	if err != nil {
		t.Fatal(err)
	}
	imp := r.Importances()
	if len(imp) != 3 || imp[0].Param != "lr" {
		t.Fatalf("importances %+v, want lr first of 3", imp)
	}
	total := 0.0
	for _, v := range imp {
		total += v.Share
	}
	if !scalar.EqualWithinAbsOrRel(total, 1, 1e-12, 1e-12) {
		t.Errorf("shares sum to %v", total)
	}
	grid, err := Analyze(context.Background(), demoInput(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if imp := grid.Importances(); imp != nil {
		t.Errorf("grid sweep: importances %+v, want none", imp)
	}
}

func TestImportanceTable(t *testing.T) {
	for _, tc := range []struct {
		configs  int
		unstable bool // fewer than pedMinTop configurations in the top tenth
	}{{60, false}, {30, true}} {
		r, err := Analyze(context.Background(), searchInput(tc.configs), Options{})
		if err != nil {
			t.Fatal(err)
		}
		tables, err := r.Tables()
		if err != nil {
			t.Fatal(err)
		}
		tab := tables[len(tables)-1]
		if tab.Name != "importance" || len(tab.Rows) != 3 || tab.Rows[0][0].Text != "lr" {
			t.Fatalf("%d configurations: last table %s, rows %v", tc.configs, tab.Name, tab.Rows)
		}
		notes := strings.Join(tab.Notes, "\n")
		if got := strings.Contains(notes, "unstable"); got != tc.unstable {
			t.Errorf("%d configurations: unstable note = %v, want %v:\n%s", tc.configs, got, tc.unstable, notes)
		}
		if tc.configs == 60 {
			for _, f := range []Format{FormatText, FormatJSON} {
				var buf bytes.Buffer
				if err := tab.Write(&buf, f, 100); err != nil {
					t.Fatal(err)
				}
				golden(t, "importance."+f.FileExt(), buf.Bytes())
			}
		}
	}
	grid, err := Analyze(context.Background(), demoInput(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if grid.ImportanceTable() != nil {
		t.Error("grid sweep has an importance table")
	}
}
