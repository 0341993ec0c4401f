package results

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"
)

// Errors of a database that a read refuses.
var (
	// ErrOlderSchema reports a database written by an older optbench: a
	// reader does not migrate it, a writer (Open) does.
	ErrOlderSchema = errors.New("results: database schema is older than this optbench reads")
	// ErrDamaged reports a database that SQLite finds corrupt; it is
	// left untouched.
	ErrDamaged = errors.New("results: database is damaged")
	// ErrChangedWhileRead reports a database opened without locks
	// (immutable) that a writer changed while it was being read, so the
	// rows read may not form one snapshot.
	ErrChangedWhileRead = errors.New("results: database changed while it was read")
)

// OpenReadOnly opens an existing results database for reading only. It
// never creates, migrates or switches the journal mode of the file, and
// it creates no -wal or -shm file beside it, so it works on read-only
// media and leaves nothing owned by the reader. Every writing method of
// the returned DB fails.
//
// SQLite's mode=ro alone is not enough: reading a database in WAL mode
// creates the -wal and -shm files when they are missing, and a reader
// cannot delete them again. So the way a file is opened depends on them:
//
//   - When PATH-wal exists, a writer has the database open (or one ended
//     without closing it): the reader opens it with mode=ro and uses the
//     writer's -wal and -shm, seeing a consistent snapshot that includes
//     what the writer committed.
//   - Otherwise no process has the database open, and the reader opens it
//     with immutable=1: SQLite then takes no locks and creates no files.
//     The trade-off is that immutable must not be used while a writer
//     changes the file: a writer that starts during the read and
//     checkpoints into the file would show the reader a mix of two
//     states. A writer appends to its -wal until it checkpoints, so the
//     reader sees the state of when it opened; the file's size and
//     modification time are compared after every read, and a read during
//     which they changed fails with ErrChangedWhileRead (rerun it).
//
// A file that is not SQLite, or SQLite without optbench's tables (an
// empty or 0-byte file included), is refused with ErrNotResults; one
// SQLite finds corrupt with ErrDamaged; one written by an older optbench
// with ErrOlderSchema (optbench run upgrades it: reading the old tables
// is not worth a second set of queries); one by a newer optbench with
// ErrNewerSchema.
func OpenReadOnly(ctx context.Context, path string) (*DB, error) {
	if err := checkPath(path); err != nil {
		return nil, err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("results: open %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("results: open %s: %w (not a regular file)", path, ErrNotResults)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("results: open %s: %w", path, err)
	}
	_, walErr := os.Stat(path + "-wal")
	wal := walErr == nil
	mode := "mode=ro&immutable=1"
	if wal {
		mode = "mode=ro"
	}
	dsn := fmt.Sprintf("%s?%s&_busy_timeout=%d&_query_only=1&_txlock=deferred",
		fileURI(abs), mode, BusyTimeout.Milliseconds())
	db := &DB{path: path, now: time.Now}
	if !wal {
		db.unlocked = &fileStamp{size: fi.Size(), mod: fi.ModTime()}
	}
	if db.read, err = sql.Open(driverName, dsn); err != nil {
		return nil, fmt.Errorf("results: open %s: %w", path, err)
	}
	db.read.SetMaxOpenConns(4)
	var version, tables int
	err = db.inRead(ctx, func(tx *sql.Tx) error {
		version, tables, err = db.checkVersionTables(ctx, tx)
		return err
	})
	switch {
	case err != nil && wal && isCantOpen(err):
		err = fmt.Errorf("%s-wal exists (a writer has the database open, or one ended without closing it) "+
			"and this process cannot use it beside the database: %w; a run by a user who may write there "+
			"finishes it", path, err)
	case err == nil && tables == 0:
		err = fmt.Errorf("%w: it has no tables ('optbench run SWEEP.yaml --db %s' creates one)", ErrNotResults, path)
	case err == nil && version < SchemaVersion:
		err = fmt.Errorf("%w: it has version %d, this binary reads version %d; "+
			"run optbench run to upgrade it ('optbench run SWEEP.yaml --db %s' with any of its sweeps)",
			ErrOlderSchema, version, SchemaVersion, path)
	}
	if err != nil {
		db.read.Close()
		return nil, fmt.Errorf("results: open %s: %w", path, err)
	}
	return db, nil
}

// fileStamp is what a database opened without locks compares after each
// read to find a writer that changed the file meanwhile.
type fileStamp struct {
	size int64
	mod  time.Time
}

// checkUnchanged returns ErrChangedWhileRead when the file no longer has
// the size and modification time it had when it was opened.
func (db *DB) checkUnchanged() error {
	if db.unlocked == nil {
		return nil
	}
	fi, err := os.Stat(db.path)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrChangedWhileRead, err)
	}
	if fi.Size() != db.unlocked.size || !fi.ModTime().Equal(db.unlocked.mod) {
		return fmt.Errorf("%w: %s was opened without locks because no process had it open, "+
			"and a writer started meanwhile; rerun the command", ErrChangedWhileRead, db.path)
	}
	return nil
}

// fileURI returns the SQLite URI of the absolute path abs: the characters
// that a URI gives a meaning are escaped.
func fileURI(abs string) string {
	r := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")
	return "file:" + r.Replace(filepath.ToSlash(abs))
}

// errReadOnly is what a writing method of a DB from OpenReadOnly returns.
var errReadOnly = errors.New("results: database opened read-only")

// classify wraps SQLite's errors for a file that is not a database or is
// damaged in ErrNotResults and ErrDamaged, keeping SQLite's message.
func classify(err error) error {
	var se sqlite3.Error
	if err == nil || !errors.As(err, &se) || errors.Is(err, ErrNotResults) || errors.Is(err, ErrDamaged) {
		return err
	}
	switch se.Code {
	case sqlite3.ErrNotADB:
		return fmt.Errorf("%w: %w", ErrNotResults, err)
	case sqlite3.ErrCorrupt:
		return fmt.Errorf("%w: %w", ErrDamaged, err)
	}
	return err
}

func isCantOpen(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.Code == sqlite3.ErrCantOpen || se.Code == sqlite3.ErrReadonly)
}

// ErrInvalidPath reports a database path that cannot name a file as
// given.
var ErrInvalidPath = errors.New("results: invalid database path")

// checkPath refuses database paths that the driver would read as
// something else than a file name.
func checkPath(path string) error {
	switch {
	case path == "":
		return fmt.Errorf("%w: empty", ErrInvalidPath)
	case strings.ContainsRune(path, 0):
		return fmt.Errorf("%w %q: it contains a NUL byte", ErrInvalidPath, path)
	case strings.HasPrefix(path, "file:"):
		// SQLite reads it as a URI, while the directory to create would
		// be a literal ./file: tree.
		return fmt.Errorf("%w %s: SQLite URIs are not accepted; give the file's path (%s), "+
			"or ./%s for a file whose name begins with file:", ErrInvalidPath, path, strings.TrimPrefix(path, "file:"), path)
	case strings.Contains(path, "?"):
		// The driver reads what follows ? as connection options.
		return fmt.Errorf("%w %s: it may not contain ?", ErrInvalidPath, path)
	}
	return nil
}

// explainReadonly adds to SQLite's "attempt to write a readonly
// database" which of the database's files this process may not write,
// and why: typically -wal and -shm files that a read by another user
// left (optbench before OpenReadOnly did).
func (db *DB) explainReadonly(err error) error {
	var se sqlite3.Error
	if !errors.As(err, &se) || se.Code != sqlite3.ErrReadonly {
		return err
	}
	var why []string
	for _, p := range []string{db.path, db.path + "-wal", db.path + "-shm"} {
		fi, statErr := os.Stat(p)
		if statErr != nil {
			continue
		}
		f, openErr := os.OpenFile(p, os.O_WRONLY, 0)
		if openErr == nil {
			f.Close()
			continue
		}
		why = append(why, fmt.Sprintf("%s is not writable (%s)", p, ownerOf(fi)))
	}
	if dir := filepath.Dir(db.path); len(why) == 0 {
		if fi, statErr := os.Stat(dir); statErr == nil {
			why = append(why, fmt.Sprintf("the directory %s may not be writable (%s)", dir, ownerOf(fi)))
		}
	}
	return fmt.Errorf("%w: %s; a -wal or -shm left by another user's read can be removed by its owner "+
		"when no optbench process uses the database, or given to you with chown", err, strings.Join(why, "; "))
}
