package results

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/train"
)

// A baseline file holds a Snapshot as text, to be committed next to the
// code so that a later build's results can be compared with it. It is
// JSON Lines: one JSON object per line, keys sorted, no spaces. Line 1 is
// the header:
//
//	{"baseline":"optbench baseline 1","experiment":"trig","file":"sweeps/adam-lr.yaml","goal":"maximize","metric":"val_accuracy","numerics":["1"],"sha256":"…","sweep":"adam-lr","trials":2}
//
// "baseline" is the format and its version; "sha256" is the sweep file's
// (SweepRecord.Hash); "numerics" the distinct numerics versions of the
// trials; "trials" how many trial lines follow. Then one line per build
// and machine that trained the trials (Snapshot.Provenance), oldest first:
//
//	{"run":{"cpu":"AMD EPYC","dirty":false,"go":"go1.26.0","goamd64":"v3","goarch":"amd64","goos":"linux","host":"ci-1","revision":"a202c70…","version":"(devel)"}}
//
// then one line per trial, sorted by configuration key, then seed, then
// key:
//
//	{"config":"5c0d…","digest":"9f86…","epochs":2,"final":{"train_loss":0.25,"val_accuracy":"NaN"},"key":"3fa2…","numerics":"1","optimizer":"adam","params":{"lr":0.001,"optimizer":"adam"},"seed":1,"status":"completed"}
//
// Numbers are in their shortest round-trip form, so they read back with
// the same bits, −0 as -0. JSON has no NaN or infinities: a final metric
// that is NaN, +Inf or -Inf is the string "NaN", "+Inf" or "-Inf". A
// parameter is encoded as in the stored configuration
// (engine.Trial.Canonical) and read as engine.ParseTrial reads it.
// "digest" is the CurveDigest of the trial's curve, "config" its
// engine.Trial.ConfigKey.

// BaselineFormat is the first value of a baseline file's header: the
// format and its version.
const BaselineFormat = "optbench baseline 1"

// ErrBadBaseline reports a baseline file that ReadBaseline cannot read:
// another format or version, a malformed line, a trial listed twice.
var ErrBadBaseline = errors.New("results: bad baseline file")

// BaselineError is a baseline file that cannot be read, and where. It
// wraps ErrBadBaseline and the cause.
type BaselineError struct {
	File string // the name given to ReadBaseline
	Line int    // from 1; 1 also for a header that does not match the trial lines
	Err  error
}

func (e *BaselineError) Error() string {
	return fmt.Sprintf("results: baseline %s:%d: %v", e.File, e.Line, e.Err)
}

func (e *BaselineError) Unwrap() []error { return []error{ErrBadBaseline, e.Err} }

// baselineHeader is line 1. Fields are in key order.
type baselineHeader struct {
	Baseline   string   `json:"baseline"`
	Experiment string   `json:"experiment"`
	File       string   `json:"file"`
	Goal       string   `json:"goal"`
	Metric     string   `json:"metric"`
	Numerics   []string `json:"numerics"`
	SHA256     string   `json:"sha256"`
	Sweep      string   `json:"sweep"`
	Trials     int      `json:"trials"`
}

// baselineRun is a provenance line's "run". Fields are in key order.
type baselineRun struct {
	CPU       string `json:"cpu"`
	Dirty     bool   `json:"dirty"`
	GoVersion string `json:"go"`
	GOAMD64   string `json:"goamd64"`
	GOARCH    string `json:"goarch"`
	GOOS      string `json:"goos"`
	Host      string `json:"host"`
	Revision  string `json:"revision"`
	Version   string `json:"version"`
}

type baselineRunLine struct {
	Run baselineRun `json:"run"`
}

// baselineTrial is a trial line. Fields are in key order.
type baselineTrial struct {
	ConfigKey string                   `json:"config"`
	Digest    string                   `json:"digest"`
	Epochs    int                      `json:"epochs"`
	Final     map[string]baselineFloat `json:"final"`
	Key       string                   `json:"key"`
	Numerics  string                   `json:"numerics"`
	Optimizer string                   `json:"optimizer"`
	Params    json.RawMessage          `json:"params"`
	Seed      uint64                   `json:"seed"`
	Status    train.Status             `json:"status"`
}

// jsonKeys returns the JSON keys of a line struct's fields.
func jsonKeys(v any) []string {
	b, err := json.Marshal(v)
	if err != nil {
		panic("results: " + err.Error())
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		panic("results: " + err.Error())
	}
	return slices.Sorted(maps.Keys(m))
}

// The keys each kind of line must have, no more and no fewer.
var (
	headerKeys  = jsonKeys(baselineHeader{})
	runLineKeys = jsonKeys(baselineRunLine{})
	runKeys     = jsonKeys(baselineRun{})
	trialKeys   = jsonKeys(baselineTrial{Params: json.RawMessage("{}")})
)

// baselineFloat is a float64 that JSON holds exactly: a number in
// shortest round-trip form, or the string "NaN", "+Inf" or "-Inf".
type baselineFloat float64

func (f baselineFloat) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte(`"` + strconv.FormatFloat(v, 'g', -1, 64) + `"`), nil
	}
	return json.Marshal(v)
}

func (f *baselineFloat) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		switch string(b) {
		case `"NaN"`:
			*f = baselineFloat(math.NaN())
		case `"+Inf"`:
			*f = baselineFloat(math.Inf(1))
		case `"-Inf"`:
			*f = baselineFloat(math.Inf(-1))
		default:
			return fmt.Errorf("%s is not a number (the strings are \"NaN\", \"+Inf\" and \"-Inf\")", b)
		}
		return nil
	}
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("%s is not a number", b)
	}
	*f = baselineFloat(v)
	return nil
}

// WriteBaseline writes s as a baseline file (see BaselineFormat): the
// same snapshot always gives the same bytes, whatever the order of its
// trials. Its Source is not written; the numerics versions are those of
// its trials. A key listed twice is an error.
func WriteBaseline(w io.Writer, s *Snapshot) error {
	trials := slices.Clone(s.Trials)
	sortSnapshotTrials(trials)
	keys := make(map[string]bool, len(trials))
	for _, t := range trials {
		if keys[t.Key] {
			return fmt.Errorf("results: write baseline of sweep %s: trial %s twice", s.Sweep, t.Key)
		}
		keys[t.Key] = true
	}
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	err := enc.Encode(baselineHeader{Baseline: BaselineFormat, Experiment: s.Experiment, File: s.File,
		Goal: s.Goal, Metric: s.Metric, Numerics: snapshotNumerics(trials), SHA256: s.FileSHA256,
		Sweep: s.Sweep, Trials: len(trials)})
	for _, p := range s.Provenance {
		if err != nil {
			break
		}
		err = enc.Encode(baselineRunLine{baselineRun{CPU: p.CPU, Dirty: p.Dirty, GoVersion: p.GoVersion,
			GOAMD64: p.GOAMD64, GOARCH: p.GOARCH, GOOS: p.GOOS, Host: p.Host, Revision: p.Revision,
			Version: p.Version}})
	}
	for _, t := range trials {
		if err != nil {
			break
		}
		final := make(map[string]baselineFloat, len(t.Final))
		for name, v := range t.Final {
			final[name] = baselineFloat(v)
		}
		var params []byte
		if params, err = marshalParams(t.Params); err != nil {
			err = fmt.Errorf("trial %s: %w", t.Key, err)
			break
		}
		err = enc.Encode(baselineTrial{ConfigKey: t.ConfigKey, Digest: t.Digest, Epochs: t.Epochs, Final: final,
			Key: t.Key, Numerics: t.Numerics, Optimizer: t.Optimizer, Params: params, Seed: t.Seed,
			Status: t.Status})
	}
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		return fmt.Errorf("results: write baseline of sweep %s: %w", s.Sweep, err)
	}
	return nil
}

// marshalParams encodes params as engine.Trial.Canonical does: sorted
// keys, shortest round-trip numbers, non-finite numbers as strings.
func marshalParams(params engine.Params) ([]byte, error) {
	out := make(map[string]any, len(params))
	for k, v := range params {
		if f, ok := v.(float64); ok && (math.IsNaN(f) || math.IsInf(f, 0)) {
			v = engine.FormatValue(f)
		}
		out[k] = v
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// maxBaselineLine bounds a baseline file's line: a trial line is a few
// hundred bytes.
const maxBaselineLine = 16 << 20

// ReadBaseline reads a baseline file written by WriteBaseline; name is
// the file's name, for messages and the snapshot's Source ("baseline
// NAME"). Trials are returned in Snapshot order whatever their order in
// the file. A file of another format or version, a malformed line
// (invalid JSON, a missing or unknown key, a value of the wrong kind, a
// status that is not a result, a digest that is not SHA-256 hex), a key
// listed twice, or a header whose trial count or numerics versions do
// not match the trial lines is a *BaselineError wrapping ErrBadBaseline.
func ReadBaseline(r io.Reader, name string) (*Snapshot, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, maxBaselineLine)
	line := 0
	bad := func(format string, args ...any) error {
		return &BaselineError{File: name, Line: line, Err: fmt.Errorf(format, args...)}
	}
	if !sc.Scan() {
		line = 1
		if err := sc.Err(); err != nil {
			return nil, bad("%w", err)
		}
		return nil, bad("empty file: want a header line %q", BaselineFormat)
	}
	line = 1
	var header baselineHeader
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(sc.Bytes(), &fields); err != nil {
		return nil, bad("not an optbench baseline: line 1 is not a JSON object: %w", err)
	}
	var format string
	if err := json.Unmarshal(fields["baseline"], &format); err != nil || format == "" {
		return nil, bad(`not an optbench baseline: line 1 has no "baseline" format`)
	}
	if format != BaselineFormat {
		return nil, bad("unknown format %q (this optbench reads %q)", format, BaselineFormat)
	}
	if err := decodeLine(sc.Bytes(), fields, headerKeys, &header); err != nil {
		return nil, bad("header: %w", err)
	}
	snap := &Snapshot{Source: "baseline " + name, Sweep: header.Sweep, Experiment: header.Experiment,
		Metric: header.Metric, Goal: header.Goal, File: header.File, FileSHA256: header.SHA256,
		Provenance: []Provenance{}, Trials: []SnapshotTrial{}}
	seen := map[string]int{} // key → line
	for sc.Scan() {
		line++
		text := sc.Bytes()
		fields = nil
		if err := json.Unmarshal(text, &fields); err != nil || fields == nil {
			return nil, bad("malformed line: not a JSON object")
		}
		if _, ok := fields["run"]; ok {
			var run baselineRunLine
			if err := decodeLine(text, fields, runLineKeys, &run); err != nil {
				return nil, bad("run: %w", err)
			}
			if err := decodeLine(fields["run"], nil, runKeys, &run.Run); err != nil {
				return nil, bad("run: %w", err)
			}
			p := run.Run
			snap.Provenance = append(snap.Provenance, Provenance{Version: p.Version, Revision: p.Revision,
				Dirty: p.Dirty, GoVersion: p.GoVersion, GOOS: p.GOOS, GOARCH: p.GOARCH, GOAMD64: p.GOAMD64,
				CPU: p.CPU, Host: p.Host})
			continue
		}
		t, err := decodeTrial(text, fields)
		if err != nil {
			return nil, bad("%w", err)
		}
		if first, ok := seen[t.Key]; ok {
			return nil, bad("trial %s already on line %d", t.Key, first)
		}
		seen[t.Key] = line
		snap.Trials = append(snap.Trials, t)
	}
	if err := sc.Err(); err != nil {
		line++
		return nil, bad("%w", err)
	}
	sortSnapshotTrials(snap.Trials)
	snap.Numerics = snapshotNumerics(snap.Trials)
	line = 1
	if header.Trials != len(snap.Trials) {
		return nil, bad("header says %d trials, the file has %d", header.Trials, len(snap.Trials))
	}
	if header.Numerics == nil {
		header.Numerics = []string{}
	}
	if !slices.Equal(header.Numerics, snap.Numerics) {
		return nil, bad("header says numerics %q, the trials have %q", header.Numerics, snap.Numerics)
	}
	return snap, nil
}

// decodeLine decodes the JSON object text, whose keys fields holds (nil:
// decode them from text), into v, after checking that its keys are want.
func decodeLine(text []byte, fields map[string]json.RawMessage, want []string, v any) error {
	if fields == nil {
		if err := json.Unmarshal(text, &fields); err != nil {
			return fmt.Errorf("not a JSON object")
		}
	}
	for _, k := range want {
		if _, ok := fields[k]; !ok {
			return fmt.Errorf("no %q", k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		if !slices.Contains(want, k) {
			return fmt.Errorf("unknown key %q", k)
		}
	}
	if err := json.Unmarshal(text, v); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return fmt.Errorf("%q: %s is not %s", typeErr.Field, typeErr.Value, jsonKind(typeErr.Type))
		}
		return err
	}
	return nil
}

// jsonKind names what JSON value decodes into a t.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a non-negative integer"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "an integer"
	}
	return "a number"
}

// resultStatuses are the statuses a snapshot's trial may have.
var resultStatuses = []train.Status{train.Completed, train.Pruned, train.Diverged, train.Failed, train.Interrupted}

// decodeTrial decodes and checks a trial line.
func decodeTrial(text []byte, fields map[string]json.RawMessage) (SnapshotTrial, error) {
	var line baselineTrial
	if err := decodeLine(text, fields, trialKeys, &line); err != nil {
		return SnapshotTrial{}, fmt.Errorf("malformed trial: %w", err)
	}
	bad := func(format string, args ...any) (SnapshotTrial, error) {
		return SnapshotTrial{}, fmt.Errorf("trial %s: "+format, append([]any{line.Key}, args...)...)
	}
	switch {
	case line.Key == "":
		return SnapshotTrial{}, fmt.Errorf("malformed trial: empty key")
	case line.ConfigKey == "":
		return bad("empty config key")
	case !isSHA256Hex(line.Digest):
		return bad("digest %q is not a SHA-256 in hex", line.Digest)
	case !slices.Contains(resultStatuses, line.Status):
		return bad("status %q is not a result (want completed, pruned, diverged, failed or interrupted)", line.Status)
	case line.Epochs < 0:
		return bad("%d epochs", line.Epochs)
	}
	parsed, err := engine.ParseTrial(append(append([]byte(`{"params":`), line.Params...), '}'))
	if err != nil {
		return bad("params: %w", err)
	}
	t := SnapshotTrial{Key: line.Key, ConfigKey: line.ConfigKey, Seed: line.Seed, Status: line.Status,
		Optimizer: line.Optimizer, Params: parsed.Params, Final: make(map[string]float64, len(line.Final)),
		Numerics: line.Numerics, Epochs: line.Epochs, Digest: line.Digest}
	for name, v := range line.Final {
		t.Final[name] = float64(v)
	}
	return t, nil
}

// isSHA256Hex reports whether s is a SHA-256 in lower-case hex.
func isSHA256Hex(s string) bool {
	return len(s) == 64 && strings.Trim(s, "0123456789abcdef") == ""
}
