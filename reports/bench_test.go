package reports

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/train"
	"github.com/optbench/optbench/results"
)

// sweep10k is a synthetic sweep of 10 000 trials: four optimizers × ten
// learning rates × five batch sizes × 50/seeds L2 penalties, with the
// given number of seeds each (1, 2, 5 or 10), and 300-epoch curves loaded
// on demand.
func sweep10k(seeds int) (Input, *int) {
	var l2s []float64
	for i := 0; i < 50/seeds; i++ {
		l2s = append(l2s, 1e-4*float64(i))
	}
	var trials []results.TrialRecord
	for oi, opt := range []string{"sgd", "momentum", "rmsprop", "adam"} {
		for li := 0; li < 10; li++ {
			lr := 1e-4 * math.Pow(10, float64(li)/2.5)
			for _, bs := range []float64{16, 32, 64, 128, 256} {
				for _, l2 := range l2s {
					p := engine.Params{"optimizer": opt, "lr": lr, "batch_size": bs, "l2": l2, "hidden": []float64{32, 32}}
					base := 0.95 - 0.02*math.Abs(math.Log10(lr)+2.5+0.2*float64(oi)) - 0.01*math.Log2(bs/16)/4 - l2
					for s := uint64(0); s < uint64(seeds); s++ {
						t := engine.Trial{Experiment: "moons", Params: p, Seed: s, Budget: engine.Budget{Epochs: 300}}
						st := train.Completed
						final := map[string]float64{"val_accuracy": base + 0.003*math.Sin(float64(s)*1.7+lr)}
						if lr > 0.5 && s%3 == 0 {
							st, final = train.Diverged, nil
						}
						trials = append(trials, results.TrialRecord{Sweep: "big", Key: t.Key(), Experiment: "moons", Optimizer: opt,
							Params: p, Seed: s, Status: st, Epochs: 300, WallSeconds: 30 / math.Log2(bs), Final: final})
					}
				}
			}
		}
	}
	loaded := new(int)
	load := curvesFor(trials, 300)
	in := Input{
		Sweep:  results.SweepRecord{Name: "big", Experiment: "moons", Metric: "val_accuracy", Goal: "maximize"},
		Trials: trials,
		Curves: func(ctx context.Context, keys []string) (map[string][]train.Epoch, error) {
			*loaded += len(keys)
			return load(ctx, keys)
		},
	}
	return in, loaded
}

// BenchmarkReport10k times the whole of WriteHTML for 10 000 trials: 1 000
// configurations of ten seeds, and 10 000 configurations of one seed (the
// largest tables). The random search's own views (importance, a plot
// per parameter, parallel coordinates, history) are timed by
// BenchmarkReportRandom10k.
func BenchmarkReport10k(b *testing.B) {
	for _, seeds := range []int{10, 1} {
		b.Run(fmt.Sprintf("seeds=%d", seeds), func(b *testing.B) {
			in, loaded := sweep10k(seeds)
			if len(in.Trials) != 10000 {
				b.Fatalf("%d trials", len(in.Trials))
			}
			dir := b.TempDir()
			b.ReportAllocs()
			for b.Loop() {
				*loaded = 0
				if _, err := WriteHTML(context.Background(), dir, in, Options{Target: ptr(0.9)}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(*loaded), "curves/op")
		})
	}
}

func BenchmarkAnalyze10k(b *testing.B) {
	in, _ := sweep10k(10)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Analyze(context.Background(), in, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReportRandom10k times WriteHTML for a random search of 10 000
// trials of one seed each, with 300-epoch curves: besides the tables and
// curves, PED-ANOVA importance, a scatter per parameter over all trials,
// parallel coordinates and the optimization history. Goal, with the
// others: under 5 s.
func BenchmarkReportRandom10k(b *testing.B) {
	in := searchInput(10000)
	in.Curves = curvesFor(in.Trials, 300)
	dir := b.TempDir()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := WriteHTML(context.Background(), dir, in, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
