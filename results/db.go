package results

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-sqlite3"
)

// Errors returned (wrapped) by this package.
var (
	// ErrNotFound reports a sweep, trial or run that is not stored.
	ErrNotFound = errors.New("results: not found")
	// ErrAmbiguous reports a key prefix that matches several trials.
	ErrAmbiguous = errors.New("results: ambiguous trial key")
	// ErrNewerSchema reports a database written by a newer optbench; it is
	// left untouched.
	ErrNewerSchema = errors.New("results: database schema is newer than this optbench supports")
	// ErrNotResults reports a SQLite file that is not an optbench database.
	ErrNotResults = errors.New("results: not an optbench results database")
)

// BusyTimeout is how long a statement waits for another connection or
// process to release the database before failing with "database is
// locked".
const BusyTimeout = 10 * time.Second

// DB is an open results database. It is safe for concurrent use, and
// several processes may use the same file at once: writers queue behind
// each other, and readers see a consistent snapshot while a sweep writes.
type DB struct {
	path string
	// write runs transactions with BEGIN IMMEDIATE, so a writer takes the
	// write lock up front and waits on the busy handler: a deferred
	// transaction that upgrades to a writer fails at once with
	// SQLITE_BUSY when another process wrote in between, whatever the
	// timeout. One connection: writers in this process queue in Go.
	write *sql.DB
	// read runs deferred, query-only transactions, which in WAL mode
	// neither wait for writers nor block them.
	read *sql.DB
	// hot are the statements run for every trial, prepared once on the
	// write connection: preparing them anew took about a third of the
	// time per trial of BenchmarkTrialOverhead/claims.
	hot hotStatements
	// rows are the multi-row INSERTs of a trial's final metrics and
	// curve, one per number of rows, prepared on the write connection
	// after the first transaction that needed them (see execRows).
	rowsMu sync.Mutex
	rows   map[string]*sql.Stmt

	now func() time.Time
	// unlocked is set when OpenReadOnly opened the file immutable: the
	// file as it was then, which every read checks it still is.
	unlocked *fileStamp
}

// hotStatements are prepared by Open; tx.StmtContext reuses them on the
// write connection.
type hotStatements struct {
	record, countRun, deleteMetrics, deleteCurve, claimable, claim *sql.Stmt
}

// all returns the statements, for Close.
func (h *hotStatements) all() []*sql.Stmt {
	return []*sql.Stmt{h.record, h.countRun, h.deleteMetrics, h.deleteCurve, h.claimable, h.claim}
}

func (db *DB) prepareHot(ctx context.Context) error {
	for _, h := range []struct {
		stmt  **sql.Stmt
		query string
	}{
		{&db.hot.record, recordTrial},
		{&db.hot.countRun, countRunOutcomes},
		{&db.hot.deleteMetrics, deleteTrialMetrics},
		{&db.hot.deleteCurve, deleteTrialCurve},
		{&db.hot.claimable, claimableTrials},
		{&db.hot.claim, claimTrial},
	} {
		var err error
		if *h.stmt, err = db.write.PrepareContext(ctx, h.query); err != nil {
			return fmt.Errorf("preparing statements: %w", err)
		}
	}
	return nil
}

// execRows runs query, a multi-row INSERT that a trial's storage builds
// (a statement per number of rows), in tx: through the statement
// prepared for it if there is one, else prepared in tx and noted in
// missing, for prepareRows once tx has ended. It cannot be prepared on the
// write connection while tx holds that connection.
func (db *DB) execRows(ctx context.Context, tx *sql.Tx, missing map[string]bool, query string, args ...any) error {
	db.rowsMu.Lock()
	stmt := db.rows[query]
	db.rowsMu.Unlock()
	var err error
	if stmt != nil {
		_, err = tx.StmtContext(ctx, stmt).ExecContext(ctx, args...)
	} else {
		missing[query] = true
		_, err = tx.ExecContext(ctx, query, args...)
	}
	return err
}

// maxPreparedRows bounds the statements prepareRows keeps: one per
// number of curve rows (maxCurveRows) and per number of final metrics,
// of which a sweep has a few.
const maxPreparedRows = 64

// prepareRows prepares the statements execRows missed. A failure only
// leaves them unprepared: the next trial prepares them in its transaction.
func (db *DB) prepareRows(ctx context.Context, missing map[string]bool) {
	for query := range missing {
		stmt, err := db.write.PrepareContext(ctx, query)
		if err != nil {
			continue
		}
		db.rowsMu.Lock()
		if db.rows == nil {
			db.rows = map[string]*sql.Stmt{}
		}
		if db.rows[query] == nil && len(db.rows) < maxPreparedRows {
			db.rows[query], stmt = stmt, nil
		}
		db.rowsMu.Unlock()
		if stmt != nil {
			stmt.Close()
		}
	}
}

// Open opens the results database at path, creating the file and its
// parent directory on first use and bringing an older schema up to date.
// A database written by a newer optbench is refused with ErrNewerSchema,
// and one that SQLite's quick_check finds damaged with ErrDamaged; neither
// is modified.
func Open(ctx context.Context, path string) (*DB, error) {
	if err := checkPath(path); err != nil {
		return nil, err
	}
	// SQLite opens a directory or a named pipe and fails later with a
	// run-time error ("is a directory", "illegal seek"); a path that
	// names something other than a file is not a database.
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("results: open %s: %w (%s, not a regular file)", path, ErrNotResults, fileKind(fi.Mode()))
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o777); err != nil {
			return nil, fmt.Errorf("results: open %s: %w", path, err)
		}
	}
	// journal_mode is not in the DSN: switching to WAL writes the file,
	// and a database of a newer schema must not be touched.
	dsn := func(extra string) string {
		return fmt.Sprintf("%s?_busy_timeout=%d&_foreign_keys=1&_synchronous=NORMAL&%s",
			path, BusyTimeout.Milliseconds(), extra)
	}
	db := &DB{path: path, now: time.Now}
	var err error
	if db.write, err = sql.Open(driverName, dsn("_txlock=immediate")); err != nil {
		return nil, fmt.Errorf("results: open %s: %w", path, err)
	}
	db.write.SetMaxOpenConns(1)
	if db.read, err = sql.Open(driverName, dsn("_txlock=deferred&_query_only=1")); err != nil {
		db.write.Close()
		return nil, fmt.Errorf("results: open %s: %w", path, err)
	}
	db.read.SetMaxOpenConns(4)
	if err := db.setUp(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("results: open %s: %w", path, db.explainReadonly(classify(err)))
	}
	if err := db.prepareHot(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("results: open %s: %w", path, err)
	}
	return db, nil
}

// setUp checks that the file is ours, not newer and not damaged, switches
// it to WAL and migrates it.
func (db *DB) setUp(ctx context.Context) error {
	version, err := db.checkVersion(ctx, db.write)
	if err != nil {
		return db.damaged(err)
	}
	if err := db.checkIntegrity(ctx); err != nil {
		return err
	}
	var mode string
	if err := retryBusy(ctx, func() error {
		return db.write.QueryRowContext(ctx, "PRAGMA journal_mode=WAL").Scan(&mode)
	}); err != nil {
		return fmt.Errorf("enabling WAL: %w", err)
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("enabling WAL: journal mode is %q", mode)
	}
	if version == SchemaVersion {
		return nil
	}
	return db.migrate(ctx)
}

type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// checkVersion returns the schema version, or an error if the database is
// newer than this package or not an optbench database. It only reads.
func (db *DB) checkVersion(ctx context.Context, q queryer) (int, error) {
	version, _, err := db.checkVersionTables(ctx, q)
	return version, err
}

// checkVersionTables is checkVersion that also returns the number of
// schema objects: none in a new (or empty) file.
func (db *DB) checkVersionTables(ctx context.Context, q queryer) (version, tables int, err error) {
	// One statement, so one snapshot: read separately, another process's
	// migration could commit between the reads and leave a half-seen file.
	var appID int
	if err := q.QueryRowContext(ctx, `SELECT
	(SELECT user_version FROM pragma_user_version()),
	(SELECT application_id FROM pragma_application_id()),
	(SELECT count(*) FROM sqlite_schema)`).Scan(&version, &appID, &tables); err != nil {
		return 0, 0, fmt.Errorf("reading schema version: %w", classify(err))
	}
	switch {
	case appID != applicationID && (appID != 0 || tables > 0):
		return 0, 0, fmt.Errorf("%w (application_id %#x, %d schema objects)", ErrNotResults, appID, tables)
	case version > SchemaVersion:
		return 0, 0, fmt.Errorf("%w: it has version %d, this binary knows up to %d; use a newer optbench",
			ErrNewerSchema, version, SchemaVersion)
	}
	return version, tables, nil
}

// migrate applies the missing migrations in one write transaction,
// rechecking the version under the lock: another process may have
// migrated the file meanwhile.
func (db *DB) migrate(ctx context.Context) error {
	return db.inWrite(ctx, func(tx *sql.Tx) error {
		version, err := db.checkVersion(ctx, tx)
		if err != nil {
			return err
		}
		for v := version; v < SchemaVersion; v++ {
			if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
				return fmt.Errorf("migrating schema to version %d: %w", v+1, err)
			}
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d; PRAGMA user_version = %d",
			applicationID, SchemaVersion)); err != nil {
			return fmt.Errorf("setting schema version: %w", err)
		}
		return nil
	})
}

// retryBusy runs f until it does not fail with SQLITE_BUSY, for at most
// BusyTimeout. Changing the journal mode needs the file to itself and does
// not always go through the busy handler.
func retryBusy(ctx context.Context, f func() error) error {
	deadline := time.Now().Add(BusyTimeout)
	for {
		err := f()
		var se sqlite3.Error
		if err == nil || !errors.As(err, &se) || se.Code != sqlite3.ErrBusy || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// Path returns the file the database was opened from.
func (db *DB) Path() string { return db.path }

// Close closes the database.
func (db *DB) Close() error {
	var errs []error
	for _, stmt := range db.hot.all() {
		if stmt != nil {
			errs = append(errs, stmt.Close())
		}
	}
	db.rowsMu.Lock()
	for _, stmt := range db.rows {
		errs = append(errs, stmt.Close())
	}
	db.rows = nil
	db.rowsMu.Unlock()
	errs = append(errs, db.read.Close())
	if db.write != nil {
		errs = append(errs, db.write.Close())
	}
	return errors.Join(errs...)
}

// inWrite runs f in a write transaction and commits it if f succeeds.
func (db *DB) inWrite(ctx context.Context, f func(tx *sql.Tx) error) error {
	if db.write == nil {
		return errReadOnly
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return db.explainReadonly(classify(err))
	}
	if err := f(tx); err != nil {
		tx.Rollback()
		return db.explainReadonly(classify(err))
	}
	return db.explainReadonly(classify(tx.Commit()))
}

// inRead runs f in a read transaction: a snapshot of the database that
// writers do not change under it.
func (db *DB) inRead(ctx context.Context, f func(tx *sql.Tx) error) error {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return classify(err)
	}
	defer tx.Rollback()
	if err := f(tx); err != nil {
		return errors.Join(classify(err), db.checkUnchanged())
	}
	return db.checkUnchanged()
}

// timeLayout stores times as UTC ISO-8601 text that sorts as it reads and
// that SQLite's date functions and pandas.to_datetime parse.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

// formatTime returns t as stored; the zero time is NULL.
func formatTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(timeLayout)
}

// parseTime reads a stored time; NULL is the zero time.
func parseTime(s sql.NullString) (time.Time, error) {
	if !s.Valid || s.String == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s.String)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q: %w", s.String, err)
	}
	return t, nil
}

// float returns f as stored: SQLite turns NaN into NULL anyway, and
// saying so keeps the intent visible.
func float(f float64) any {
	if math.IsNaN(f) {
		return nil
	}
	return f
}

// unfloat reads a stored float: NULL is NaN.
func unfloat(f sql.NullFloat64) float64 {
	if !f.Valid {
		return math.NaN()
	}
	return f.Float64
}

// fileKind names what a path that is not a regular file is.
func fileKind(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&os.ModeNamedPipe != 0:
		return "a named pipe"
	case m&os.ModeSocket != 0:
		return "a socket"
	case m&os.ModeDevice != 0:
		return "a device"
	}
	return "not a file"
}
