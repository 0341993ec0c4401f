package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/optbench/optbench/engine/nn"
	"github.com/optbench/optbench/engine/optim"
	"github.com/optbench/optbench/engine/rng"
)

// minSample is how long a step job runs steps for one sample, as
// peer.py's MIN_SECONDS.
const minSample = 500 * time.Millisecond

// trivialTrials is the number of trials in trivial.yaml and in the
// Optuna study.
const trivialTrials = 2000

type config struct {
	reps, trialReps int
	optbench        string // the optbench binary
	python          string // Debian's interpreter, which has the peers
	dir             string // this folder: peer.py and the sweeps
	root            string // the repository: the course sweep and its numpy reference
	only            *regexp.Regexp
}

// courseSweep and courseNumpy are the course sweep (7 runs × 5000 epochs
// of mini-batches of 64 on 300 examples: 175 000 steps) and the
// assignment's own numpy code for it, relative to the repository.
const (
	courseSweep = "sweeps/c2w2-optimization.yaml"
	courseNumpy = "experiments/testdata/c2w2_reference.py"
	courseSteps = 7 * 5000 * 5
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "bench-peers:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c config
	fs := flag.NewFlagSet("peers", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&c.reps, "reps", 5, "repetitions of each step job")
	fs.IntVar(&c.trialReps, "trial-reps", 3, "repetitions of the trial and worker jobs (Optuna takes up to a minute each)")
	fs.StringVar(&c.optbench, "optbench", "bin/optbench", "the optbench binary (make build)")
	fs.StringVar(&c.python, "python", "/usr/bin/python3", "the interpreter that has numpy, torch and optuna")
	fs.StringVar(&c.dir, "dir", "bench/peers", "the folder of peer.py, trivial.yaml and cpu.yaml")
	fs.StringVar(&c.root, "root", ".", "the repository, which has "+courseSweep+" and "+courseNumpy)
	only := fs.String("run", "", "run only the jobs whose names match this regular expression")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var err error
	if c.only, err = regexp.Compile(*only); err != nil {
		return fmt.Errorf("-run: %w", err)
	}
	if c.reps < 1 || c.trialReps < 1 {
		return fmt.Errorf("-reps and -trial-reps must be at least 1")
	}
	have := map[string]bool{}
	for _, m := range []string{"numpy", "torch", "optuna", "sklearn"} {
		have[m] = c.peerHas(ctx, m)
		if !have[m] {
			fmt.Fprintf(stderr, "bench-peers: %s cannot import %s (Debian package python3-%s): skipping it\n", c.python, m, m)
		}
	}
	tmp, err := os.MkdirTemp("", "optbench-peers-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	type side struct {
		name   string
		sample func(i int) (float64, error) // seconds per step or per trial
	}
	type job struct {
		name, unit string
		reps       int
		sides      []side // the first is optbench's
		steps      int    // training steps in a sample, to show the time per step too; 0: none
	}
	stepSides := func(py string, layers []int, batch int, loss nn.Loss) []side {
		s := []side{{"optbench", func(int) (float64, error) { return engineStep(layers, batch, loss) }}}
		for _, m := range []string{"numpy", "torch"} {
			if have[m] {
				s = append(s, side{map[string]string{"numpy": "numpy", "torch": "PyTorch"}[m],
					func(int) (float64, error) { return c.peer(ctx, py, m) }})
			}
		}
		return s
	}
	runDB := func(i int, j string, sweep string) (float64, error) {
		db := filepath.Join(tmp, fmt.Sprintf("%s-j%s-%d.db", strings.TrimSuffix(filepath.Base(sweep), ".yaml"), j, i))
		return wholeProcess(exec.CommandContext(ctx, c.optbench, "run", "--db", db, "--quiet", "-j", j, sweep))
	}
	course := job{name: "course sweep c2w2-optimization, 7 × 5000 epochs (175 000 steps), whole process", unit: "s",
		reps: c.trialReps, steps: courseSteps, sides: []side{{"optbench run -j 1",
			func(i int) (float64, error) { return runDB(i, "1", filepath.Join(c.root, courseSweep)) }}}}
	if have["numpy"] && have["sklearn"] {
		course.sides = append(course.sides, side{"numpy (the course's code)", func(int) (float64, error) {
			cmd := exec.CommandContext(ctx, c.python, filepath.Join(c.root, courseNumpy))
			cmd.Env = peerEnv()
			return wholeProcess(cmd)
		}})
	}
	if have["torch"] && have["sklearn"] {
		course.sides = append(course.sides, side{"PyTorch", func(int) (float64, error) {
			cmd := exec.CommandContext(ctx, c.python, filepath.Join(c.dir, "peer.py"), "course-sweep", "torch")
			cmd.Env = peerEnv()
			return wholeProcess(cmd)
		}})
	}
	jobs := []job{course,
		{name: "course net [2,5,2,1], batch 64, Adam, per step", unit: "µs", reps: c.reps,
			sides: stepSides("course", []int{2, 5, 2, 1}, 64, nn.BinaryCrossEntropy)},
		{name: "784-256-10, batch 128, Adam, float64, per step", unit: "ms", reps: c.reps,
			sides: stepSides("mnist", []int{784, 256, 10}, 128, nn.SoftmaxCrossEntropy)},
	}
	conv := job{name: "fmnist_2c2d (1×28×28), batch 128, Adam, float64, per step", unit: "s", reps: c.reps,
		sides: []side{{"optbench", func(int) (float64, error) { return conv2c2dStep(128) }}}}
	if have["torch"] {
		conv.sides = append(conv.sides, side{"PyTorch", func(int) (float64, error) { return c.peer(ctx, "2c2d", "torch") }})
	}
	jobs = append(jobs, conv)
	trials := job{name: "2000 trivial trials, SQLite storage, whole process, per trial", unit: "ms", reps: c.trialReps, sides: []side{{"optbench run -j 1",
		func(i int) (float64, error) {
			s, err := runDB(i, "1", filepath.Join(c.dir, "trivial.yaml"))
			return s / trivialTrials, err
		}}}}
	if have["optuna"] {
		trials.sides = append(trials.sides, side{"Optuna", func(i int) (float64, error) {
			return c.peer(ctx, "optuna", filepath.Join(tmp, fmt.Sprintf("optuna-%d.db", i)))
		}})
	}
	jobs = append(jobs, trials, job{name: "CPU-bound sweep (16 trials), whole run", unit: "s", reps: c.trialReps, sides: []side{
		{"optbench run -j 2", func(i int) (float64, error) { return runDB(i, "2", filepath.Join(c.dir, "cpu.yaml")) }},
		{"optbench run -j 1", func(i int) (float64, error) { return runDB(i, "1", filepath.Join(c.dir, "cpu.yaml")) }},
	}})

	loadBefore := loadAverage()
	fmt.Fprintf(stdout, "| job | optbench | peer | peer's time | peer ÷ optbench |\n|---|---|---|---|---|\n")
	for _, j := range jobs {
		if !c.only.MatchString(j.name) {
			continue
		}
		samples := make([][]float64, len(j.sides))
		for i := range j.reps {
			for k, s := range j.sides { // alternate: one sample of each side per repetition
				v, err := s.sample(i)
				if err != nil {
					return fmt.Errorf("%s, %s: %w", j.name, s.name, err)
				}
				samples[k] = append(samples[k], v)
			}
			fmt.Fprintf(stderr, "bench-peers: %s: repetition %d of %d\n", j.name, i+1, j.reps)
		}
		cell := func(seconds float64) string {
			if j.steps == 0 {
				return format(seconds, j.unit)
			}
			return fmt.Sprintf("%s (%.1f µs/step)", format(seconds, j.unit), seconds/float64(j.steps)*1e6)
		}
		own := median(samples[0])
		if len(j.sides) == 1 {
			fmt.Fprintf(stdout, "| %s | %s | — | — | — |\n", j.name, cell(own))
		}
		for k := 1; k < len(j.sides); k++ {
			peer := median(samples[k])
			fmt.Fprintf(stdout, "| %s | %s (%s) | %s | %s | %.2f× |\n", j.name, cell(own), j.sides[0].name,
				j.sides[k].name, cell(peer), peer/own)
		}
	}
	fmt.Fprintf(stdout, "\nMedians of %d repetitions (%d for the trial and worker jobs), optbench and peers alternating; ratio above 1: optbench faster (last row: -j 2's speed-up over -j 1).\n", c.reps, c.trialReps)
	fmt.Fprintf(stdout, "Machine: %s, %d CPUs; load average (1 min) %s before, %s after.\n", cpuModel(), runtime.NumCPU(), loadBefore, loadAverage())
	return nil
}

// wholeProcess runs cmd and returns its time from start to exit, in
// seconds; its output is kept for the error only.
func wholeProcess(cmd *exec.Cmd) (float64, error) {
	start := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		return 0, fmt.Errorf("%s: %v\n%s", cmd, err, out)
	}
	return time.Since(start).Seconds(), nil
}

// loadAverage is the one-minute load average, which says whether other
// work shared the CPUs during the measurement ("?" where /proc is absent).
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) > 0 {
		return f[0]
	}
	return "?"
}

// cpuModel is the first model name in /proc/cpuinfo, else GOARCH.
func cpuModel() string {
	b, _ := os.ReadFile("/proc/cpuinfo")
	for line := range strings.Lines(string(b)) {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

// peerEnv is the environment of a peer: one OpenBLAS thread (Debian's
// torch uses OpenBLAS, which torch.set_num_threads does not limit), and
// OpenBLAS left to pick its own kernel and cache size.
func peerEnv() []string {
	env := slices.DeleteFunc(os.Environ(), func(kv string) bool {
		for _, k := range []string{"OPENBLAS_CORETYPE=", "OPENBLAS_L2_SIZE=", "OPENBLAS_NUM_THREADS=", "OMP_NUM_THREADS="} {
			if strings.HasPrefix(kv, k) {
				return true
			}
		}
		return false
	})
	return append(env, "OPENBLAS_NUM_THREADS=1", "OMP_NUM_THREADS=1")
}

func (c config) peerHas(ctx context.Context, module string) bool {
	cmd := exec.CommandContext(ctx, c.python, "-c", "import "+module)
	cmd.Env = peerEnv()
	return cmd.Run() == nil
}

// peer runs peer.py with args and returns the number it prints.
func (c config) peer(ctx context.Context, args ...string) (float64, error) {
	cmd := exec.CommandContext(ctx, c.python, append([]string{filepath.Join(c.dir, "peer.py")}, args...)...)
	cmd.Env = peerEnv()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return 0, fmt.Errorf("%s: %v\n%s", cmd, err, stderr.Bytes())
	}
	return strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
}

// engineStep times Adam steps (forward, loss, backward, update) of the
// engine's network in steady state, as engine/train's BenchmarkStep does,
// for at least minSample, and returns seconds per step.
func engineStep(layers []int, batch int, loss nn.Loss) (float64, error) {
	r := rng.New(1)
	net, err := nn.New(nn.Config{Layers: layers, Loss: loss}, r)
	if err != nil {
		return 0, err
	}
	d, k := layers[0], layers[len(layers)-1]
	x := make([]float64, d*batch)
	r.Randn(x)
	y := make([]float64, k*batch)
	for c := 0; c < batch; c++ {
		y[(c%k)*batch+c] = 1
	}
	return timeSteps(net, x, y, batch)
}

// conv2c2dStep times Adam steps of DeepOBS's fmnist_2c2d
// (nn.TwoConvTwoDense) on 1×28×28 inputs, as engine/nn's
// BenchmarkStep2c2d does, and returns seconds per step.
func conv2c2dStep(batch int) (float64, error) {
	r := rng.New(1)
	in := nn.Shape{1, 28, 28}
	net, err := nn.NewSequential(in, nn.SoftmaxCrossEntropy, r, nn.TwoConvTwoDense(10)...)
	if err != nil {
		return 0, err
	}
	x := make([]float64, in.Size()*batch)
	r.Randn(x)
	y := make([]float64, 10*batch)
	for c := 0; c < batch; c++ {
		y[(c%10)*batch+c] = 1
	}
	return timeSteps(net, x, y, batch)
}

// network is what a timed step uses of nn.Network and nn.Sequential.
type network interface {
	Forward(x []float64, batch int, train bool, dropout *rng.RandomState)
	Loss(y []float64) float64
	Backward(y []float64)
	Params() []float64
	Grads() []float64
}

// timeSteps warms up with 3 steps, then runs steps for at least
// minSample and returns seconds per step.
func timeSteps(net network, x, y []float64, batch int) (float64, error) {
	opt, err := optim.New("adam", nil)
	if err != nil {
		return 0, err
	}
	step := func() {
		net.Forward(x, batch, true, nil)
		_ = net.Loss(y)
		net.Backward(y)
		opt.Step(net.Params(), net.Grads(), 0.001)
	}
	for range 3 { // size workspaces and optimizer state, as peer.py warms up
		step()
	}
	n, start := 0, time.Now()
	for {
		step()
		n++
		if e := time.Since(start); e >= minSample {
			return e.Seconds() / float64(n), nil
		}
	}
}

func median(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func format(seconds float64, unit string) string {
	switch unit {
	case "µs":
		return fmt.Sprintf("%.1f µs", seconds*1e6)
	case "ms":
		return fmt.Sprintf("%.2f ms", seconds*1e3)
	}
	return fmt.Sprintf("%.2f s", seconds)
}
