package reports

import (
	"fmt"
	"math"
	"strconv"
)

// pedMinTop is the fewest configurations in the top quantile for which
// Optuna's documentation calls PED-ANOVA stable.
const pedMinTop = 5

// ImportanceTable lists the swept parameters of a search by PED-ANOVA
// importance (Report.Importances), most important first; nil when the
// sweep is not a search.
func (r *Report) ImportanceTable() *Table {
	imp := r.Importances()
	if imp == nil {
		return nil
	}
	t := &Table{
		Name:  "importance",
		Title: fmt.Sprintf("Parameter importance for reaching the top %d%% of %s (PED-ANOVA)", int(pedTargetQuantile*100), r.Metric),
		Columns: []Column{
			{Name: "parameter", Keys: []string{"parameter"}},
			{Name: "importance", Keys: []string{"importance"}, Numeric: true},
			{Name: "share", Keys: []string{"share"}, Numeric: true},
		},
	}
	for _, v := range imp {
		t.Rows = append(t.Rows, []Cell{
			{Text: v.Param, Values: []any{v.Param}},
			{Text: strconv.FormatFloat(v.Divergence, 'g', 3, 64), Values: []any{v.Divergence}},
			{Text: strconv.FormatFloat(100*v.Share, 'f', 1, 64) + "%", Values: []any{v.Share}},
		})
	}
	n := len(r.searchConfigs())
	top := int(math.Ceil(pedTargetQuantile * float64(n)))
	t.Notes = append(t.Notes,
		fmt.Sprintf("importance: the Pearson divergence between the parameter's distribution among the best %d%% of the %d configurations with a value (seed means; ties included) and among all of them, "+
			"as Optuna's PedAnovaImportanceEvaluator (Watanabe et al., PED-ANOVA, IJCAI 2023); share: of the sum over parameters", int(pedTargetQuantile*100), n),
		"importance says which values the best configurations share, not how much the metric changes: a parameter can matter and score low if the best configurations span its range")
	if top < pedMinTop {
		t.Notes = append(t.Notes, fmt.Sprintf("only %d configuration%s in the top %d%%: fewer than %d, the importances are unstable (run more configurations)",
			top, plural(top), int(pedTargetQuantile*100), pedMinTop))
	}
	return t
}
