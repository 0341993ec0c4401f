package engine

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
	"time"

	"github.com/optbench/optbench/engine/train"
)

// Status is how a trial ended, as stored.
type Status string

const (
	StatusCompleted   Status = "completed"   // trained its whole budget (or stopped early by rule)
	StatusDiverged    Status = "diverged"    // the loss became NaN or ±Inf: a result, not an error
	StatusFailed      Status = "failed"      // the trial returned an error or panicked
	StatusInterrupted Status = "interrupted" // cut short by Ctrl-C; a rerun trains it again
)

// Outcome is everything a finished (or cut) trial produced.
type Outcome struct {
	Trial  Trial
	Key    string
	Status Status
	Error  string        // for failed trials
	Result train.Result  // final metrics, epochs, steps
	Curve  []train.Epoch // per-epoch metrics in order
	Start  time.Time
	End    time.Time
}

// Sink receives outcomes. The executor calls it from a single goroutine,
// in the order trials finish, so an implementation needs no locking.
type Sink interface {
	Record(ctx context.Context, o Outcome) error
}

// RunFunc trains one trial, calling observe after every epoch. An error is
// a failure of the trial (bad configuration, say), not of the sweep.
type RunFunc func(ctx context.Context, t Trial, observe func(train.Epoch)) (train.Result, error)

// Progress is the executor's running tally, passed to Executor.Progress
// after every recorded trial.
type Progress struct {
	Total, Done int
	Failed      int // trials that failed with an error
	Diverged    int
	Interrupted int
	Last        Outcome
	Elapsed     time.Duration
}

// Executor trains trials on a pool of workers.
type Executor struct {
	// Workers is the number of trials trained at once; default (0) the
	// number of CPUs.
	Workers int
	// Run trains one trial; required.
	Run RunFunc
	// Grace is how long running trials may go on after the context is
	// cancelled before they are cut and recorded as interrupted; default
	// (0) 10 s. Negative means cut at once.
	Grace time.Duration
	// Progress, when set, is called from the recording goroutine after
	// every trial.
	Progress func(Progress)
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// ErrSink wraps a failure to record an outcome; the sweep stops, because
// results that cannot be stored are lost.
var ErrSink = errors.New("engine: recording failed")

// Execute trains every trial and records each outcome in sink. Results do
// not depend on Workers or on the order trials finish: each trial's
// randomness comes from its own seed.
//
// When ctx is cancelled no new trial starts; running trials get Grace to
// finish, then are cut and recorded as interrupted. Execute returns the
// final tally, ctx's error if it was cancelled, or a wrapped ErrSink.
func (x *Executor) Execute(ctx context.Context, trials []Trial, sink Sink) (Progress, error) {
	workers := x.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	grace := x.Grace
	if grace == 0 {
		grace = 10 * time.Second
	}
	now := x.Now
	if now == nil {
		now = time.Now
	}
	// Trials run under their own context, cancelled Grace after ctx, or at
	// once when recording fails.
	trialCtx, cancelTrials := context.WithCancelCause(context.WithoutCancel(ctx))
	defer cancelTrials(nil)
	stopGrace := context.AfterFunc(ctx, func() {
		if grace < 0 {
			cancelTrials(context.Cause(ctx))
			return
		}
		t := time.NewTimer(grace)
		defer t.Stop()
		select {
		case <-t.C:
			cancelTrials(context.Cause(ctx))
		case <-trialCtx.Done():
		}
	})
	defer stopGrace()

	jobs := make(chan Trial)
	outcomes := make(chan Outcome, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for t := range jobs {
				outcomes <- x.runOne(trialCtx, t, now)
			}
		}()
	}
	go func() {
	feed:
		for _, t := range trials {
			select {
			case <-ctx.Done():
				break feed
			case <-trialCtx.Done():
				break feed
			case jobs <- t:
			}
		}
		close(jobs)
		wg.Wait()
		close(outcomes)
	}()

	start := now()
	p := Progress{Total: len(trials)}
	var sinkErr error
	for o := range outcomes {
		if sinkErr != nil {
			continue // drain
		}
		if err := sink.Record(context.WithoutCancel(ctx), o); err != nil {
			sinkErr = fmt.Errorf("%w: trial %s: %v", ErrSink, o.Key, err)
			cancelTrials(sinkErr)
			continue
		}
		p.Done++
		switch o.Status {
		case StatusFailed:
			p.Failed++
		case StatusDiverged:
			p.Diverged++
		case StatusInterrupted:
			p.Interrupted++
		}
		p.Last, p.Elapsed = o, now().Sub(start)
		if x.Progress != nil {
			x.Progress(p)
		}
	}
	if sinkErr != nil {
		return p, sinkErr
	}
	return p, ctx.Err()
}

// runOne trains t, turning errors and panics into a failed outcome.
func (x *Executor) runOne(ctx context.Context, t Trial, now func() time.Time) (o Outcome) {
	o = Outcome{Trial: t, Key: t.Key(), Start: now()}
	defer func() {
		if r := recover(); r != nil {
			o.Status = StatusFailed
			o.Error = fmt.Sprintf("panic: %v\n%s", r, debug.Stack())
		}
		o.End = now()
	}()
	res, err := x.Run(ctx, t, func(e train.Epoch) { o.Curve = append(o.Curve, e) })
	o.Result = res
	switch {
	case err != nil:
		o.Status, o.Error = StatusFailed, err.Error()
	case res.Status == train.Diverged:
		o.Status = StatusDiverged
	case res.Status == train.Interrupted:
		o.Status = StatusInterrupted
	default:
		o.Status = StatusCompleted
	}
	return o
}
