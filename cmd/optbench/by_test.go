package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestReportBySchedule reproduces issue 14's complaint on the shipped
// lr-decay sweep (schedules compared, one optimizer): the leaderboard has
// one row by optimizer; with --by schedule one row per schedule, curves
// for each, and the stored learning rate of each drawn in lr-curves.
func TestReportBySchedule(t *testing.T) {
	if testing.Short() {
		t.Skip("trains the lr-decay sweep")
	}
	db := filepath.Join(t.TempDir(), "r.db")
	if code, _, stderr := optbench(t, "run", "--quiet", "--db", db, filepath.Join("..", "..", "sweeps", "lr-decay.yaml")); code != 0 {
		t.Fatalf("run exited %d: %s", code, stderr)
	}
	rows := func(args ...string) []map[string]any {
		t.Helper()
		code, stdout, stderr := optbench(t, append([]string{"report", "--db", db, "--no-html", "--format", "json"}, args...)...)
		if code != 0 {
			t.Fatalf("report %v exited %d: %s", args, code, stderr)
		}
		var table struct{ Rows []map[string]any }
		if err := json.Unmarshal([]byte(stdout), &table); err != nil {
			t.Fatalf("%v: %s", err, stdout)
		}
		return table.Rows
	}
	if n := len(rows()); n != 1 {
		t.Errorf("by optimizer: %d leaderboard rows, want 1", n)
	}
	var schedules []string
	for _, r := range rows("--by", "schedule") {
		schedules = append(schedules, r["schedule"].(string))
	}
	slices.Sort(schedules)
	want := []string{"constant", "cosine", "exponential", "inverse_sqrt_epoch", "inverse_sqrt_step",
		"inverse_time", "piecewise_constant", "stepped_inverse_time"}
	if !slices.Equal(schedules, want) {
		t.Errorf("by schedule: rows of %v, want %v", schedules, want)
	}

	dir := filepath.Join(t.TempDir(), "figs")
	if code, _, stderr := optbench(t, "report", "--db", db, "--no-html", "--by", "schedule", "--figures", dir); code != 0 {
		t.Fatalf("report --figures exited %d: %s", code, stderr)
	}
	for _, name := range []string{"curve-val_accuracy.svg", "lr-curves.svg"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range want {
			if !strings.Contains(string(b), s) {
				t.Errorf("%s does not name schedule %s", name, s)
			}
		}
	}

	code, _, stderr := optbench(t, "report", "--db", db, "--no-html", "--by", "beta1")
	if code != 2 || !strings.Contains(stderr, `by "beta1" is not a parameter of the sweep`) {
		t.Errorf("--by beta1: exit %d, %q; want 2 and the parameters swept", code, stderr)
	}
}
