package engine

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/optbench/optbench/engine/train"
)

// Outcome is everything a finished (or cut) trial produced.
type Outcome struct {
	Trial  Trial
	Key    string
	Status train.Status  // the one status type of the flow
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

// Flusher is a Sink that may keep outcomes before storing them (a
// results.Recorder committing several at once). Drive flushes it before
// it returns, so that an outcome it counted as done is stored, or Drive
// returns the error that lost it.
type Flusher interface {
	Flush(ctx context.Context) error
}

// ErrExhausted is what a Source's Next returns when it will propose no
// more trials.
var ErrExhausted = errors.New("engine: trial source exhausted")

// Source proposes trials and is told how each one ended.
//
// Next returns up to n trials to train next. It returns ErrExhausted when
// it will propose no more, and may return no trials and a nil error when
// its next proposals depend on outcomes it has not been told yet; the
// executor then calls it again after the next Tell. To keep results
// independent of the number of workers, the sequence of trials a source
// proposes must depend only on the outcomes it has been told, never on n
// or on when Next is called.
//
// Tell is called once for every trial that Next proposed and a worker
// trained, in the order Next proposed them, whatever order the workers
// finish in. Next and Tell are called from one goroutine.
type Source interface {
	Next(ctx context.Context, n int) ([]Trial, error)
	Tell(o Outcome)
}

// Rule decides after every epoch of a trial whether it goes on; a stop
// ends the trial with status pruned. It is called from the worker that
// trains the trial, concurrently for different trials.
type Rule interface {
	Decide(t Trial, e train.Epoch) train.Decision
}

// RunFunc trains one trial, calling observe after every epoch and stopping
// when it says so. An error is a failure of the trial (bad configuration,
// say), not of the sweep.
type RunFunc func(ctx context.Context, t Trial, observe train.Observer) (train.Result, error)

// Progress is the executor's running tally, passed to Executor.Progress
// after every recorded trial.
type Progress struct {
	Total, Done int // Total is 0 when the source does not know its size
	Failed      int // trials that failed with an error
	Diverged    int
	Pruned      int
	Interrupted int
	Last        Outcome
	Elapsed     time.Duration
}

// Completed is the number of recorded trials that completed.
func (p Progress) Completed() int {
	return p.Done - p.Failed - p.Diverged - p.Pruned - p.Interrupted
}

// Executor trains trials on a pool of workers.
type Executor struct {
	// Workers is the number of trials trained at once; default (0) the
	// number of CPUs.
	Workers int
	// Run trains one trial; required.
	Run RunFunc
	// Rule, when set, may stop a trial after any epoch. When nil and the
	// source implements Rule, the source decides.
	Rule Rule
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

// ErrStalled reports a source that proposed nothing while no trial was
// running and it was not exhausted: it waits for outcomes that cannot come.
var ErrStalled = errors.New("engine: trial source proposed nothing and nothing is running")

// Sized is implemented by sources that know how many trials they will
// propose, for progress reports.
type Sized interface{ Total() int }

// Execute trains every trial in the slice and records each outcome in
// sink; it is Run over Trials(trials).
func (x *Executor) Execute(ctx context.Context, trials []Trial, sink Sink) (Progress, error) {
	return x.Drive(ctx, Trials(trials), sink)
}

type proposal struct {
	seq   int
	trial Trial
}

type finished struct {
	seq int
	o   Outcome
}

// Drive asks src for trials while workers are free, trains them, records
// each outcome in sink as it finishes, and tells src every outcome in
// proposal order (a reorder buffer holds outcomes that finish early).
// Results do not depend on Workers or on the order trials finish: each
// trial's randomness comes from its own seed, and src sees outcomes in the
// same order whatever the interleaving.
//
// When ctx is cancelled no new trial starts; running trials get Grace to
// finish, then are cut and recorded as interrupted. Drive returns the
// final tally, ctx's error if it was cancelled, a wrapped ErrSink, the
// source's error, or ErrStalled. A sink that is a Flusher is flushed
// before Drive returns.
func (x *Executor) Drive(ctx context.Context, src Source, sink Sink) (Progress, error) {
	workers := x.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	if s, ok := src.(Sized); ok && s.Total() > 0 {
		// Workers beyond the trials would only be idle goroutines, and
		// enough of them take seconds to start.
		workers = min(workers, s.Total())
	}
	grace := x.Grace
	if grace == 0 {
		grace = 10 * time.Second
	}
	now := x.Now
	if now == nil {
		now = time.Now
	}
	rule := x.Rule
	if rule == nil {
		rule, _ = src.(Rule)
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

	// At most workers trials are in flight, so neither channel blocks a
	// sender.
	jobs := make(chan proposal, workers)
	outcomes := make(chan finished, workers)
	for range workers {
		go func() {
			for p := range jobs {
				outcomes <- finished{p.seq, x.runOne(trialCtx, p.trial, rule, now)}
			}
		}()
	}
	defer close(jobs)

	start := now()
	p := Progress{}
	if s, ok := src.(Sized); ok {
		p.Total = s.Total()
	}
	var (
		proposed, running int
		exhausted         bool
		stopErr           error // why no more trials start
		sinkErr           error
		early             = map[int]Outcome{} // finished before an earlier proposal: the reorder buffer
		nextTell          int
	)
	stopping := func() bool { return stopErr != nil || ctx.Err() != nil || trialCtx.Err() != nil }
	for {
		// Fill the free workers.
		for !exhausted && !stopping() && running < workers {
			ts, err := src.Next(ctx, workers-running)
			if errors.Is(err, ErrExhausted) {
				exhausted = true
			} else if err != nil {
				if ctx.Err() == nil {
					stopErr = fmt.Errorf("engine: asking for trials: %w", err)
				}
				break
			}
			if len(ts) > workers-running {
				stopErr = fmt.Errorf("engine: trial source proposed %d trials when asked for %d", len(ts), workers-running)
				break
			}
			for _, t := range ts {
				jobs <- proposal{proposed, t}
				proposed++
				running++
			}
			if len(ts) == 0 {
				break // wait for an outcome
			}
		}
		if running == 0 {
			if !exhausted && !stopping() {
				stopErr = ErrStalled
			}
			break
		}
		f := <-outcomes
		running--
		if sinkErr == nil {
			if err := sink.Record(context.WithoutCancel(ctx), f.o); err != nil {
				sinkErr = fmt.Errorf("%w: trial %s: %v", ErrSink, f.o.Key, err)
				cancelTrials(sinkErr)
				continue
			}
			p.Done++
			switch f.o.Status {
			case train.Failed:
				p.Failed++
			case train.Diverged:
				p.Diverged++
			case train.Pruned:
				p.Pruned++
			case train.Interrupted:
				p.Interrupted++
			}
			p.Last, p.Elapsed = f.o, now().Sub(start)
			if x.Progress != nil {
				x.Progress(p)
			}
		}
		if sinkErr != nil {
			continue
		}
		early[f.seq] = f.o
		for {
			o, ok := early[nextTell]
			if !ok {
				break
			}
			delete(early, nextTell)
			nextTell++
			src.Tell(o)
		}
	}
	if f, ok := sink.(Flusher); ok && sinkErr == nil {
		if err := f.Flush(context.WithoutCancel(ctx)); err != nil {
			sinkErr = fmt.Errorf("%w: %v", ErrSink, err)
		}
	}
	switch {
	case sinkErr != nil:
		return p, sinkErr
	case ctx.Err() != nil:
		return p, ctx.Err()
	}
	return p, stopErr
}

// runOne trains t, turning errors and panics into a failed outcome.
func (x *Executor) runOne(ctx context.Context, t Trial, rule Rule, now func() time.Time) (o Outcome) {
	o = Outcome{Trial: t, Key: t.Key(), Start: now()}
	defer func() {
		if r := recover(); r != nil {
			o.Status = train.Failed
			o.Error = fmt.Sprintf("panic: %v\n%s", r, debug.Stack())
		}
		o.End = now()
	}()
	if n := t.Budget.Epochs; n > 0 {
		// One allocation for the curve, not a doubling every few epochs
		// (growing it was 3% of the course sweep's CPU profile); a budget
		// far beyond what trains in a run grows as it goes.
		o.Curve = make([]train.Epoch, 0, min(n, 1<<16))
	}
	observe := func(e train.Epoch) train.Decision {
		o.Curve = append(o.Curve, e)
		if n := t.Budget.PruneAt; n > 0 && e.Epoch+1 >= n {
			return train.Decision{Stop: true, Reason: fmt.Sprintf("rung of %d epochs", n)}
		}
		if rule == nil {
			return train.Decision{}
		}
		return rule.Decide(t, e)
	}
	res, err := x.Run(ctx, t, observe)
	o.Result = res
	switch {
	case err != nil:
		o.Status, o.Error = train.Failed, err.Error()
	case res.Status == "":
		o.Status = train.Completed
	default:
		o.Status = res.Status
	}
	return o
}

// Trials returns a source that proposes the given trials in order and
// ignores outcomes: grid, list and random searches, whose trials are all
// known before any is trained, and any caller with a fixed slice.
func Trials(ts []Trial) Source { return &sliceSource{trials: ts, total: len(ts)} }

type sliceSource struct {
	trials      []Trial
	next, total int
}

func (s *sliceSource) Next(_ context.Context, n int) ([]Trial, error) {
	if s.next >= s.total {
		return nil, ErrExhausted
	}
	hi := min(s.next+n, s.total)
	out := s.trials[s.next:hi:hi]
	s.next = hi
	if hi == s.total {
		s.trials = nil // all handed out: the source no longer keeps them alive
	}
	return out, nil
}

func (s *sliceSource) Tell(Outcome) {}

func (s *sliceSource) Total() int { return s.total }
