package results

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/optbench/optbench/internal/fuzzlimit"
)

// FuzzReadBaseline checks that no input makes ReadBaseline panic or hang,
// that every failure is a *BaselineError wrapping ErrBadBaseline, and that
// a file it accepts is one WriteBaseline writes back and ReadBaseline
// reads again to the same snapshot, and that writing that snapshot gives
// the same bytes again.
func FuzzReadBaseline(f *testing.F) {
	golden, err := os.ReadFile(filepath.Join("testdata", "baseline.jsonl"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(golden)
	f.Add(bytes.ReplaceAll(golden, []byte("\n"), []byte("\r\n")))
	lines := strings.SplitAfter(string(golden), "\n")
	header, run, trial := lines[0], lines[1], lines[3]
	retitle := func(trials int) string {
		return strings.Replace(header, `"trials":5`, fmt.Sprintf(`"trials":%d`, trials), 1)
	}
	noNumerics := strings.Replace(retitle(0), `"numerics":["test-1","test-2"]`, `"numerics":[]`, 1)
	numerics := func(h string) string {
		return strings.Replace(h, `"numerics":["test-1","test-2"]`, `"numerics":["test-2"]`, 1)
	}
	edit := func(old, new string) string { return numerics(retitle(1)) + strings.Replace(trial, old, new, 1) }
	for _, s := range []string{
		noNumerics,
		noNumerics + run,
		numerics(retitle(1)) + trial,
		numerics(retitle(2)) + trial + trial,                             // a key twice
		numerics(retitle(1)) + trial[:len(trial)/2] + "\n",               // a truncated line
		numerics(retitle(1)) + "\n" + trial,                              // a blank line
		numerics(retitle(1)) + run + "\x00" + trial,                      // a NUL byte
		strings.Replace(header, "baseline 1", "baseline 2", 1),           // another version
		edit(`"seed":1`, `"seed":18446744073709551615`),                  // the largest seed
		edit(`"seed":1`, `"seed":18446744073709551616`),                  // one more
		edit(`"epochs":1`, `"epochs":-1`),                                // negative epochs
		edit(`"val_accuracy":"NaN"`, `"val_accuracy":1e400`),             // out of range
		edit(`"val_accuracy":"NaN"`, `"val_accuracy":-0`),                // −0
		edit(`"val_accuracy":"NaN"`, `"val_accuracy":4.9e-324`),          // the smallest subnormal
		edit(`"lr":10`, `"lr":"NaN"`),                                    // a parameter that is not finite
		edit(`"lr":10`, `"lr":1.00000000000000001`),                      // not shortest form
		edit(`"hidden":[5,2]`, `"hidden":[]`),                            // no hidden layers
		edit(`"hidden":[5,2]`, `"hidden":null`),                          // null
		edit(`"hidden":[5,2]`, `"hidden":{"a":1}`),                       // an object
		edit(`"optimizer":"adam"}`, `"optimizer":"\u003cscript\u003e"}`), // escaped text
		edit(`"key":"120790761006baf6"`, `"key":"\u0000"`),               // a NUL key
		edit(`"final":{`, `"final":{"":0,`),                              // an empty metric name
		strings.Replace(header, `{`, `{"baseline":"x",`, 1),              // a key twice in JSON
		`{"baseline":"optbench baseline 1"}` + "\n",
		"[]\n", "null\n", "{}\n", "",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		var snap *Snapshot
		var err error
		within(t, "ReadBaseline", src, func() { snap, err = ReadBaseline(bytes.NewReader(src), "fuzz.jsonl") })
		if err != nil {
			var be *BaselineError
			if !errors.Is(err, ErrBadBaseline) || !errors.As(err, &be) || be.File != "fuzz.jsonl" || be.Line < 1 {
				t.Fatalf("ReadBaseline error %#v (%v): want a *BaselineError of fuzz.jsonl", err, err)
			}
			return
		}
		var written bytes.Buffer
		within(t, "WriteBaseline", src, func() { err = WriteBaseline(&written, snap) })
		if err != nil {
			t.Fatalf("WriteBaseline of an accepted file: %v", err)
		}
		var back *Snapshot
		within(t, "ReadBaseline of the written file", written.Bytes(), func() {
			back, err = ReadBaseline(bytes.NewReader(written.Bytes()), "fuzz.jsonl")
		})
		if err != nil {
			t.Fatalf("ReadBaseline of what WriteBaseline wrote: %v\nwritten:\n%s", err, written.Bytes())
		}
		if diff := sameSnapshot(back, snap); diff != "" {
			t.Fatalf("read back: %s\nwritten:\n%s", diff, written.Bytes())
		}
		var again bytes.Buffer
		if err := WriteBaseline(&again, back); err != nil || !bytes.Equal(again.Bytes(), written.Bytes()) {
			t.Fatalf("written again (%v):\n%s\nwant\n%s", err, again.Bytes(), written.Bytes())
		}
	})
}

// within runs f under the fuzz targets' time limit (fuzzlimit.Within).
func within(t *testing.T, what string, input []byte, f func()) {
	t.Helper()
	fuzzlimit.Within(t, what, input, f)
}
