package results

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/engine/train"
)

// snapshotFixture stores a sweep of trials with awkward finals (NaN, ±Inf,
// −0, a subnormal, a third), two seeds of one configuration, a failed
// trial without a curve, two numerics versions, a planned trial, runs on
// two machines (one of them twice) and a run that trained nothing. It
// returns the database and the outcomes it recorded, by key.
func snapshotFixture(t *testing.T) (*DB, map[string]engine.Outcome) {
	ctx := context.Background()
	db := openTest(t)
	s := putSweep(t, db, "adam-lr")
	ci := Provenance{Version: "(devel)", Revision: "a202c70", GoVersion: "go1.26.0", GOOS: "linux",
		GOARCH: "amd64", GOAMD64: "v3", CPU: "AMD EPYC", Host: "ci-1", Command: "optbench run", Workers: 2}
	laptop := ci
	laptop.Dirty, laptop.Host, laptop.CPU, laptop.Command = true, "laptop", "Apple M2", "optbench run -j 8"
	var runs []int64
	for _, p := range []Provenance{ci, laptop, ci, {Host: "idle"}} {
		id, err := db.StartRun(ctx, s.ID, p)
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, id)
	}
	nan, inf := math.NaN(), math.Inf(1)
	epoch := func(i int, loss, acc float64) train.Epoch {
		return train.NewEpoch(i).With(metric.TrainLoss, loss).With(metric.ValAccuracy, acc).With(metric.LR, 0.001)
	}
	outcome := func(params engine.Params, seed uint64, status train.Status, curve []train.Epoch, final ...train.Metric) engine.Outcome {
		trial := engine.Trial{Experiment: "trig", Params: params, Seed: seed, Budget: engine.Budget{Epochs: 3}}
		for i := range curve {
			curve[i].Seconds = 0.5 * float64(i+1)
		}
		return engine.Outcome{Trial: trial, Key: trial.Key(), Status: status, Curve: curve,
			Result: train.Result{Epochs: len(curve), Final: final}}
	}
	adam := func(lr float64) engine.Params {
		return engine.Params{"optimizer": "adam", "lr": lr, "hidden": []float64{5, 2}}
	}
	byKey := map[string]engine.Outcome{}
	store := func(run int64, numerics string, outcomes ...engine.Outcome) {
		r := db.Recorder(s.ID, run)
		r.Numerics = numerics
		record(t, r, outcomes...)
		for _, o := range outcomes {
			byKey[o.Key] = o
		}
	}
	store(runs[0], "test-1",
		outcome(adam(0.001), 1, train.Completed,
			[]train.Epoch{epoch(0, 0.7, 0.5), epoch(1, 0.5, 2.0/3), epoch(2, 0.25, 0.875)},
			train.Metric{Name: "train_loss", Value: 0.25}, train.Metric{Name: "val_accuracy", Value: 0.875},
			train.Metric{Name: "train_eval_loss", Value: math.Copysign(0, -1)},
			train.Metric{Name: "grad_norm", Value: 5e-324}),
		outcome(adam(0.001), 2, train.Completed,
			[]train.Epoch{epoch(0, 0.75, 0.5), epoch(1, 0.5, 1.0/3), epoch(2, 1.0/3, 0.75)},
			train.Metric{Name: "train_loss", Value: 1.0 / 3}, train.Metric{Name: "val_accuracy", Value: 0.75},
			train.Metric{Name: "train_eval_loss", Value: 0}))
	store(runs[1], "test-2",
		outcome(adam(10), 1, train.Diverged,
			[]train.Epoch{epoch(0, inf, nan)},
			train.Metric{Name: "train_loss", Value: inf}, train.Metric{Name: "val_accuracy", Value: nan},
			train.Metric{Name: "distance_to_minimum", Value: math.Inf(-1)}),
		outcome(engine.Params{"optimizer": "sgd", "lr": 0.1, "clip": inf, "note": `a "quoted" <html> & more`}, 7,
			train.Failed, nil))
	store(runs[2], "test-1",
		outcome(adam(0.01), 1, train.Pruned, []train.Epoch{epoch(0, 0.5, 0.5)},
			train.Metric{Name: "train_loss", Value: 0.5}))
	planned := engine.Trial{Experiment: "trig", Params: adam(0.5), Seed: 1, Budget: engine.Budget{Epochs: 3}}
	if _, err := db.Plan(ctx, s.ID, []engine.Trial{planned}); err != nil {
		t.Fatal(err)
	}
	return db, byKey
}

func TestSnapshot(t *testing.T) {
	ctx := context.Background()
	db, outcomes := snapshotFixture(t)
	snap, err := db.Snapshot(ctx, "adam-lr")
	if err != nil {
		t.Fatal(err)
	}
	sweep, err := db.Sweep(ctx, "adam-lr")
	if err != nil {
		t.Fatal(err)
	}
	wantSource := "DB " + db.Path() + ", sweep adam-lr"
	if snap.Source != wantSource || snap.Sweep != "adam-lr" || snap.Experiment != "trig" ||
		snap.Metric != "val_accuracy" || snap.Goal != "maximize" || snap.File != "sweeps/adam-lr.yaml" ||
		snap.FileSHA256 != sweep.Hash || len(sweep.Hash) != 64 {
		t.Errorf("header: %+v", snap)
	}
	if !reflect.DeepEqual(snap.Numerics, []string{"test-1", "test-2"}) {
		t.Errorf("Numerics = %q, want [test-1 test-2]", snap.Numerics)
	}
	if len(snap.Provenance) != 2 || snap.Provenance[0].Host != "ci-1" || snap.Provenance[1].Host != "laptop" ||
		!snap.Provenance[1].Dirty || snap.Provenance[0].Command != "" || snap.Provenance[0].RunID != 0 {
		t.Errorf("Provenance = %+v, want ci-1 then laptop (dirty), without run fields", snap.Provenance)
	}
	if len(snap.Trials) != len(outcomes) {
		t.Fatalf("%d trials, want %d (the planned trial left out)", len(snap.Trials), len(outcomes))
	}
	for i, got := range snap.Trials {
		if i > 0 {
			prev := snap.Trials[i-1]
			if prev.ConfigKey > got.ConfigKey || prev.ConfigKey == got.ConfigKey && prev.Seed >= got.Seed {
				t.Errorf("trials %d and %d out of order: %s/%d, %s/%d", i-1, i, prev.ConfigKey, prev.Seed, got.ConfigKey, got.Seed)
			}
		}
		o, ok := outcomes[got.Key]
		if !ok {
			t.Errorf("trial %s: not recorded", got.Key)
			continue
		}
		wantParams, err := engine.ParseTrial(o.Trial.Canonical())
		if err != nil {
			t.Fatal(err)
		}
		if got.ConfigKey != o.Trial.ConfigKey() || got.Seed != o.Trial.Seed || got.Status != o.Status ||
			got.Epochs != len(o.Curve) || got.Digest != CurveDigest(o.Curve) ||
			!reflect.DeepEqual(got.Params, wantParams.Params) {
			t.Errorf("trial %s = %+v, want config %s, seed %d, status %s, %d epochs, digest %s, params %v",
				got.Key, got, o.Trial.ConfigKey(), o.Trial.Seed, o.Status, len(o.Curve), CurveDigest(o.Curve), wantParams.Params)
		}
		if len(got.Final) != len(o.Result.Final) {
			t.Errorf("trial %s: finals %v, want %v", got.Key, got.Final, o.Result.Final)
		}
		for _, m := range o.Result.Final {
			if v, ok := got.Final[m.Name]; !ok || !sameFloat(v, m.Value) {
				t.Errorf("trial %s: final %s = %v, want %v", got.Key, m.Name, v, m.Value)
			}
		}
		curve, err := db.Curve(ctx, "adam-lr", got.Key)
		if err != nil {
			t.Fatal(err)
		}
		if d := CurveDigest(curve); d != got.Digest {
			t.Errorf("trial %s: CurveDigest(Curve) = %s, snapshot digest %s", got.Key, d, got.Digest)
		}
	}
	configs := map[string]bool{}
	for _, tr := range snap.Trials {
		configs[tr.ConfigKey] = true
	}
	if len(configs) != len(snap.Trials)-1 {
		t.Errorf("%d configuration keys, want %d: the two seeds of adam lr=0.001 share one", len(configs), len(snap.Trials)-1)
	}

	if _, err := db.Snapshot(ctx, "missing"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Snapshot of an unknown sweep: %v, want ErrNotFound", err)
	}
	if _, err := db.Curve(ctx, "adam-lr", "0123456789abcdef"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Curve of an unknown key: %v, want ErrNotFound", err)
	}
}

func TestSnapshotEmpty(t *testing.T) {
	db := openTest(t)
	putSweep(t, db, "empty")
	snap, err := db.Snapshot(context.Background(), "empty")
	if err != nil {
		t.Fatal(err)
	}
	if snap.Trials == nil || len(snap.Trials) != 0 || snap.Numerics == nil || snap.Provenance == nil {
		t.Errorf("Snapshot of an empty sweep = %+v, want empty, non-nil lists", snap)
	}
}

func TestCurveDigest(t *testing.T) {
	nan := math.NaN()
	base := []train.Epoch{
		train.NewEpoch(0).With(metric.TrainLoss, 0.5).With(metric.ValLoss, 0),
		train.NewEpoch(1).With(metric.TrainLoss, 0.25).With(metric.ValLoss, math.Inf(1)),
	}
	with := func(f func(c []train.Epoch)) []train.Epoch {
		c := append([]train.Epoch(nil), base...)
		f(c)
		return c
	}
	same := map[string][]train.Epoch{
		"wall time":   with(func(c []train.Epoch) { c[1].Seconds = 99 }),
		"epoch field": with(func(c []train.Epoch) { c[0].Epoch = 7 }),
		"NaN sign and payload": with(func(c []train.Epoch) {
			c[1].Values[metric.LR] = math.Float64frombits(0xfff8000000000000)
			c[0].Values[metric.LR] = nan
		}),
	}
	differs := map[string][]train.Epoch{
		"−0 for +0":       with(func(c []train.Epoch) { c[0].Values[metric.ValLoss] = math.Copysign(0, -1) }),
		"−Inf for +Inf":   with(func(c []train.Epoch) { c[1].Values[metric.ValLoss] = math.Inf(-1) }),
		"one ulp":         with(func(c []train.Epoch) { c[1].Values[metric.TrainLoss] = math.Nextafter(0.25, 1) }),
		"a metric moved":  with(func(c []train.Epoch) { c[0].Values[metric.ValLoss], c[0].Values[metric.ValAccuracy] = nan, 0 }),
		"defined once":    with(func(c []train.Epoch) { c[1].Values[metric.GradNorm] = 1 }),
		"one epoch fewer": base[:1],
	}
	want := CurveDigest(base)
	if len(want) != 64 {
		t.Fatalf("CurveDigest = %q, want 64 hex digits", want)
	}
	for name, c := range same {
		if got := CurveDigest(c); got != want {
			t.Errorf("%s: digest %s, want %s (unchanged)", name, got, want)
		}
	}
	for name, c := range differs {
		if got := CurveDigest(c); got == want {
			t.Errorf("%s: digest unchanged", name)
		}
	}
	// Pinned, computed independently in Python from the definition:
	// hashlib.sha256(struct.pack('<Q', 1) + b'train_loss\0' + struct.pack('<d', 0.5)).
	// A change here makes every committed baseline's digests differ.
	for _, tc := range []struct {
		name  string
		curve []train.Epoch
		want  string
	}{
		{"empty", nil, "af5570f5a1810b7af78caf4bc70a660f0df51e42baf91d4de5b2328de0e83dfc"},
		{"one epoch", []train.Epoch{train.NewEpoch(0).With(metric.TrainLoss, 0.5)},
			"1257ad3f4e9de89982fdfab5fd9ab1f15066c9265a765fb698199683362562cf"},
		{"−0 and +Inf", []train.Epoch{
			train.NewEpoch(0).With(metric.TrainLoss, 0.5).With(metric.ValLoss, math.Copysign(0, -1)),
			train.NewEpoch(1).With(metric.TrainLoss, 0.25).With(metric.ValLoss, math.Inf(1))},
			"47c05e113c4205d56112ec9099a41463283f33a76a73b29382510a0934a1fc67"},
	} {
		if got := CurveDigest(tc.curve); got != tc.want {
			t.Errorf("%s: CurveDigest = %s, want %s", tc.name, got, tc.want)
		}
	}
}

// sameSnapshot returns how a and b differ, ignoring Source: "" if they
// do not. Floats are compared by their bits (any NaN equals any NaN).
func sameSnapshot(a, b *Snapshot) string {
	ha, hb := *a, *b
	ha.Source, hb.Source, ha.Trials, hb.Trials = "", "", nil, nil
	if !reflect.DeepEqual(ha, hb) {
		return fmt.Sprintf("header %+v\nwant %+v", ha, hb)
	}
	if len(a.Trials) != len(b.Trials) {
		return fmt.Sprintf("%d trials, want %d", len(a.Trials), len(b.Trials))
	}
	for i := range a.Trials {
		ta, tb := a.Trials[i], b.Trials[i]
		fa, fb := ta.Final, tb.Final
		ta.Final, tb.Final = nil, nil
		if !reflect.DeepEqual(ta, tb) {
			return fmt.Sprintf("trial %d: %+v\nwant %+v", i, ta, tb)
		}
		if len(fa) != len(fb) {
			return fmt.Sprintf("trial %s: finals %v, want %v", ta.Key, fa, fb)
		}
		for name, v := range fb {
			if got, ok := fa[name]; !ok || math.Float64bits(got) != math.Float64bits(v) && !(math.IsNaN(got) && math.IsNaN(v)) {
				return fmt.Sprintf("trial %s: final %s = %v (%#x), want %v (%#x)", ta.Key, name, got,
					math.Float64bits(got), v, math.Float64bits(v))
			}
		}
	}
	return ""
}

func TestBaselineRoundTrip(t *testing.T) {
	db, _ := snapshotFixture(t)
	snap, err := db.Snapshot(context.Background(), "adam-lr")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteBaseline(&buf, snap); err != nil {
		t.Fatal(err)
	}
	back, err := ReadBaseline(bytes.NewReader(buf.Bytes()), "adam-lr.jsonl")
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.Bytes())
	}
	if back.Source != "baseline adam-lr.jsonl" {
		t.Errorf("Source = %q", back.Source)
	}
	if diff := sameSnapshot(back, snap); diff != "" {
		t.Errorf("read back: %s\nfile:\n%s", diff, buf.Bytes())
	}
	// A checkout with CRLF line endings (git's autocrlf) reads the same.
	crlf := bytes.ReplaceAll(buf.Bytes(), []byte("\n"), []byte("\r\n"))
	if back, err := ReadBaseline(bytes.NewReader(crlf), "crlf.jsonl"); err != nil {
		t.Errorf("CRLF: %v", err)
	} else if diff := sameSnapshot(back, snap); diff != "" {
		t.Errorf("CRLF: %s", diff)
	}

	var again bytes.Buffer
	if err := WriteBaseline(&again, back); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again.Bytes(), buf.Bytes()) {
		t.Errorf("written again:\n%s\nwant\n%s", again.Bytes(), buf.Bytes())
	}

	// The order of the trials does not change the file.
	reversed := *snap
	reversed.Trials = append([]SnapshotTrial(nil), snap.Trials...)
	for i, j := 0, len(reversed.Trials)-1; i < j; i, j = i+1, j-1 {
		reversed.Trials[i], reversed.Trials[j] = reversed.Trials[j], reversed.Trials[i]
	}
	again.Reset()
	if err := WriteBaseline(&again, &reversed); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again.Bytes(), buf.Bytes()) {
		t.Errorf("trials reversed:\n%s\nwant\n%s", again.Bytes(), buf.Bytes())
	}
}

func TestBaselineGolden(t *testing.T) {
	db, _ := snapshotFixture(t)
	snap, err := db.Snapshot(context.Background(), "adam-lr")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteBaseline(&buf, snap); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "baseline.jsonl")
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o666); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("WriteBaseline =\n%s\nwant (%s)\n%s", buf.Bytes(), path, want)
	}
	// The committed file reads back as the snapshot it was written from.
	back, err := ReadBaseline(bytes.NewReader(want), path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := sameSnapshot(back, snap); diff != "" {
		t.Error(diff)
	}
}

func TestWriteBaselineDuplicate(t *testing.T) {
	tr := SnapshotTrial{Key: "3fa2c0d1e9b87a65", Status: train.Completed}
	err := WriteBaseline(new(bytes.Buffer), &Snapshot{Sweep: "s", Trials: []SnapshotTrial{tr, tr}})
	if err == nil || !strings.Contains(err.Error(), "3fa2c0d1e9b87a65 twice") {
		t.Errorf("WriteBaseline with a key twice: %v", err)
	}
}

func TestReadBaselineErrors(t *testing.T) {
	const (
		header = `{"baseline":"optbench baseline 1","experiment":"trig","file":"s.yaml","goal":"maximize","metric":"val_accuracy","numerics":["1"],"sha256":"","sweep":"s","trials":1}`
		run    = `{"run":{"cpu":"c","dirty":false,"go":"go1.26.0","goamd64":"v3","goarch":"amd64","goos":"linux","host":"h","revision":"r","version":"(devel)"}}`
		digest = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
		trial  = `{"config":"c1","digest":"` + digest + `","epochs":2,"final":{"train_loss":0.25,"val_accuracy":"NaN"},"key":"k1","numerics":"1","optimizer":"adam","params":{"lr":0.001},"seed":1,"status":"completed"}`
	)
	good := header + "\n" + run + "\n" + trial + "\n"
	if _, err := ReadBaseline(strings.NewReader(good), "good.jsonl"); err != nil {
		t.Fatalf("the valid file: %v", err)
	}
	edit := func(old, new string) string { return strings.Replace(trial, old, new, 1) }
	for _, tc := range []struct {
		name, file string
		line       int
		msg        string
	}{
		{"empty", "", 1, "empty file"},
		{"not JSON", "optbench baseline 1\n", 1, "not an optbench baseline"},
		{"no format", `{"sweep":"s"}` + "\n", 1, `no "baseline"`},
		{"unknown version", strings.Replace(good, "baseline 1", "baseline 2", 1), 1, `unknown format "optbench baseline 2"`},
		{"header key missing", strings.Replace(good, `"goal":"maximize",`, "", 1), 1, `no "goal"`},
		{"header key unknown", strings.Replace(good, `"trials":1`, `"trials":1,"extra":0`, 1), 1, `unknown key "extra"`},
		{"trial count", strings.Replace(good, `"trials":1`, `"trials":2`, 1), 1, "header says 2 trials, the file has 1"},
		{"numerics", strings.Replace(good, `"numerics":["1"]`, `"numerics":["2"]`, 1), 1, "header says numerics"},
		{"blank line", header + "\n\n" + trial + "\n", 2, "not a JSON object"},
		{"truncated line", header + "\n" + trial[:40] + "\n", 2, "not a JSON object"},
		{"run key missing", header + "\n" + strings.Replace(run, `"host":"h",`, "", 1) + "\n" + trial + "\n", 2, `run: no "host"`},
		{"run not an object", header + "\n" + `{"run":"laptop"}` + "\n" + trial + "\n", 2, `run: "run": string is not an object`},
		{"trial key missing", header + "\n" + edit(`"epochs":2,`, "") + "\n", 2, `no "epochs"`},
		{"trial key unknown", header + "\n" + edit(`"seed":1`, `"seed":1,"wall":3`) + "\n", 2, `unknown key "wall"`},
		{"final not a number", header + "\n" + edit(`"NaN"`, `"nan"`) + "\n", 2, `"nan" is not a number`},
		{"final null", header + "\n" + edit(`0.25`, `null`) + "\n", 2, "null is not a number"},
		{"seed negative", header + "\n" + edit(`"seed":1`, `"seed":-1`) + "\n", 2, `"seed": number -1 is not a non-negative integer`},
		{"status planned", header + "\n" + edit(`"completed"`, `"planned"`) + "\n", 2, `status "planned" is not a result`},
		{"digest", header + "\n" + edit(digest, "abc") + "\n", 2, `digest "abc"`},
		{"empty key", header + "\n" + edit(`"key":"k1"`, `"key":""`) + "\n", 2, "empty key"},
		{"params not an object", header + "\n" + edit(`{"lr":0.001}`, `[1]`) + "\n", 2, "params"},
		{"duplicate key", strings.Replace(good, `"trials":1`, `"trials":2`, 1) + trial + "\n", 4, "trial k1 already on line 3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadBaseline(strings.NewReader(tc.file), "base.jsonl")
			if !errors.Is(err, ErrBadBaseline) {
				t.Fatalf("ReadBaseline: %v, want ErrBadBaseline", err)
			}
			var be *BaselineError
			if !errors.As(err, &be) || be.File != "base.jsonl" || be.Line != tc.line {
				t.Errorf("ReadBaseline: %#v, want a BaselineError at base.jsonl:%d", err, tc.line)
			}
			want := fmt.Sprintf("results: baseline base.jsonl:%d: ", tc.line)
			t.Log(err)
			if !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("ReadBaseline: %q, want %q…%q", err, want, tc.msg)
			}
		})
	}
}
