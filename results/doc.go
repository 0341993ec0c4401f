// Package results stores sweeps, trials, per-epoch curves and provenance in
// SQLite. It is the results stage of the flow and the only package that
// imports database/sql; it implements the engine's Sink, and the reports
// and the command line read what it stored.
//
// It imports the standard library, engine, engine/metric, engine/train and the SQLite
// driver github.com/mattn/go-sqlite3 (cgo). SCHEMA.md documents the tables
// for use from sqlite3 and pandas.
//
// Several processes may share one database: the file is in WAL mode,
// writers take the write lock when their transaction begins and wait for
// each other (up to BusyTimeout), and readers see a consistent snapshot
// while a sweep writes. They share a sweep through its stored plan: Plan
// stores the trials, a Claimer (an engine.Source) claims them with
// renewed leases so that each is trained once, and its Recorder stores
// outcomes without ever replacing a finished result. That recorder commits
// outcomes in batches (Batch): a process killed between commits loses
// only trials that it still holds, which the next claimant trains again. Each trial records
// the engine.NumericsVersion that trained it, so results of older
// numerics are found (Stale) rather than silently reused.
//
// A Snapshot is what a comparison needs of one sweep: its header,
// provenance and, per trial, the configuration key that matches seeds
// across sweeps, final metrics and a CurveDigest of the curve. DB.Snapshot
// reads one from a database; WriteBaseline and ReadBaseline keep one in a
// baseline file, sorted JSON Lines with bit-exact floats meant to be
// committed next to the code (SCHEMA.md, "Baseline files").
//
// Readers never write: OpenReadOnly never creates, migrates or switches
// the journal mode of a file, and creates no -wal or -shm beside it
// (SQLite's mode=ro on a writer's -wal while one has the database open,
// immutable=1 when none has, with the file's size and modification time
// checked after every read, since immutable must not be used while a
// writer changes the file). So reading works on read-only media and
// leaves no file owned by the reader that would stop the owner's next
// write. Files that are not optbench databases (empty ones included) are
// refused with ErrNotResults, damaged ones with ErrDamaged.
package results
