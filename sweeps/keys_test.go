package sweeps

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestTrialKeys pins the key of every trial of every shipped sweep (this
// directory's *.yaml) and of the fixtures in testdata/sweeps, in order, in
// testdata/keys. A key names a trial's stored results, so a change in
// expansion order, in random search's draws or in how parameters are
// resolved would orphan every stored result; go test -update rewrites the
// files when such a change is meant.
func TestTrialKeys(t *testing.T) {
	shipped, err := filepath.Glob("*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	fixtures, err := filepath.Glob(filepath.Join("testdata", "sweeps", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	files := append(shipped, fixtures...)
	if len(shipped) == 0 || len(fixtures) == 0 {
		t.Fatalf("%d shipped sweeps and %d fixtures", len(shipped), len(fixtures))
	}
	for _, file := range files {
		t.Run(file, func(t *testing.T) {
			s, err := Load(context.Background(), file)
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			fmt.Fprintf(&b, "# %s: %d configurations × %d seeds\n", file, s.Configurations(), len(s.Seeds))
			for _, tr := range mustTrials(t, s) {
				fmt.Fprintf(&b, "%s seed=%d\n", tr.Key(), tr.Seed)
			}
			name := strings.TrimSuffix(filepath.Base(file), ".yaml") + ".txt"
			golden(t, filepath.Join("testdata", "keys", name), b.Bytes())
		})
	}
}
