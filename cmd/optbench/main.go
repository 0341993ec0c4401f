package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/optbench/optbench/sweeps"
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
// invalid input (usage errors, and a sweep file or the data it names that
// is invalid or cannot be read, sweeps.ErrInvalid), 3 for a regression
// found, 1 for anything else. This is the one place errors are classified.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return 0
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
