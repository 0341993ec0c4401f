package engine

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/engine/train"
)

type memSink struct{ got map[string]Outcome }

func (s *memSink) Record(_ context.Context, o Outcome) error {
	if s.got == nil {
		s.got = map[string]Outcome{}
	}
	s.got[o.Key] = o
	return nil
}

func trials(n int) []Trial {
	out := make([]Trial, n)
	for i := range out {
		out[i] = Trial{Experiment: "fake", Seed: uint64(i), Params: Params{"i": float64(i)}, Budget: Budget{Epochs: 3}}
	}
	return out
}

// fakeRun fails trial 3 with an error, panics in trial 5 and diverges in
// trial 7; the others report three epochs computed from the seed.
func fakeRun(ctx context.Context, t Trial, observe train.Observer) (train.Result, error) {
	switch t.Seed {
	case 3:
		return train.Result{}, errors.New("bad configuration")
	case 5:
		panic("boom")
	case 7:
		return train.Result{Status: train.Diverged}, nil
	}
	for e := 0; e < t.Budget.Epochs; e++ {
		observe(train.Epoch{Epoch: e, Values: metric.Values{metric.TrainLoss: float64(t.Seed) / float64(e+1)}})
	}
	return train.Result{Status: train.Completed, Epochs: t.Budget.Epochs}, nil
}

func TestExecutor(t *testing.T) {
	for _, workers := range []int{1, 4} {
		t.Run(fmt.Sprint("j", workers), func(t *testing.T) {
			sink := &memSink{}
			x := &Executor{Workers: workers, Run: fakeRun}
			p, err := x.Execute(context.Background(), trials(10), sink)
			if err != nil {
				t.Fatal(err)
			}
			if p.Done != 10 || p.Failed != 2 || p.Diverged != 1 || len(sink.got) != 10 {
				t.Fatalf("progress %+v, %d recorded", p, len(sink.got))
			}
			for _, tr := range trials(10) {
				o := sink.got[tr.Key()]
				switch tr.Seed {
				case 3:
					if o.Status != train.Failed || o.Error != "bad configuration" {
						t.Errorf("trial 3: %s %q", o.Status, o.Error)
					}
				case 5:
					if o.Status != train.Failed || len(o.Error) < 11 || o.Error[:11] != "panic: boom" {
						t.Errorf("trial 5: %s %q", o.Status, o.Error)
					}
				case 7:
					if o.Status != train.Diverged {
						t.Errorf("trial 7: %s", o.Status)
					}
				default:
					if o.Status != train.Completed || len(o.Curve) != 3 || o.Curve[2].Values[metric.TrainLoss] != float64(tr.Seed)/3 {
						t.Errorf("trial %d: %s with %d epochs", tr.Seed, o.Status, len(o.Curve))
					}
				}
			}
		})
	}
}

// TestExecutorCancel: after cancellation no new trial starts; running ones
// are cut after the grace period and recorded as interrupted.
func TestExecutorCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var started atomic.Int32
	run := func(ctx context.Context, t Trial, observe train.Observer) (train.Result, error) {
		if started.Add(1) == 2 {
			cancel()
		}
		<-ctx.Done() // a long trial: only the grace period ends it
		return train.Result{Status: train.Interrupted}, nil
	}
	sink := &memSink{}
	x := &Executor{Workers: 2, Run: run, Grace: 20 * time.Millisecond}
	p, err := x.Execute(ctx, trials(10), sink)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if p.Done != 2 || p.Interrupted != 2 || started.Load() != 2 {
		t.Errorf("progress %+v with %d started; want the 2 running trials recorded as interrupted and no more started", p, started.Load())
	}
}

type failingSink struct{ n int }

func (s *failingSink) Record(context.Context, Outcome) error {
	s.n++
	if s.n == 2 {
		return errors.New("disk full")
	}
	return nil
}

func TestExecutorSinkError(t *testing.T) {
	x := &Executor{Workers: 2, Run: fakeRun}
	_, err := x.Execute(context.Background(), trials(50), &failingSink{})
	if !errors.Is(err, ErrSink) {
		t.Fatalf("err = %v, want ErrSink", err)
	}
}

// TestExecutorWorkersBeyondTrials: -j far above the number of trials
// starts no more workers than trials (a million idle goroutines took
// seconds to start for one trial).
func TestExecutorWorkersBeyondTrials(t *testing.T) {
	before := runtime.NumGoroutine()
	var most atomic.Int32
	run := func(ctx context.Context, tr Trial, observe train.Observer) (train.Result, error) {
		most.Store(max(most.Load(), int32(runtime.NumGoroutine()-before)))
		return fakeRun(ctx, tr, observe)
	}
	x := &Executor{Workers: 1 << 20, Run: run}
	if _, err := x.Execute(context.Background(), trials(2), &memSink{}); err != nil {
		t.Fatal(err)
	}
	// Two workers, the grace watcher and the test's own: a few, not 2²⁰.
	if got := most.Load(); got > 16 {
		t.Errorf("%d goroutines while training 2 trials with Workers 2^20, want at most 16", got)
	}
}

// bufferingSink keeps outcomes until Flush, which fails when err is set.
type bufferingSink struct {
	waiting, flushed []string
	err              error
}

func (s *bufferingSink) Record(_ context.Context, o Outcome) error {
	s.waiting = append(s.waiting, o.Key)
	return nil
}

func (s *bufferingSink) Flush(context.Context) error {
	if s.err != nil {
		return s.err
	}
	s.flushed, s.waiting = append(s.flushed, s.waiting...), nil
	return nil
}

// TestExecutorFlushes: Drive flushes a sink that keeps outcomes before it
// returns, also when the sweep is cancelled, and a failed flush is a
// failure to record.
func TestExecutorFlushes(t *testing.T) {
	for _, tc := range []struct {
		name   string
		cancel bool  // cancel the sweep after three outcomes
		err    error // of Flush
		want   error
	}{
		{"done", false, nil, nil},
		{"cancelled", true, nil, context.Canceled},
		{"failed", false, errors.New("disk full"), ErrSink},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			sink := &bufferingSink{err: tc.err}
			x := &Executor{Workers: 2, Run: fakeRun, Grace: -1}
			if tc.cancel {
				x.Progress = func(p Progress) {
					if p.Done == 3 {
						cancel()
					}
				}
			}
			p, err := x.Execute(ctx, trials(10), sink)
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			switch {
			case tc.err != nil && len(sink.flushed) != 0:
				t.Errorf("%d outcomes flushed by a failing Flush", len(sink.flushed))
			case tc.err == nil && (len(sink.waiting) != 0 || len(sink.flushed) != p.Done || p.Done < 3):
				t.Errorf("%d outcomes flushed and %d waiting after %d recorded; want all flushed", len(sink.flushed), len(sink.waiting), p.Done)
			}
		})
	}
}
