package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// The CLI is tested end to end with testscript, the go command's own way:
// each testdata/script/*.txtar runs optbench commands in a fresh directory
// and checks their output and exit status.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"optbench": func() { os.Exit(main1()) },
	})
}

func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			sweeps, err := filepath.Abs("../../sweeps")
			if err != nil {
				return err
			}
			env.Setenv("OPTBENCH_DB", "")
			env.Setenv("SWEEPS", sweeps)
			return nil
		},
	})
}
