package results

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
	"weak"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/engine/train"
)

// openTest opens a fresh database in a temporary directory, with a clock
// that advances a second per call.
func openTest(t testing.TB) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "sub", "results.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clock := time.Date(2025, 1, 2, 3, 4, 5, 6, time.UTC)
	var mu sync.Mutex
	db.now = func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		clock = clock.Add(time.Second)
		return clock
	}
	return db
}

func putSweep(t testing.TB, db *DB, name string) SweepRecord {
	t.Helper()
	s, err := db.PutSweep(context.Background(), SweepRecord{Name: name, Description: "a test sweep",
		Experiment: "trig", Metric: "val_accuracy", Goal: "maximize", File: "sweeps/" + name + ".yaml",
		Source: "name: " + name + "\n"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// testOutcome builds an outcome whose floats are awkward to store: thirds,
// subnormals, infinities, undefined (NaN) metrics.
func testOutcome(sweep string, lr float64, seed uint64, status train.Status, epochs int) engine.Outcome {
	trial := engine.Trial{Sweep: sweep, Experiment: "trig", Seed: seed, Budget: engine.Budget{Epochs: 10},
		Params: engine.Params{"optimizer": "adam", "lr": lr, "hidden": []float64{5, 2}, "batch_norm": seed%2 == 0}}
	nan := math.NaN()
	curve := make([]train.Epoch, epochs)
	for i := range curve {
		f := float64(i + 1)
		curve[i] = train.Epoch{Epoch: i, Values: metric.Values{metric.TrainLoss: 1 / (3 * f), metric.TrainAccuracy: 1 - 1/(7*f), metric.ValLoss: 2 / (3 * f), metric.ValAccuracy: math.Nextafter(0.5, 1) + f/1e9, metric.LR: lr / f, metric.GradNorm: 5e-324 * f, metric.X: nan, metric.Y: nan}, Seconds: 0.001 * f}
	}
	start := time.Date(2025, 3, 4, 5, 6, 7, 123456789, time.FixedZone("CET", 3600)).Add(time.Duration(seed) * time.Hour)
	o := engine.Outcome{Trial: trial, Key: trial.Key(), Status: status, Curve: curve,
		Start: start, End: start.Add(1500 * time.Millisecond)}
	if status == train.Failed {
		o.Error = "trial failed: bad parameter"
		return o
	}
	if status == train.Diverged {
		curve[epochs-1].Values[metric.TrainLoss] = math.Inf(1)
	}
	o.Result = train.Result{Status: train.Status(status), Epochs: epochs, Steps: 10 * epochs, Seconds: 1.25}
	if epochs > 0 {
		o.Result.Last = curve[epochs-1]
		o.Result.Final = append(o.Result.Last.Metrics(),
			train.Metric{Name: "train_eval_loss", Value: 0.1 + float64(seed)/3},
			train.Metric{Name: "val_correct", Value: nan})
	}
	if status == train.Interrupted {
		o.Result.Reason = "interrupted: context canceled"
	}
	return o
}

func record(t testing.TB, r *Recorder, outcomes ...engine.Outcome) {
	t.Helper()
	for _, o := range outcomes {
		if err := r.Record(context.Background(), o); err != nil {
			t.Fatal(err)
		}
	}
}

// sameFloat reports whether a and b have the same bits, or are both NaN
// (SQLite keeps NaN as NULL, which carries no payload).
func sameFloat(a, b float64) bool {
	return math.Float64bits(a) == math.Float64bits(b) || math.IsNaN(a) && math.IsNaN(b)
}

func sameEpoch(a, b train.Epoch) bool {
	if a.Epoch != b.Epoch || !sameFloat(a.Seconds, b.Seconds) {
		return false
	}
	for id := range a.Values {
		if !sameFloat(a.Values[id], b.Values[id]) {
			return false
		}
	}
	return true
}

// checkTrial compares a stored trial with the outcome it came from.
func checkTrial(t *testing.T, got TrialRecord, sweep string, o engine.Outcome) {
	t.Helper()
	want := TrialRecord{Sweep: sweep, Key: o.Key, Experiment: o.Trial.Experiment, Optimizer: "adam",
		Seed: o.Trial.Seed, Status: o.Status, Error: o.Error, Epochs: len(o.Curve), Steps: o.Result.Steps,
		Reason: o.Result.Reason, WallSeconds: o.End.Sub(o.Start).Seconds()}
	if got.Sweep != want.Sweep || got.Key != want.Key || got.Experiment != want.Experiment ||
		got.Optimizer != want.Optimizer || got.Seed != want.Seed || got.Status != want.Status ||
		got.Error != want.Error || got.Epochs != want.Epochs || got.Steps != want.Steps ||
		got.Reason != want.Reason || !sameFloat(got.WallSeconds, want.WallSeconds) {
		t.Errorf("trial %s:\n got %+v\nwant %+v", o.Key, got, want)
	}
	if !got.Start.Equal(o.Start) || !got.End.Equal(o.End) {
		t.Errorf("trial %s: times %v–%v, want %v–%v", o.Key, got.Start, got.End, o.Start, o.End)
	}
	if !bytes.Equal(got.Config, o.Trial.Canonical()) {
		t.Errorf("trial %s: config %s, want %s", o.Key, got.Config, o.Trial.Canonical())
	}
	if fmt.Sprint(got.Params) != fmt.Sprint(o.Trial.Params) {
		t.Errorf("trial %s: params %v, want %v", o.Key, got.Params, o.Trial.Params)
	}
	if len(got.Final) != len(o.Result.Final) {
		t.Errorf("trial %s: %d final metrics %v, want %d", o.Key, len(got.Final), got.Final, len(o.Result.Final))
	}
	for _, m := range o.Result.Final {
		if v, ok := got.Final[m.Name]; !ok || !sameFloat(v, m.Value) {
			t.Errorf("trial %s: final %s = %v (stored %v), want %v", o.Key, m.Name, v, ok, m.Value)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	s := putSweep(t, db, "round")
	run, err := db.StartRun(ctx, s.ID, Provenance{Command: "optbench run round.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	outcomes := []engine.Outcome{
		testOutcome("round", 0.1, 1, train.Completed, 4),
		testOutcome("round", 1.0/3, 2, train.Diverged, 3),
		testOutcome("round", 0.2, 3, train.Failed, 0),
		testOutcome("round", 0.3, 1<<63+5, train.Interrupted, 2), // a seed beyond int64
	}
	record(t, db.Recorder(s.ID, run), outcomes...)

	trials, err := db.Trials(ctx, "round")
	if err != nil {
		t.Fatal(err)
	}
	if len(trials) != len(outcomes) {
		t.Fatalf("got %d trials, want %d", len(trials), len(outcomes))
	}
	byKey := map[string]TrialRecord{}
	for i, tr := range trials {
		if i > 0 && trials[i-1].Key >= tr.Key {
			t.Errorf("trials not ordered by key: %s before %s", trials[i-1].Key, tr.Key)
		}
		if tr.RunID != run {
			t.Errorf("trial %s: run %d, want %d", tr.Key, tr.RunID, run)
		}
		if tr.Position != -1 {
			t.Errorf("trial %s: position %d, want −1 (no plan stored)", tr.Key, tr.Position)
		}
		byKey[tr.Key] = tr
	}
	keys := make([]string, len(outcomes))
	for i, o := range outcomes {
		checkTrial(t, byKey[o.Key], "round", o)
		keys[i] = o.Key
	}

	curves, err := db.Curves(ctx, "round", keys)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range outcomes {
		got := curves[o.Key]
		if len(got) != len(o.Curve) {
			t.Errorf("trial %s: %d epochs, want %d", o.Key, len(got), len(o.Curve))
			continue
		}
		for i := range got {
			if !sameEpoch(got[i], o.Curve[i]) {
				t.Errorf("trial %s epoch %d:\n got %+v\nwant %+v", o.Key, i, got[i], o.Curve[i])
			}
		}
	}
	if got, err := db.Curves(ctx, "round", keys[:1]); err != nil || len(got) != 1 {
		t.Errorf("Curves of one key: %d curves, %v; want 1", len(got), err)
	}
	if _, err := db.Curves(ctx, "round", []string{"0123456789abcdef"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("Curves of an unknown key: %v, want ErrNotFound", err)
	}

	one, err := db.Trial(ctx, outcomes[0].Key)
	if err != nil {
		t.Fatal(err)
	}
	checkTrial(t, one, "round", outcomes[0])
}

func TestNegativeZero(t *testing.T) {
	// SQLite may store a REAL without a fraction as an integer, which
	// would lose the sign of −0.
	db := openTest(t)
	s := putSweep(t, db, "zero")
	o := testOutcome("zero", 0.1, 1, train.Completed, 1)
	o.Curve[0].Values[metric.X], o.Curve[0].Values[metric.Y] = math.Copysign(0, -1), 0
	record(t, db.Recorder(s.ID, 0), o)
	curves, err := db.Curves(context.Background(), "zero", []string{o.Key})
	if err != nil {
		t.Fatal(err)
	}
	if got := curves[o.Key][0]; !sameEpoch(got, o.Curve[0]) {
		t.Errorf("got %+v, want %+v", got, o.Curve[0])
	}
}

func TestDone(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	s := putSweep(t, db, "resume")
	other := putSweep(t, db, "other")
	outcomes := map[train.Status]engine.Outcome{}
	for i, status := range []train.Status{train.Completed, train.Diverged, train.Failed,
		train.Interrupted} {
		outcomes[status] = testOutcome("resume", 0.1, uint64(i), status, 2)
	}
	r := db.Recorder(s.ID, 0)
	for _, o := range outcomes {
		record(t, r, o)
	}
	record(t, db.Recorder(other.ID, 0), testOutcome("other", 0.5, 9, train.Completed, 1))

	done, err := db.Done(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]train.Status{
		outcomes[train.Completed].Key: train.Completed,
		outcomes[train.Diverged].Key:  train.Diverged,
	}
	if fmt.Sprint(done) != fmt.Sprint(want) {
		t.Errorf("Done = %v, want %v", done, want)
	}
}

func TestRerecord(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	s := putSweep(t, db, "upsert")
	interrupted := testOutcome("upsert", 0.1, 1, train.Interrupted, 3)
	interrupted.Result.Final = append(interrupted.Result.Final, train.Metric{Name: "only_then", Value: 1})
	first, err := db.StartRun(ctx, s.ID, Provenance{})
	if err != nil {
		t.Fatal(err)
	}
	record(t, db.Recorder(s.ID, first), interrupted)
	if done, err := db.Done(ctx, s.ID); err != nil || len(done) != 0 {
		t.Fatalf("Done after an interrupted trial = %v, %v; want none", done, err)
	}

	completed := testOutcome("upsert", 0.1, 1, train.Completed, 5)
	second, err := db.StartRun(ctx, s.ID, Provenance{})
	if err != nil {
		t.Fatal(err)
	}
	record(t, db.Recorder(s.ID, second), completed)

	trials, err := db.Trials(ctx, "upsert")
	if err != nil {
		t.Fatal(err)
	}
	if len(trials) != 1 {
		t.Fatalf("got %d trials, want 1", len(trials))
	}
	checkTrial(t, trials[0], "upsert", completed)
	if trials[0].RunID != second {
		t.Errorf("run %d, want the second run %d", trials[0].RunID, second)
	}
	curves, err := db.Curves(ctx, "upsert", []string{completed.Key})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(curves[completed.Key]); n != 5 {
		t.Errorf("curve has %d epochs, want 5", n)
	}
	if done, err := db.Done(ctx, s.ID); err != nil || done[completed.Key] != train.Completed {
		t.Errorf("Done = %v, %v; want the trial completed", done, err)
	}
}

func TestPutSweep(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	first := putSweep(t, db, "grow")
	if first.ID == 0 || first.Created.IsZero() || !first.Updated.Equal(first.Created) {
		t.Fatalf("first put: %+v", first)
	}
	record(t, db.Recorder(first.ID, 0), testOutcome("grow", 0.1, 1, train.Completed, 1))

	same := putSweep(t, db, "grow")
	if same.ID != first.ID || !same.Updated.Equal(first.Updated) || !same.Created.Equal(first.Created) {
		t.Errorf("putting the same sweep again changed it: %+v, was %+v", same, first)
	}

	changed := first
	changed.ID, changed.Created, changed.Updated, changed.Hash = 0, time.Time{}, time.Time{}, ""
	changed.Source += "values: [1, 2, 3]\n"
	got, err := db.PutSweep(ctx, changed)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != first.ID || !got.Created.Equal(first.Created) || !got.Updated.After(first.Updated) ||
		got.Hash == first.Hash {
		t.Errorf("changed sweep stored as %+v, was %+v", got, first)
	}
	stored, err := db.Sweep(ctx, "grow")
	if err != nil {
		t.Fatal(err)
	}
	if stored != got {
		t.Errorf("Sweep = %+v, want %+v", stored, got)
	}
	if trials, err := db.Trials(ctx, "grow"); err != nil || len(trials) != 1 {
		t.Errorf("changing the sweep file left %d trials (%v), want 1", len(trials), err)
	}
	if _, err := db.Sweep(ctx, "missing"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Sweep(missing) = %v, want ErrNotFound", err)
	}
	if _, err := db.PutSweep(ctx, SweepRecord{}); err == nil {
		t.Error("PutSweep of a nameless sweep succeeded")
	}
}

func TestSweeps(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	b := putSweep(t, db, "b")
	a := putSweep(t, db, "a")
	if _, err := db.StartRun(ctx, b.ID, Provenance{}); err != nil {
		t.Fatal(err)
	}
	record(t, db.Recorder(b.ID, 0),
		testOutcome("b", 0.1, 1, train.Completed, 1),
		testOutcome("b", 0.2, 1, train.Completed, 1),
		testOutcome("b", 0.3, 1, train.Failed, 1))
	got, err := db.Sweeps(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != a.ID || got[1].ID != b.ID {
		t.Fatalf("Sweeps = %+v, want a then b", got)
	}
	if got[0].Trials != 0 || len(got[0].Counts) != 0 || got[0].Runs != 0 {
		t.Errorf("sweep a: %+v, want no trials", got[0])
	}
	want := map[train.Status]int{train.Completed: 2, train.Failed: 1}
	if got[1].Trials != 3 || fmt.Sprint(got[1].Counts) != fmt.Sprint(want) || got[1].Runs != 1 {
		t.Errorf("sweep b: %d trials %v, %d runs; want 3 %v, 1 run", got[1].Trials, got[1].Counts, got[1].Runs, want)
	}
}

func TestTrialPrefix(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	s := putSweep(t, db, "prefix")
	twin := putSweep(t, db, "twin")
	var outcomes []engine.Outcome
	byFirst := map[byte][]string{}
	for i := range 20 {
		o := testOutcome("prefix", float64(i), 1, train.Completed, 1)
		outcomes = append(outcomes, o)
		byFirst[o.Key[0]] = append(byFirst[o.Key[0]], o.Key)
	}
	record(t, db.Recorder(s.ID, 0), outcomes...)
	// The same trial in a second sweep has the same key.
	record(t, db.Recorder(twin.ID, 0), outcomes[0])
	shared := ""
	for c, keys := range byFirst {
		if len(keys) > 1 {
			shared = string(c) // 20 keys over 16 hex digits: some first digit repeats
		}
	}
	unique := outcomes[1].Key
	for n := 1; n <= len(unique); n++ {
		if !hasOtherPrefix(outcomes, unique[:n]) {
			unique = unique[:n]
			break
		}
	}

	for _, tc := range []struct {
		name, ref, want string
		err             error
	}{
		{"full key", outcomes[1].Key, outcomes[1].Key, nil},
		{"unique prefix", unique, outcomes[1].Key, nil},
		{"upper case", strings.ToUpper(unique), outcomes[1].Key, nil},
		{"ambiguous prefix", shared, "", ErrAmbiguous},
		{"key in two sweeps", outcomes[0].Key, "", ErrAmbiguous},
		{"sweep and key", "twin/" + outcomes[0].Key[:6], outcomes[0].Key, nil},
		{"wrong sweep", "twin/" + outcomes[1].Key, "", ErrNotFound},
		{"no match", "zz", "", ErrNotFound},
		{"glob", "*", "", ErrNotFound},
		{"empty", "", "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := db.Trial(ctx, tc.ref)
			switch {
			case tc.want == "" && tc.err == nil:
				if err == nil {
					t.Errorf("Trial(%q) = %s, want an error", tc.ref, got.Key)
				}
			case tc.err != nil:
				if !errors.Is(err, tc.err) {
					t.Errorf("Trial(%q) = %s, %v; want %v", tc.ref, got.Key, err, tc.err)
				}
			case err != nil || got.Key != tc.want:
				t.Errorf("Trial(%q) = %s, %v; want %s", tc.ref, got.Key, err, tc.want)
			}
		})
	}
	_, err := db.Trial(ctx, shared)
	for _, key := range byFirst[shared[0]] {
		if msg := fmt.Sprint(err); !strings.Contains(msg, "prefix/"+key) {
			t.Errorf("ambiguous prefix error %q does not list prefix/%s", msg, key)
		}
	}
}

func hasOtherPrefix(outcomes []engine.Outcome, prefix string) bool {
	n := 0
	for _, o := range outcomes {
		if strings.HasPrefix(o.Key, prefix) {
			n++
		}
	}
	return n > 1
}

func TestProvenance(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	s := putSweep(t, db, "prov")
	p := CurrentProvenance([]string{"optbench", "run", "my sweep.yaml"}, 2)
	if p.GoVersion != runtime.Version() || p.GOOS != runtime.GOOS || p.Workers != 2 || p.CPU == "" {
		t.Errorf("CurrentProvenance = %+v", p)
	}
	if p.Command != "optbench run 'my sweep.yaml'" {
		t.Errorf("Command = %q", p.Command)
	}
	p.Revision, p.Dirty, p.Shard = "abc123", true, "2/4"
	id, err := db.StartRun(ctx, s.ID, p)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.FinishRun(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := db.FinishRun(ctx, id+100); !errors.Is(err, ErrNotFound) {
		t.Errorf("FinishRun of an unknown run = %v, want ErrNotFound", err)
	}
	got, err := db.Provenance(ctx, "prov")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("got %d runs, want 1", len(got))
	}
	if got[0].Started.IsZero() || !got[0].Finished.After(got[0].Started) {
		t.Errorf("run times %v–%v", got[0].Started, got[0].Finished)
	}
	p.RunID, p.Started, p.Finished = id, got[0].Started, got[0].Finished
	if got[0] != p {
		t.Errorf("Provenance:\n got %+v\nwant %+v", got[0], p)
	}
	if _, err := db.Provenance(ctx, "missing"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Provenance(missing) = %v, want ErrNotFound", err)
	}
}

func TestQuoteArgs(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, ""},
		{[]string{"optbench", "run", "-j", "2", "sweeps/a.yaml"}, "optbench run -j 2 sweeps/a.yaml"},
		{[]string{"a b", "", "it's", "--db=x.db"}, `'a b' '' 'it'\''s' --db=x.db`},
	} {
		if got := quoteArgs(tc.args); got != tc.want {
			t.Errorf("quoteArgs(%q) = %s, want %s", tc.args, got, tc.want)
		}
	}
}

func TestCPUModel(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ name, content, want string }{
		{"x86", "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) CPU @ 2.20GHz\n", "Intel(R) Xeon(R) CPU @ 2.20GHz"},
		{"arm", "processor\t: 0\nBogoMIPS\t: 50.00\n", "unknown"},
		{"missing", "", "unknown"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name)
			if tc.content != "" {
				if err := os.WriteFile(path, []byte(tc.content), 0o666); err != nil {
					t.Fatal(err)
				}
			}
			if got := cpuModel(path); got != tc.want {
				t.Errorf("cpuModel = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestEmptyDatabase(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	if got, err := db.Sweeps(ctx); err != nil || len(got) != 0 {
		t.Errorf("Sweeps = %v, %v; want none", got, err)
	}
	if _, err := db.Trials(ctx, "none"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Trials = %v, want ErrNotFound", err)
	}
	if _, err := db.Trial(ctx, "abc"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Trial = %v, want ErrNotFound", err)
	}
	if _, err := db.Curves(ctx, "none", nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("Curves = %v, want ErrNotFound", err)
	}
	if done, err := db.Done(ctx, 1); err != nil || len(done) != 0 {
		t.Errorf("Done = %v, %v; want none", done, err)
	}
	if err := db.Recorder(42, 0).Record(ctx, testOutcome("none", 0.1, 1, train.Completed, 1)); err == nil {
		t.Error("recording into a sweep that does not exist succeeded")
	}
}

func TestReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a", "b", "results.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s := putSweep(t, db, "kept")
	record(t, db.Recorder(s.ID, 0), testOutcome("kept", 0.1, 1, train.Completed, 2))
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if trials, err := db.Trials(ctx, "kept"); err != nil || len(trials) != 1 {
		t.Errorf("after reopening: %d trials, %v; want 1", len(trials), err)
	}
	var version, appID int
	var mode string
	if err := db.write.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		t.Fatal(err)
	}
	if err := db.write.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		t.Fatal(err)
	}
	if err := db.write.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if version != SchemaVersion || appID != applicationID || mode != "wal" {
		t.Errorf("user_version %d, application_id %#x, journal_mode %s; want %d, %#x, wal",
			version, appID, mode, SchemaVersion, applicationID)
	}
}

// rawExec runs statements on the file at path outside this package's API.
func rawExec(t *testing.T, path string, stmts ...string) {
	t.Helper()
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, s := range stmts {
		if _, err := raw.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
}

func TestRefuse(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		setUp func(t *testing.T, path string)
		err   error
	}{
		{"newer schema", func(t *testing.T, path string) {
			db, err := Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			s := putSweep(t, db, "future")
			record(t, db.Recorder(s.ID, 0), testOutcome("future", 0.1, 1, train.Completed, 2))
			db.Close()
			rawExec(t, path, fmt.Sprintf("PRAGMA user_version = %d", SchemaVersion+7))
		}, ErrNewerSchema},
		{"another application", func(t *testing.T, path string) {
			rawExec(t, path, "PRAGMA journal_mode = DELETE", "CREATE TABLE notes (body TEXT)",
				"INSERT INTO notes VALUES ('mine')")
		}, ErrNotResults},
		{"not SQLite", func(t *testing.T, path string) {
			if err := os.WriteFile(path, bytes.Repeat([]byte("not a database\n"), 100), 0o666); err != nil {
				t.Fatal(err)
			}
		}, ErrNotResults},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "results.db")
			tc.setUp(t, path)
			before, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			db, err := Open(ctx, path)
			if err == nil {
				db.Close()
				t.Fatal("Open succeeded")
			}
			if tc.err != nil && !errors.Is(err, tc.err) {
				t.Errorf("Open: %v, want %v", err, tc.err)
			}
			t.Logf("Open: %v", err)
			after, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(before, after) {
				t.Error("Open modified the refused database")
			}
		})
	}
}

func TestConcurrentWriters(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shared.db")
	const writers, perWriter, epochs = 2, 100, 100
	if testing.Short() {
		t.Skip("concurrency test in -short mode")
	}
	// Both handles open the new file at once, as processes started
	// together by a scheduler would.
	dbs := make([]*DB, writers)
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for i := range dbs {
		wg.Go(func() {
			db, err := Open(ctx, path)
			if err != nil {
				errs <- err
				return
			}
			dbs[i] = db
		})
	}
	wg.Wait()
	select {
	case err := <-errs:
		t.Fatal(err)
	default:
	}
	defer func() {
		for _, db := range dbs {
			db.Close()
		}
	}()

	stop := make(chan struct{})
	reads := 0
	var readers sync.WaitGroup
	readers.Go(func() {
		reader, err := Open(ctx, path)
		if err != nil {
			errs <- err
			return
		}
		defer reader.Close()
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := reader.Sweeps(ctx); err != nil {
				errs <- fmt.Errorf("reader: %w", err)
				return
			}
			if _, err := reader.Trials(ctx, "shared"); err != nil && !errors.Is(err, ErrNotFound) {
				errs <- fmt.Errorf("reader: %w", err)
				return
			}
			if err := Export(ctx, reader, io.Discard, ExportOptions{Curves: true}); err != nil {
				errs <- fmt.Errorf("reader: %w", err)
				return
			}
			reads++
		}
	})
	for w, db := range dbs {
		wg.Go(func() {
			s, err := db.PutSweep(ctx, SweepRecord{Name: "shared", Source: "name: shared\n"})
			if err != nil {
				errs <- fmt.Errorf("writer %d: %w", w, err)
				return
			}
			run, err := db.StartRun(ctx, s.ID, Provenance{Shard: fmt.Sprint(w)})
			if err != nil {
				errs <- fmt.Errorf("writer %d: %w", w, err)
				return
			}
			r := db.Recorder(s.ID, run)
			for i := range perWriter {
				o := testOutcome("shared", float64(w*perWriter+i), 1, train.Completed, epochs)
				if err := r.Record(ctx, o); err != nil {
					errs <- fmt.Errorf("writer %d: %w", w, err)
					return
				}
			}
			if err := db.FinishRun(ctx, run); err != nil {
				errs <- fmt.Errorf("writer %d: %w", w, err)
			}
		})
	}
	wg.Wait()
	close(stop)
	readers.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	t.Logf("%d reads while writing", reads)
	trials, err := dbs[0].Trials(ctx, "shared")
	if err != nil {
		t.Fatal(err)
	}
	if len(trials) != writers*perWriter {
		t.Errorf("got %d trials, want %d", len(trials), writers*perWriter)
	}
	if runs, err := dbs[1].Provenance(ctx, "shared"); err != nil || len(runs) != writers {
		t.Errorf("got %d runs (%v), want %d", len(runs), err, writers)
	}
}

// TestRecordKeepsNothing checks that the recorder lets go of an outcome:
// a sweep of long curves must not grow the heap.
func TestRecordKeepsNothing(t *testing.T) {
	db := openTest(t)
	s := putSweep(t, db, "memory")
	r := db.Recorder(s.ID, 0)
	curve := func() weak.Pointer[train.Epoch] {
		o := testOutcome("memory", 0.1, 1, train.Completed, 100)
		record(t, r, o)
		return weak.Make(&o.Curve[0])
	}()
	runtime.GC()
	runtime.GC()
	if curve.Value() != nil {
		t.Error("the curve of a recorded outcome is still reachable")
	}
}

// TestConcurrentProcesses runs two writer processes (this test binary,
// re-executed) on one database while this process reads, as several
// optbench processes sharing a database would.
func TestConcurrentProcesses(t *testing.T) {
	const perWriter, epochs = 100, 300
	ctx := context.Background()
	if path := os.Getenv("RESULTS_TEST_WRITER_DB"); path != "" {
		w := os.Getenv("RESULTS_TEST_WRITER")
		db, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		s := putSweep(t, db, "processes")
		run, err := db.StartRun(ctx, s.ID, Provenance{Shard: w})
		if err != nil {
			t.Fatal(err)
		}
		r := db.Recorder(s.ID, run)
		for i := range perWriter {
			record(t, r, testOutcome("processes", float64(i), uint64(w[0]), train.Completed, epochs))
		}
		if err := db.FinishRun(ctx, run); err != nil {
			t.Fatal(err)
		}
		return
	}
	if testing.Short() {
		t.Skip("multi-process test in -short mode")
	}
	path := filepath.Join(t.TempDir(), "shared.db")
	var children []*exec.Cmd
	outputs := make([]*bytes.Buffer, 2)
	for i := range outputs {
		cmd := exec.Command(os.Args[0], "-test.run=^TestConcurrentProcesses$", "-test.v")
		cmd.Env = append(os.Environ(), "RESULTS_TEST_WRITER_DB="+path, fmt.Sprintf("RESULTS_TEST_WRITER=%c", 'a'+i))
		outputs[i] = new(bytes.Buffer)
		cmd.Stdout, cmd.Stderr = outputs[i], outputs[i]
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		children = append(children, cmd)
	}
	waited := make(chan error, len(children))
	for _, c := range children {
		go func() { waited <- c.Wait() }()
	}
	var db *DB
	reads := 0
	for running := len(children); running > 0; {
		select {
		case err := <-waited:
			running--
			if err != nil {
				t.Errorf("writer: %v", err)
			}
			continue
		default:
		}
		if db == nil {
			if _, err := os.Stat(path); err != nil {
				time.Sleep(time.Millisecond)
				continue
			}
			var err error
			if db, err = Open(ctx, path); err != nil {
				t.Fatal(err)
			}
			defer db.Close()
		}
		if _, err := db.Sweeps(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Trials(ctx, "processes"); err != nil && !errors.Is(err, ErrNotFound) {
			t.Fatal(err)
		}
		reads++
	}
	for _, out := range outputs {
		if t.Failed() || strings.Contains(out.String(), "locked") {
			t.Errorf("writer output:\n%s", out)
		}
	}
	t.Logf("%d reads while two processes wrote", reads)
	if db == nil {
		t.Fatal("the database was never created")
	}
	trials, err := db.Trials(ctx, "processes")
	if err != nil {
		t.Fatal(err)
	}
	if len(trials) != 2*perWriter {
		t.Errorf("got %d trials, want %d", len(trials), 2*perWriter)
	}
}

func TestCurrentPlan(t *testing.T) {
	stored := []TrialRecord{{Key: "a"}, {Key: "b"}, {Key: "c"}}
	kept, left, notRun := CurrentPlan(stored, []string{"c", "a", "d", "e"})
	if len(kept) != 2 || kept[0].Key != "a" || kept[1].Key != "c" || left != 1 || notRun != 2 {
		t.Errorf("kept %v, %d left out, %d not run; want a, c, 1, 2", kept, left, notRun)
	}
}
