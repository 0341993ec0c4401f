package results

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/optbench/optbench/engine/train"
)

// dirNames lists the names in dir, sorted.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

// writeTestDB writes a database holding one sweep with one trial at path
// and closes it.
func writeTestDB(t *testing.T, path string) {
	t.Helper()
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	s := putSweep(t, db, "read")
	record(t, db.Recorder(s.ID, 0), testOutcome("read", 0.1, 1, train.Completed, 3))
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestOpenReadOnlyCreatesNothing reads a database no process has open
// (immutable) and one a writer has open (mode=ro on the writer's -wal):
// neither read creates a file or changes the database.
func TestOpenReadOnlyCreatesNothing(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "r.db")
	writeTestDB(t, path)
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := dirNames(t, dir); !slices.Equal(got, []string{"r.db"}) {
		t.Fatalf("after the writer closed: %v", got)
	}

	read := func(t *testing.T, wantSweeps int) {
		t.Helper()
		db, err := OpenReadOnly(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		sums, err := db.Sweeps(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(sums) != wantSweeps {
			t.Errorf("%d sweeps, want %d", len(sums), wantSweeps)
		}
		if _, err := db.PutSweep(ctx, SweepRecord{Name: "no"}); !errors.Is(err, errReadOnly) {
			t.Errorf("PutSweep on a read-only DB: %v, want %v", err, errReadOnly)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("no writer", func(t *testing.T) {
		read(t, 1)
		if got := dirNames(t, dir); !slices.Equal(got, []string{"r.db"}) {
			t.Errorf("files after the read: %v, want only r.db", got)
		}
		after, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(before, after) {
			t.Error("the read changed the database")
		}
	})
	t.Run("writer open", func(t *testing.T) {
		w, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		putSweep(t, w, "written meanwhile") // in the -wal only: mode=ro must see it
		read(t, 2)
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if got := dirNames(t, dir); !slices.Equal(got, []string{"r.db"}) {
			t.Errorf("files after the writer closed: %v, want only r.db", got)
		}
	})
}

// TestOpenReadOnlyWriterStarts: a database read without locks that a
// writer changes meanwhile fails the next read instead of mixing states.
func TestOpenReadOnlyWriterStarts(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "r.db")
	writeTestDB(t, path)
	r, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	w, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	putSweep(t, w, "meanwhile")
	if err := w.Close(); err != nil { // checkpoints into the file
		t.Fatal(err)
	}
	if _, err := r.Sweeps(ctx); !errors.Is(err, ErrChangedWhileRead) {
		t.Errorf("read after a writer changed the file: %v, want %v", err, ErrChangedWhileRead)
	}
}

// TestOpenReadOnlyRefuses: files that are not an optbench database of
// this version are refused, and left byte for byte as they were with no
// file beside them.
func TestOpenReadOnlyRefuses(t *testing.T) {
	ctx := context.Background()
	v1, err := os.ReadFile(filepath.Join("testdata", "v1.db"))
	if err != nil {
		t.Fatal(err)
	}
	write := func(b []byte) func(t *testing.T, path string) {
		return func(t *testing.T, path string) {
			if err := os.WriteFile(path, b, 0o666); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, tc := range []struct {
		name  string
		setUp func(t *testing.T, path string)
		err   error
	}{
		{"missing", func(*testing.T, string) {}, fs.ErrNotExist},
		{"0 bytes", write(nil), ErrNotResults},
		{"table-less SQLite", func(t *testing.T, path string) {
			rawExec(t, path, "PRAGMA journal_mode = DELETE", "CREATE TABLE x (a)", "DROP TABLE x")
		}, ErrNotResults},
		{"another application", func(t *testing.T, path string) {
			rawExec(t, path, "PRAGMA journal_mode = DELETE", "CREATE TABLE notes (body TEXT)")
		}, ErrNotResults},
		{"not SQLite", write(bytes.Repeat([]byte("not a database\n"), 100)), ErrNotResults},
		{"a directory", func(t *testing.T, path string) {
			if err := os.Mkdir(path, 0o777); err != nil {
				t.Fatal(err)
			}
		}, ErrNotResults},
		{"older schema", write(v1), ErrOlderSchema},
		{"newer schema", func(t *testing.T, path string) {
			writeTestDB(t, path)
			rawExec(t, path, "PRAGMA journal_mode = DELETE", fmt.Sprintf("PRAGMA user_version = %d", SchemaVersion+1))
		}, ErrNewerSchema},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "r.db")
			tc.setUp(t, path)
			before, _ := os.ReadFile(path)
			files := dirNames(t, dir)
			db, err := OpenReadOnly(ctx, path)
			if err == nil {
				db.Close()
				t.Fatal("OpenReadOnly succeeded")
			}
			t.Logf("OpenReadOnly: %v", err)
			if !errors.Is(err, tc.err) {
				t.Errorf("OpenReadOnly: %v, want %v", err, tc.err)
			}
			after, _ := os.ReadFile(path)
			if !bytes.Equal(before, after) {
				t.Errorf("the refused file changed: %d bytes before, %d after", len(before), len(after))
			}
			if got := dirNames(t, dir); !slices.Equal(got, files) {
				t.Errorf("files after the refusal: %v, want %v", got, files)
			}
		})
	}
}

// TestInvalidPath: paths SQLite would read as something else than a file
// name are refused before anything is created.
func TestInvalidPath(t *testing.T) {
	ctx := context.Background()
	t.Chdir(t.TempDir())
	for _, path := range []string{"", "file:dir/x.db", "file:/abs/x.db", "x.db?mode=memory", "a\x00b.db"} {
		for name, open := range map[string]func(context.Context, string) (*DB, error){"Open": Open, "OpenReadOnly": OpenReadOnly} {
			db, err := open(ctx, path)
			if err == nil {
				db.Close()
			}
			if !errors.Is(err, ErrInvalidPath) {
				t.Errorf("%s(%q): %v, want %v", name, path, err, ErrInvalidPath)
			}
		}
	}
	if got := dirNames(t, "."); len(got) > 0 {
		t.Errorf("refused paths created %v", got)
	}
	// A file whose name begins with file: is reached by ./file:…
	db, err := Open(ctx, "./file:x.db")
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if got := dirNames(t, "."); !slices.Equal(got, []string{"file:x.db"}) {
		t.Errorf("Open(./file:x.db) made %v", got)
	}
}
