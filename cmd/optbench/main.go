package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"

	"github.com/optbench/optbench/reports"
	"github.com/optbench/optbench/results"
	"github.com/optbench/optbench/sweeps"
)

func main() { os.Exit(main1()) }

// main1 is main without the exit, so end-to-end tests can run it.
//
// The first SIGINT, SIGTERM or (on Unix) SIGUSR1 cancels the context:
// run stops scheduling and lets running trials finish within the grace
// period. The exit status of an interrupted command is then 128 + the
// signal's number, as shells report it: 130 for SIGINT (Ctrl-C), 143 for
// SIGTERM, 138 for SIGUSR1 (Slurm's warning of a time limit). A second
// signal exits at once; the database stays consistent because trials are
// written in transactions, each whole or not at all, and the trials whose
// outcomes were still waiting for their commit stay claimed by this
// process and are trained again by the next run (results.Batch).
func main1() int {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, stopSignals...)
	defer signal.Stop(sigs)
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	var first atomic.Value // the first signal received
	go func() {
		s := <-sigs
		first.Store(s)
		cancel(fmt.Errorf("%v signal received", s))
		s = <-sigs
		fmt.Fprintln(os.Stderr, "optbench: interrupted again, exiting now")
		os.Exit(signalStatus(s))
	}()
	code := exitCode(run(ctx, os.Args[1:], os.Stdout, os.Stderr), os.Stderr)
	if s, ok := first.Load().(os.Signal); ok && code == 130 {
		// Commands report an interruption as 130; say which signal it was.
		code = signalStatus(s)
	}
	return code
}

// signalStatus is the exit status of a process stopped by s: 128 + its
// number.
func signalStatus(s os.Signal) int {
	if n, ok := s.(syscall.Signal); ok {
		return 128 + int(n)
	}
	return 130
}

// exitCode prints err (if any) and returns the process exit status: 2 for
// invalid input (usage errors; a sweep file or the data it names that is
// invalid or cannot be read, sweeps.ErrInvalid; an invalid database path
// and a database that is not optbench's, of another schema version or
// damaged), 3 for a regression or mismatch found, 1 for anything else.
// This is the one place errors are classified.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	for _, invalid := range []error{results.ErrNotResults, results.ErrDamaged, results.ErrOlderSchema, results.ErrNewerSchema, results.ErrInvalidPath, reports.ErrOption} {
		if errors.Is(err, invalid) {
			err = &exitError{code: 2, msg: err.Error()}
			break
		}
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintln(stderr, "optbench: "+ee.msg)
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "optbench: "+err.Error())
	if errors.Is(err, sweeps.ErrInvalid) {
		return 2
	}
	return 1
}
