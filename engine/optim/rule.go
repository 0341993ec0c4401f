package optim

import (
	"embed"

	"github.com/optbench/optbench/engine/hparam"
)

// sources holds this package's source, from which Rule reads each
// optimizer's documented update rule.
//
//go:embed *.go
var sources embed.FS

// Rule returns the update rule of the named optimizer as its doc comment
// states it, in the notation of that comment (α the learning rate, g the
// gradient, θ the parameters).
func Rule(name string) (string, error) {
	if _, err := lookup(name); err != nil {
		return "", err
	}
	return hparam.Rule(sources, name+".go")
}
