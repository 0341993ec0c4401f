package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

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
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			// waitfile FILE waits (up to a minute) until FILE exists, so a
			// script can act once a background command has got going.
			"waitfile": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) != 1 {
					ts.Fatalf("usage: waitfile FILE")
				}
				deadline := time.Now().Add(time.Minute)
				for {
					if _, err := os.Stat(ts.MkAbs(args[0])); err == nil {
						return
					}
					if time.Now().After(deadline) {
						ts.Fatalf("%s did not appear within a minute", args[0])
					}
					time.Sleep(10 * time.Millisecond)
				}
			},
		},
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
