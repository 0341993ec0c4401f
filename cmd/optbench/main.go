package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/optbench/optbench/results"
)

func main() { os.Exit(main1()) }

// main1 is main without the exit, so end-to-end tests can run it.
func main1() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// A second Ctrl-C exits at once; the database stays consistent
		// because every trial is written in one transaction.
		<-ctx.Done()
		stop()
		again := make(chan os.Signal, 1)
		signal.Notify(again, os.Interrupt, syscall.SIGTERM)
		<-again
		fmt.Fprintln(os.Stderr, "optbench: interrupted again, exiting now")
		os.Exit(130)
	}()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	return exitCode(err, os.Stderr)
}

// exitCode prints err (if any) and returns the process exit status: 2 for
// usage errors, an invalid database path and a database that is not optbench's, of another schema
// version or damaged, 3 for a regression found, 1 for anything else.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	for _, invalid := range []error{results.ErrNotResults, results.ErrDamaged, results.ErrOlderSchema, results.ErrNewerSchema, results.ErrInvalidPath} {
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
	return 1
}
