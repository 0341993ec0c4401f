package sweeps

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse checks that no input makes Parse panic, and that a sweep it
// accepts always expands.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("*.yaml")
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Add([]byte(head + "search: {method: random, samples: 3}\nparameters:\n  lr: {quantized: [0.1, 0.5, 0.1]}\n"))
	f.Add([]byte(head + "parameters:\n  batch_size: {pow2: [1, 1]}\n  hidden: {choices: [[], [3]]}\n"))
	f.Add([]byte("a: &x [*x]\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		s, err := Parse("fuzz.yaml", src)
		if err != nil {
			return
		}
		trials, err := s.Trials()
		if err != nil || len(trials) != s.Configurations()*len(s.Seeds) {
			t.Fatalf("accepted sweep: %d trials, %d configurations, %d seeds, %v",
				len(trials), s.Configurations(), len(s.Seeds), err)
		}
	})
}
