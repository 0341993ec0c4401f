package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/optbench/optbench/experiments"
	"github.com/optbench/optbench/sweeps"
)

// TestReproduceCoversCourseSweeps: `make reproduce` runs and reproduces
// every published table optbench knows (experiments.References), in the
// Makefile's order run-then-reproduce, and each table's shipped sweep
// (sweeps/NAME.yaml) plans exactly the trials the table is checked
// against, so reproduce finds every row.
func TestReproduceCoversCourseSweeps(t *testing.T) {
	mk, err := os.ReadFile(filepath.Join("..", "..", "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	target := regexp.MustCompile(`(?m)^reproduce:.*\n((?:\t.*\n)+)`).FindSubmatch(mk)
	if target == nil {
		t.Fatal("Makefile has no reproduce target")
	}
	var ran, reproduced []string
	for _, m := range regexp.MustCompile(`(?m)^\t\$\(BIN\) (run|reproduce) --db \$\(DB\) (\S+)$`).FindAllSubmatch(target[1], -1) {
		if string(m[1]) == "run" {
			ran = append(ran, string(m[2]))
		} else {
			reproduced = append(reproduced, string(m[2]))
		}
	}
	var names []string
	for _, ref := range experiments.References() {
		names = append(names, ref.Name)
		t.Run(ref.Name, func(t *testing.T) {
			file := "sweeps/" + ref.Name + ".yaml"
			i, j := slices.Index(ran, file), slices.Index(reproduced, ref.Name)
			if i < 0 || j < 0 || j < i {
				t.Fatalf("make reproduce does not run %s and then reproduce %s (runs %v, reproduces %v)", file, ref.Name, ran, reproduced)
			}
			sw, err := sweeps.Load(context.Background(), filepath.Join("..", "..", file))
			if err != nil {
				t.Fatal(err)
			}
			trials, err := sw.Trials()
			if err != nil {
				t.Fatal(err)
			}
			var planned, want []string
			for _, tr := range trials {
				planned = append(planned, tr.Key())
			}
			for _, run := range ref.Runs {
				tr, err := ref.Trial(run)
				if err != nil {
					t.Fatal(err)
				}
				want = append(want, tr.Key())
			}
			slices.Sort(planned)
			slices.Sort(want)
			if !slices.Equal(planned, want) {
				t.Errorf("%s plans trials %v; the published table's runs are %v", file, planned, want)
			}
		})
	}
	if len(reproduced) != len(names) {
		t.Errorf("make reproduce reproduces %v; the published tables are %v", reproduced, names)
	}
}
