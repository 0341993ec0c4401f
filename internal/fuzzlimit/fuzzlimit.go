// Package fuzzlimit holds what the project's fuzz targets share: running
// one input under a time limit, so that a hang is found as well as a
// panic. It is imported by test files only (sweeps, engine/data, results)
// and imports only the standard library.
package fuzzlimit

import (
	"fmt"
	"runtime/debug"
	"testing"
	"time"
)

// Limit is how long one fuzz input may take before it counts as a hang
// (an input never returned from, or a quadratic blow-up such as the CSV
// duplicate-column check once was). The slowest seed, the sweep parser on
// c2w2-optimization.yaml, takes about 100 ms alone; the limit leaves room
// for a machine busy with fuzz workers.
const Limit = 2 * time.Second

// Within runs f and fails t if it panics or has not returned after Limit;
// what names the call in the message, with the input quoted. A timed-out f
// is left running: the test fails and its process ends.
func Within(t testing.TB, what string, input []byte, f func()) {
	t.Helper()
	done := make(chan string, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- fmt.Sprintf("%v\n%s", r, debug.Stack())
				return
			}
			done <- ""
		}()
		f()
	}()
	timer := time.NewTimer(Limit)
	defer timer.Stop()
	select {
	case p := <-done:
		if p != "" {
			t.Fatalf("%s panicked on input %s: %s", what, Quote(input), p)
		}
	case <-timer.C:
		t.Fatalf("%s did not return within %v on input %s", what, Limit, Quote(input))
	}
}

// Quote quotes input for a message, at most 2 000 bytes of it; the whole
// input is in the file go test -fuzz writes.
func Quote(input []byte) string {
	if len(input) > 2000 {
		return fmt.Sprintf("%q… (%d bytes)", input[:2000], len(input))
	}
	return fmt.Sprintf("%q", input)
}
