package results

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/optbench/optbench/engine/train"
)

// damage overwrites 4 KiB in the middle of the file with random bytes
// from a fixed seed, as the damaged database was made.
func damage(t testing.TB, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 3*4096 {
		t.Fatalf("%s has %d bytes: too small to damage in the middle", path, len(b))
	}
	rng := rand.New(rand.NewPCG(9, 4096))
	mid := len(b)/2 - 2048
	for i := mid; i < mid+4096; i++ {
		b[i] = byte(rng.Uint32())
	}
	if err := os.WriteFile(path, b, 0o666); err != nil {
		t.Fatal(err)
	}
}

// TestDamagedRefused: a writer refuses a database with 4 KiB of random
// bytes in its middle, with SQLite's message and the recovery hint, and
// leaves it as it was (run used to append trials to it).
func TestDamagedRefused(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "r.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s := putSweep(t, db, "big")
	for i := range 200 {
		record(t, db.Recorder(s.ID, 0), testOutcome("big", 0.001*float64(i+1), 1, train.Completed, 50))
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	damage(t, path)
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	db, err = Open(ctx, path)
	if err == nil {
		db.Close()
		t.Fatal("Open of a damaged database succeeded")
	}
	t.Log(err)
	if !errors.Is(err, ErrDamaged) {
		t.Errorf("Open: %v, want %v", err, ErrDamaged)
	}
	if want := []byte("sqlite3 " + path + " .recover"); !bytes.Contains([]byte(err.Error()), want) {
		t.Errorf("Open: %v, want the hint %s", err, want)
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Error("Open changed the damaged database")
	}
}

// BenchmarkIntegrityCheck measures the check a writer makes when it opens
// a database, on one of 10 000 trials × 300 epochs of a classifier (the
// size of BenchmarkWrite10kx300's file). One op is one check.
//
//	go test -run '^$' -bench IntegrityCheck -benchtime 10x ./results/
func BenchmarkIntegrityCheck(b *testing.B) {
	const trials, epochs = 10000, 300
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "bench.db")
	db, r := benchSweep(b, path)
	defer db.Close()
	recordClassifiers(b, r, trials, epochs)
	var err error
	// As a writer finds it: closed, checkpointed, opened again.
	if err := db.Close(); err != nil {
		b.Fatal(err)
	}
	if db, err = Open(ctx, path); err != nil {
		b.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := db.checkIntegrity(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(fi.Size())/(1<<20), "MiB")
}

// TestIntegrityCheckLimit: a check that runs out of time lets the writer
// open the database (the limit bounds the cost on files of many GiB).
func TestIntegrityCheckLimit(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "r.db")
	writeTestDB(t, path)
	defer func(limit time.Duration) { IntegrityCheckLimit = limit }(IntegrityCheckLimit)
	IntegrityCheckLimit = time.Nanosecond
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
}
