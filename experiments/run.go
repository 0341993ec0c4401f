package experiments

import (
	"context"
	"fmt"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/data"
	"github.com/optbench/optbench/engine/nn"
	"github.com/optbench/optbench/engine/optim"
	"github.com/optbench/optbench/engine/rng"
	"github.com/optbench/optbench/engine/schedule"
	"github.com/optbench/optbench/engine/testfunc"
	"github.com/optbench/optbench/engine/train"
)

// Run trains one trial and reports each epoch to observe. The trial's
// parameters are resolved first, so a partial parameter set is accepted.
// Errors are configuration errors; divergence and interruption are
// statuses of the result. Run shares nothing between calls; a [Runner]
// lets the trials of a run share what they compute alike.
func Run(ctx context.Context, t engine.Trial, observe train.Observer) (train.Result, error) {
	return new(Runner).Run(ctx, t, observe)
}

// A Runner runs trials as [Run] does, with results bit-identical to Run's
// (TestRunnerSharesOrders), and lets the trials it runs share the
// permutations of the course's seeding (train.CourseOrders): the course
// sweep's trials reseed before every epoch with the same seeds, and drawing
// those permutations was a fifth of the sweep's time. A command makes one
// Runner for the trials it runs. Safe for concurrent use; the zero value
// is ready.
type Runner struct {
	orders train.CourseOrders
}

// Run trains one trial; see the package-level [Run].
func (r *Runner) Run(ctx context.Context, t engine.Trial, observe train.Observer) (train.Result, error) {
	e, err := Lookup(t.Experiment)
	if err != nil {
		return train.Result{}, err
	}
	p, err := e.Resolve(t.Params)
	if err != nil {
		return train.Result{}, err
	}
	if e.objective != nil {
		return e.evaluate(ctx, p, observe), nil
	}
	opt, sched, err := e.optimizer(p)
	if err != nil {
		return train.Result{}, err
	}
	if e.Function {
		ft := &train.FunctionTrainer{F: e.function(p), Optimizer: opt, Schedule: sched, Steps: t.Budget.Epochs}
		return ft.Run(ctx, observe)
	}
	tr, err := e.Trainer(p, t.Seed, t.Budget)
	if err != nil {
		return train.Result{}, err
	}
	tr.Optimizer, tr.Schedule = opt, sched
	if s, ok := tr.Shuffle.(*train.CourseShuffle); ok {
		s.Orders = &r.orders
	}
	return tr.Run(ctx, observe)
}

// optimizer builds the optimizer and schedule that p names.
func (e *Experiment) optimizer(p engine.Params) (optim.Optimizer, schedule.Schedule, error) {
	opt, err := NewOptimizer(p)
	if err != nil {
		return nil, nil, err
	}
	sched, err := NewSchedule(p)
	if err != nil {
		return nil, nil, err
	}
	return opt, sched, nil
}

// Trainer builds the network, data and random streams of a network trial
// from resolved parameters. The optimizer and schedule are left for the
// caller to set.
func (e *Experiment) Trainer(p engine.Params, seed uint64, budget engine.Budget) (*train.Trainer, error) {
	if e.Function || e.objective != nil {
		return nil, fmt.Errorf("experiment %s is a test function, not a network", e.Name)
	}
	trainSet, valSet, testSet, err := e.load(p)
	if err != nil {
		return nil, fmt.Errorf("experiment %s: data: %w", e.Name, err)
	}
	sh := shapeOf(trainSet)
	loss := e.lossFor(p, sh.Classes)
	arch, layered := architectureOf(p)
	layered = layered && arch.Name != ArchMLP
	var cfg nn.Config
	if layered {
		planned, err := e.shape(p)
		if err != nil {
			return nil, fmt.Errorf("experiment %s: data: %w", e.Name, err)
		}
		if planned.Image.Size() != sh.Features {
			return nil, fmt.Errorf("experiment %s: model: architecture %s needs images; the data have %d features, not %v",
				e.Name, arch, sh.Features, planned.Image)
		}
		sh.Image = planned.Image
	} else if cfg, err = e.network(p, sh, loss); err != nil {
		return nil, fmt.Errorf("experiment %s: model: %w", e.Name, err)
	}
	var initSrc *rng.RandomState
	var shuffle train.Shuffler
	seeding := e.Seeding
	if courseSeeded(p) {
		seeding = Course
	}
	switch seeding {
	case Course:
		if seed > 1<<32-9-uint64(budget.Epochs) {
			return nil, fmt.Errorf("experiment %s: seed %d is too large for numpy seeding (at most 2^32−9−epochs)", e.Name, seed)
		}
		initSrc = rng.New(uint32(seed))
		shuffle = &train.CourseShuffle{Base: uint32(seed) + 7}
	default:
		initSrc = rng.New(rng.Derive(seed, "init"))
		shuffle = train.StreamShuffle{R: rng.New(rng.Derive(seed, "shuffle"))}
	}
	if keep, ok := p.Bool("shuffle"); ok && !keep {
		shuffle = train.NoShuffle{} // the course's batch gradient descent takes the examples in order
	}
	var net train.Model
	if layered {
		net, err = nn.NewSequential(sh.Image, loss, initSrc, arch.Layers(sh.Classes)...)
	} else {
		net, err = nn.New(cfg, initSrc)
	}
	if err != nil {
		return nil, fmt.Errorf("experiment %s: model: %w", e.Name, err)
	}
	batch, _ := p.Float("batch_size")
	patience, _ := p.Float("patience")
	tr := &train.Trainer{
		Net:     net,
		Train:   toSplit(trainSet, loss),
		Shuffle: shuffle,
		Dropout: rng.New(rng.Derive(seed, "dropout")),
		Config: train.Config{
			Epochs:    budget.Epochs,
			BatchSize: int(batch),
			MaxSteps:  budget.Steps,
			MaxWall:   time.Duration(budget.WallSeconds * float64(time.Second)),
			Early:     train.EarlyStopping{Patience: int(patience)},
			// The raw log's +Inf is the course's printed cost, not divergence.
			InfiniteLoss:  rawLog(p),
			LastBatchLoss: lastBatchLoss(p),
		},
	}
	if valSet != nil && valSet.Len() > 0 {
		v := toSplit(valSet, loss)
		tr.Val = &v
	}
	if testSet != nil && testSet.Len() > 0 {
		ts := toSplit(testSet, loss)
		tr.Test = &ts
	}
	return tr, nil
}

// rawLog reports whether resolved parameters ask for the course's raw
// logarithm in the loss (clamp_log: none).
func rawLog(p engine.Params) bool {
	s, _ := p.String("clamp_log")
	return s == "none"
}

// pairwiseLoss reports whether resolved parameters ask for numpy's
// pairwise order of the loss sum (reduction: pairwise).
func pairwiseLoss(p engine.Params) bool {
	s, _ := p.String("reduction")
	return s == "pairwise"
}

// lastBatchLoss reports whether resolved parameters ask for
// train_last_batch_loss.
func lastBatchLoss(p engine.Params) bool {
	b, _ := p.Bool("record_last_batch_loss")
	return b
}

// lossFor returns the loss of a trial: the experiment's Loss, or the one
// its loss function picks for these parameters and training data.
func (e *Experiment) lossFor(p engine.Params, classes int) nn.Loss {
	if e.loss != nil {
		return e.loss(p, classes)
	}
	return e.Loss
}

// network returns the network configuration of a trial on data of shape
// s, checked as nn.New checks it (nn.Config.Validate) but not built.
func (e *Experiment) network(p engine.Params, s Shape, loss nn.Loss) (nn.Config, error) {
	hidden, _ := p.Ints("hidden")
	layers := append([]int{s.Features}, hidden...)
	switch loss {
	case nn.MeanSquaredError:
		layers = append(layers, s.Targets)
	case nn.BinaryCrossEntropy:
		layers = append(layers, 1)
	default:
		layers = append(layers, s.Classes)
	}
	actName, _ := p.String("activation")
	act, err := nn.ParseActivation(actName)
	if err != nil {
		return nn.Config{}, err
	}
	initName, _ := p.String("init")
	init, err := nn.ParseInit(initName)
	if err != nil {
		return nn.Config{}, err
	}
	cfg := nn.Config{Layers: layers, Hidden: act, Loss: loss, Init: init}
	cfg.RawLog = rawLog(p)
	cfg.PairwiseLoss = pairwiseLoss(p)
	cfg.InitScale, _ = p.Float("init_scale")
	cfg.LeakySlope, _ = p.Float("leaky_slope")
	cfg.L2, _ = p.Float("l2")
	cfg.L1, _ = p.Float("l1")
	cfg.BatchNorm, _ = p.Bool("batch_norm")
	if keep, _ := p.Float("keep_prob"); keep < 1 && len(hidden) > 0 {
		cfg.KeepProb = []float64{keep}
	}
	if cfg.LeakySlope == 0 {
		// nn treats 0 as "default"; a zero slope is plain ReLU.
		if act == nn.LeakyReLU {
			cfg.Hidden = nn.ReLU
		}
	}
	return cfg, cfg.Validate()
}

// toSplit lays a dataset out for the network: inputs d×m, and targets 1×m
// (0/1) for binary cross-entropy, one-hot k×m for softmax, k×m for
// regression.
func toSplit(ds *data.Dataset, loss nn.Loss) train.Split {
	m, d := ds.X.Dims()
	s := train.Split{M: m, X: make([]float64, d*m)}
	xt := mat.NewDense(d, m, s.X)
	xt.Copy(ds.X.T())
	switch loss {
	case nn.BinaryCrossEntropy:
		s.Y = make([]float64, m)
		for i, l := range ds.Labels {
			s.Y[i] = float64(l)
		}
	case nn.SoftmaxCrossEntropy:
		s.Y = make([]float64, ds.Classes*m)
		for i, l := range ds.Labels {
			s.Y[l*m+i] = 1
		}
	default:
		_, k := ds.Targets.Dims()
		s.Y = make([]float64, k*m)
		mat.NewDense(k, m, s.Y).Copy(ds.Targets.T())
	}
	return s
}

// TrainSize returns the number of training examples a trial with these
// resolved parameters gets (0 for 2-D test functions), so that sweeps can
// reject a batch larger than the training set before anything runs. It
// computes the size from the parameters without generating the data;
// only the csv experiment reads its file, once per version of the file.
func (e *Experiment) TrainSize(p engine.Params) (int, error) {
	if e.Function || e.objective != nil {
		return 0, nil
	}
	s, err := e.shape(p)
	if err != nil {
		return 0, err
	}
	return s.Train, nil
}

// CheckModel checks the network a trial with these resolved parameters
// would build, as Trainer does (layer sizes, the parameter count against
// nn.MaxParams), from the data's shape and without allocating the
// network or generating the data, so that a sweep can refuse a model too
// large to train before anything runs. A problem of the model's size is
// a *ParamError of hidden, or of architecture for the layer
// architectures, whose workspaces for one batch must also fit in
// MaxWorkspaceValues (else a *ParamError of batch_size). 2-D test
// functions have no model.
func (e *Experiment) CheckModel(p engine.Params) error {
	if e.Function || e.objective != nil {
		return nil
	}
	s, err := e.shape(p)
	if err != nil {
		return err
	}
	if a, ok := architectureOf(p); ok && a.Name != ArchMLP {
		return checkLayers(a, s, p)
	}
	cfg, err := e.network(p, s, e.lossFor(p, s.Classes))
	if err != nil && cfg.Layers != nil {
		return &ParamError{"hidden", fmt.Errorf("model: %w", err)}
	}
	return err
}

// TestFunction returns the 2-D test function of a function experiment
// with the given (possibly partial) parameters.
func (e *Experiment) TestFunction(p engine.Params) (testfunc.Function, error) {
	if !e.Function {
		return nil, fmt.Errorf("experiment %s is not a 2-D test function", e.Name)
	}
	return e.function(p), nil
}

// MaxWorkspaceValues bounds the values (8 bytes each) the layers of a
// cnn, 2c2d or resnet hold for one training batch: 2²⁸ values are 2 GiB.
// fmnist-2c2d at batch 128 needs about 13 million.
const MaxWorkspaceValues = 1 << 28

// checkLayers plans the layers of architecture a on images of the data's
// shape and checks their workspace for the trial's batch.
func checkLayers(a Architecture, s Shape, p engine.Params) error {
	if s.Image == nil {
		return &ParamError{"architecture", fmt.Errorf("architecture %s needs images; the data are vectors of %d features", a.Name, s.Features)}
	}
	_, perExample, err := nn.PlanSequential(s.Image, a.Layers(s.Classes)...)
	if err != nil {
		return &ParamError{"architecture", fmt.Errorf("%s on images of %v: %w", a, s.Image, err)}
	}
	batch := intParam(p, "batch_size")
	if batch == 0 {
		batch = s.Train
	}
	if need := uint64(batch) * uint64(perExample); need > MaxWorkspaceValues {
		return &ParamError{"batch_size", fmt.Errorf("%d examples of %s on %v images need %d workspace values (%.1f GiB); "+
			"at most %d: take a smaller batch", batch, a, s.Image, need, float64(need)*8/(1<<30), MaxWorkspaceValues)}
	}
	return nil
}
