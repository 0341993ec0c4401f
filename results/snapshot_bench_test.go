package results

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/optbench/optbench/engine/train"
)

// BenchmarkSnapshot10k loads the snapshot of a sweep of 10 000 classifier
// trials of 300 epochs, digesting every curve: the goal is well under 5 s.
// One op is the whole sweep; building the database is not timed.
//
//	go test -run '^$' -bench Snapshot10k -benchtime 1x ./results/
func BenchmarkSnapshot10k(b *testing.B) {
	const trials, epochs = 10000, 300
	ctx := context.Background()
	db, r := benchSweep(b, filepath.Join(b.TempDir(), "bench.db"))
	defer db.Close()
	recordClassifiers(b, r, trials, epochs)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		snap, err := db.Snapshot(ctx, "bench")
		if err != nil {
			b.Fatal(err)
		}
		if len(snap.Trials) != trials || snap.Trials[0].Epochs != epochs {
			b.Fatalf("got %d trials of %d epochs, want %d of %d", len(snap.Trials), snap.Trials[0].Epochs, trials, epochs)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e9, "s/sweep")
}

// BenchmarkCurve reads one 300-epoch curve of a sweep of 1000 trials, as a
// comparison does for each matched pair whose digests differ.
func BenchmarkCurve(b *testing.B) {
	const trials, epochs = 1000, 300
	ctx := context.Background()
	db, r := benchSweep(b, filepath.Join(b.TempDir(), "bench.db"))
	defer db.Close()
	recordClassifiers(b, r, trials, epochs)
	key := classifierOutcome(trials/2, make([]train.Epoch, epochs)).Key
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		c, err := db.Curve(ctx, "bench", key)
		if err != nil {
			b.Fatal(err)
		}
		if len(c) != epochs {
			b.Fatalf("got %d epochs, want %d", len(c), epochs)
		}
	}
}
