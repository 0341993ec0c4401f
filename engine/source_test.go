package engine

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/engine/train"
)

// lagSource is a toy adaptive search: trial i's parameter is computed from
// the final losses of trials 0..i−3, so it can be proposed only once they
// have been told. Several trials are in flight at once, and workers finish
// them out of order.
type lagSource struct {
	n                int
	told             []Outcome
	next             int
	proposedWhenTold []int // len(told) at each proposal, to check the waits happen
}

func (s *lagSource) Next(_ context.Context, n int) ([]Trial, error) {
	if s.next >= s.n {
		return nil, ErrExhausted
	}
	var out []Trial
	for ; len(out) < n && s.next < s.n && len(s.told) >= s.next-2; s.next++ {
		x := float64(s.next)
		for _, o := range s.told[:max(s.next-2, 0)] {
			x += o.Result.Last.Values[metric.TrainLoss] / 7
		}
		out = append(out, Trial{Experiment: "lag", Seed: uint64(s.next), Params: Params{"x": x}, Budget: Budget{Epochs: 4}})
		s.proposedWhenTold = append(s.proposedWhenTold, len(s.told))
	}
	return out, nil
}

func (s *lagSource) Tell(o Outcome) { s.told = append(s.told, o) }

// lagRun trains a fake trial whose losses come from x, sleeping a
// seed-dependent time so that trials finish out of proposal order.
func lagRun(ctx context.Context, t Trial, observe train.Observer) (train.Result, error) {
	x, _ := t.Params.Float("x")
	time.Sleep(time.Duration((t.Seed*7)%5) * time.Millisecond)
	var res train.Result
	for e := range t.Budget.Epochs {
		ep := train.Epoch{Epoch: e, Values: metric.Values{metric.TrainLoss: math.Sqrt(x+1) / float64(e+1)}}
		res.Epochs, res.Last = e+1, ep
		if d := observe(ep); d.Stop {
			return train.Result{Status: train.Pruned, Epochs: e + 1, Last: ep, Reason: d.Reason}, nil
		}
	}
	res.Status = train.Completed
	return res, nil
}

type orderSink struct{ keys []string }

func (s *orderSink) Record(_ context.Context, o Outcome) error {
	s.keys = append(s.keys, o.Key)
	return nil
}

// TestAdaptiveSourceAnyWorkers: a source that proposes from results sees
// the same outcomes in the same order, and so proposes bit-identical
// trials, for 1, 2 and 8 workers, although the workers finish in
// different orders.
func TestAdaptiveSourceAnyWorkers(t *testing.T) {
	var want []Outcome
	var wantKeys []string
	for _, workers := range []int{1, 2, 8} {
		t.Run(fmt.Sprint("j", workers), func(t *testing.T) {
			src := &lagSource{n: 24}
			sink := &orderSink{}
			x := &Executor{Workers: workers, Run: lagRun}
			p, err := x.Drive(context.Background(), src, sink)
			if err != nil {
				t.Fatal(err)
			}
			if p.Done != 24 || len(src.told) != 24 {
				t.Fatalf("%d recorded, %d told; want 24", p.Done, len(src.told))
			}
			for i, o := range src.told {
				if o.Trial.Seed != uint64(i) {
					t.Fatalf("outcome %d told is trial %d: not in proposal order", i, o.Trial.Seed)
				}
				if i >= 2 && src.proposedWhenTold[i] < i-2 {
					t.Fatalf("trial %d proposed after %d outcomes, needs %d", i, src.proposedWhenTold[i], i-2)
				}
			}
			if workers == 1 {
				want, wantKeys = src.told, sink.keys
				return
			}
			for i, o := range src.told {
				w := want[i]
				if o.Key != w.Key || !slices.EqualFunc(o.Curve, w.Curve, sameEpoch) {
					t.Fatalf("trial %d: key %s curve %v; with one worker key %s curve %v", i, o.Key, o.Curve, w.Key, w.Curve)
				}
			}
			if workers == 8 && slices.Equal(sink.keys, wantKeys) {
				t.Log("eight workers recorded in proposal order this time; the reorder buffer was not exercised")
			}
		})
	}
}

type stopAfter int

func (s stopAfter) Decide(t Trial, e train.Epoch) train.Decision {
	if t.Seed%2 == 1 && e.Epoch+1 >= int(s) {
		return train.Decision{Stop: true, Reason: "odd seed"}
	}
	return train.Decision{}
}

// TestRulePrunes: a rule's stop ends the trial as pruned, its curve ends
// at the epoch it stopped after, and the tally counts it.
func TestRulePrunes(t *testing.T) {
	sink := &memSink{}
	x := &Executor{Workers: 2, Run: lagRun, Rule: stopAfter(2)}
	p, err := x.Execute(context.Background(), trials(6), sink)
	if err != nil {
		t.Fatal(err)
	}
	if p.Pruned != 3 || p.Completed() != 3 {
		t.Fatalf("progress %+v; want 3 pruned, 3 completed", p)
	}
	for _, o := range sink.got {
		want, status := 3, train.Completed // trials() gives 3 epochs
		if o.Trial.Seed%2 == 1 {
			want, status = 2, train.Pruned
		}
		if o.Status != status || len(o.Curve) != want || o.Result.Epochs != want {
			t.Errorf("trial %d: %s after %d epochs (curve %d); want %s after %d", o.Trial.Seed, o.Status,
				o.Result.Epochs, len(o.Curve), status, want)
		}
	}
}

type stuckSource struct{}

func (stuckSource) Next(context.Context, int) ([]Trial, error) { return nil, nil }
func (stuckSource) Tell(Outcome)                               {}

func TestStalledSource(t *testing.T) {
	x := &Executor{Workers: 2, Run: lagRun}
	if _, err := x.Drive(context.Background(), stuckSource{}, &memSink{}); !errors.Is(err, ErrStalled) {
		t.Fatalf("err = %v, want ErrStalled", err)
	}
}

// sameEpoch compares epochs field by field, Extra by value.
func sameEpoch(a, b train.Epoch) bool {
	return a.Epoch == b.Epoch && a.Values == b.Values && (a.Extra == nil) == (b.Extra == nil) && (a.Extra == nil || *a.Extra == *b.Extra) &&
		a.Seconds == b.Seconds
}
