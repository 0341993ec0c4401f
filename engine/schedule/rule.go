package schedule

import (
	"embed"

	"github.com/optbench/optbench/engine/hparam"
)

// sources holds this package's source, from which Rule reads each
// schedule's documented formula.
//
//go:embed *.go
var sources embed.FS

// Rule returns the formula of the named schedule as its doc comment states
// it, in the notation of that comment (α0 the initial rate, e the epoch).
func Rule(name string) (string, error) {
	if _, err := lookup(name); err != nil {
		return "", err
	}
	return hparam.Rule(sources, name+".go")
}
