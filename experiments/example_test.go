package experiments_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/engine/train"
	"github.com/optbench/optbench/experiments"
)

// The first published cost of the DeepLearning.AI optimization table:
// plain gradient descent with α = 0.0007 on the course's moons.
func ExampleRun() {
	t := engine.Trial{Experiment: "c2w2-moons", Seed: 3, Budget: engine.Budget{Epochs: 1},
		Params: engine.Params{"optimizer": "gd", "lr": 0.0007}}
	_, err := experiments.Run(context.Background(), t, train.Watch(func(e train.Epoch) {
		fmt.Printf("cost after epoch %d: %.6f\n", e.Epoch, e.Values[metric.TrainLoss])
	}))
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// cost after epoch 0: 0.702405
}

func ExampleExperiment_Resolve() {
	x, _ := experiments.Lookup("moons-mlp")
	p, err := x.Resolve(engine.Params{"optimizer": "adam", "lr": 0.001})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p["beta1"], p["beta2"], p["eps"], engine.FormatValue(p["hidden"]))
	_, err = x.Resolve(engine.Params{"optimizer": "momentum", "beta1": 0.9})
	fmt.Println(err)
	// Output:
	// 0.9 0.999 1e-08 16x16
	// parameter "beta1" does not apply to experiment moons-mlp with optimizer momentum and schedule constant (did you mean "beta"?)
}

// The csv experiment reads the researcher's file: Resolve records the
// SHA-256 of its content, so the trial key changes with the data, and a
// file that cannot be read is a ParamError naming the parameter to fix.
func ExampleParamError() {
	dir, err := os.MkdirTemp("", "optbench-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "tiny.csv")
	if err := os.WriteFile(file, []byte("x,y,class\n0,1,a\n1,0,b\n"), 0o644); err != nil {
		fmt.Println(err)
		return
	}
	x, _ := experiments.Lookup("csv")
	p, err := x.Resolve(engine.Params{"data_file": file})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p["data_sha256"])

	_, err = x.Resolve(engine.Params{"data_file": filepath.Join(dir, "nope.csv")})
	var pe *experiments.ParamError
	if errors.As(err, &pe) {
		fmt.Println("fix", pe.Param)
	}
	// Output:
	// c7275342205bfb29a2c09e6531157503e3cf59abf532a4167be12da64c85a88c
	// fix data_file
}

// The schedule of resolved parameters, as a trial builds it and as sweeps
// build it to check a configuration before anything runs.
func ExampleNewSchedule() {
	e, err := experiments.Lookup("moons-mlp")
	if err != nil {
		panic(err)
	}
	p, err := e.Resolve(engine.Params{"lr": 0.1, "schedule": "piecewise_constant",
		"boundaries": []float64{10, 20}, "factors": []float64{1, 0.1, 0.01}})
	if err != nil {
		panic(err)
	}
	s, err := experiments.NewSchedule(p)
	if err != nil {
		panic(err)
	}
	for _, epoch := range []int{0, 10, 25} {
		fmt.Printf("epoch %d: lr %.4g\n", epoch, s.LR(epoch, 0))
	}
	// Output:
	// epoch 0: lr 0.1
	// epoch 10: lr 0.01
	// epoch 25: lr 0.001
}
