package train

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/optbench/optbench/engine/metric"
	"github.com/optbench/optbench/engine/nn"
	"github.com/optbench/optbench/engine/optim"
	"github.com/optbench/optbench/engine/rng"
	"github.com/optbench/optbench/engine/schedule"
)

// Split is a set of examples in the network's layout: one example per
// column.
type Split struct {
	X []float64 // d×M row-major inputs
	Y []float64 // k×M row-major targets (0/1, one-hot or real values)
	M int       // number of examples
}

// Shuffler orders the training examples for an epoch.
type Shuffler interface {
	// Permute writes a permutation of 0..len(perm)−1 into perm for the
	// given epoch (from 0).
	Permute(epoch int, perm []int)
}

// CourseShuffle reseeds a numpy-compatible generator with Base+1+epoch
// before each epoch and draws permutation(m), as the DeepLearning.AI
// course's model() does with seed = 10 and random_mini_batches(…, seed+1).
// It draws four epochs' permutations at a time with an [rng.Permuter]
// (the same permutations, faster: TestCourseShuffleAhead), or takes them
// from Orders when that is set and holds them.
type CourseShuffle struct {
	Base uint32 // 10 in the course
	// Orders, when not nil, is where the trials of a run share their
	// permutations (see CourseOrders).
	Orders *CourseOrders

	p     *rng.Permuter
	first int     // the epoch of ahead[0]
	ahead [][]int // permutations of epochs first, first+1, …
}

// courseAhead is how many epochs' permutations CourseShuffle draws at once:
// the Permuter seeds four generators side by side.
const courseAhead = 4

// Permute implements Shuffler.
func (s *CourseShuffle) Permute(epoch int, perm []int) {
	if p := s.lend(epoch, len(perm)); p != nil {
		for i, v := range p {
			perm[i] = int(v)
		}
		return
	}
	k := epoch - s.first
	if s.p == nil || len(s.ahead[0]) != len(perm) || k < 0 || k >= courseAhead {
		if s.p == nil {
			s.p = new(rng.Permuter)
			s.ahead = make([][]int, courseAhead)
		}
		if len(s.ahead[0]) != len(perm) {
			for e := range s.ahead {
				s.ahead[e] = make([]int, len(perm))
			}
		}
		seeds := courseSeeds(s.Base, epoch)
		s.p.Permute(seeds[:], s.ahead)
		s.first, k = epoch, 0
	}
	copy(perm, s.ahead[k])
}

// lend returns the permutation of epoch from Orders, shared and not to be
// written to, or nil when Orders is not set or does not hold it (then
// Permute draws it). The trainer gathers its batches with it directly.
func (s *CourseShuffle) lend(epoch, m int) []uint16 {
	if s.Orders == nil {
		return nil
	}
	return s.Orders.order(s.Base, epoch, m)
}

// lender is a Shuffler that can lend an epoch's permutation, shared and
// read-only, instead of writing it into the trainer's (the copy of the
// course's 300 indices was a twentieth of an epoch's time).
type lender interface {
	lend(epoch, m int) []uint16
}

// courseSeeds returns the seeds of epochs epoch, epoch+1, …, epoch+3.
func courseSeeds(base uint32, epoch int) [courseAhead]uint32 {
	var seeds [courseAhead]uint32
	for e := range seeds {
		seeds[e] = base + 1 + uint32(epoch+e)
	}
	return seeds
}

// CourseOrders keeps the permutations CourseShuffle draws so that the
// trials of a run can share them. They depend only on Base (the trial's
// seed) and the training split's size, so the trials of the course sweep
// (seven configurations, one seed, 5000 epochs) would each draw the same
// 5000; with CourseOrders the first trial to reach an epoch draws its
// permutation and the others copy it. Sharing changes no result: a
// permutation is the same whoever draws it (TestCourseOrders). It holds
// indices as uint16 (first touching the memory of int indices was 4% of
// the course sweep's CPU profile), for splits of at most 65536
// examples, and at most MaxEntries of them (default 1<<25, 64 MiB); past
// either, trials draw their own. Safe for concurrent use; the zero value is ready.
type CourseOrders struct {
	MaxEntries int

	mu      sync.Mutex
	entries int
	orders  map[courseKey]*courseOrder
}

type courseKey struct {
	base uint32
	m    int
}

type courseOrder struct {
	perms [][]uint16 // by epoch, drawn courseAhead at a time
	p     rng.Permuter
	ahead [][]int
}

// Entries returns how many indices o holds.
func (o *CourseOrders) Entries() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.entries
}

// order returns the permutation of epoch for a split of m examples,
// drawing it and the next three if no trial has: a slice that o shares and
// nobody writes to. It returns nil when that would hold more than
// MaxEntries indices, when the epoch is not among those held or the next
// four (a trainer asks for its epochs in order), or when the split has
// more than 65536 examples.
func (o *CourseOrders) order(base uint32, epoch, m int) []uint16 {
	if epoch < 0 || m > 1<<16 {
		return nil
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	key := courseKey{base, m}
	ord := o.orders[key]
	if ord == nil {
		ord = &courseOrder{}
	}
	if epoch >= len(ord.perms) {
		limit := o.MaxEntries
		if limit == 0 {
			limit = 1 << 25
		}
		if epoch >= len(ord.perms)+courseAhead || o.entries+courseAhead*m > limit {
			return nil
		}
		if len(ord.perms) == 0 {
			if o.orders == nil {
				o.orders = make(map[courseKey]*courseOrder)
			}
			o.orders[key] = ord
			ord.ahead = make([][]int, courseAhead)
			for e := range ord.ahead {
				ord.ahead[e] = make([]int, m)
			}
		}
		seeds := courseSeeds(base, len(ord.perms))
		ord.p.Permute(seeds[:], ord.ahead)
		block := make([]uint16, courseAhead*m)
		for e, a := range ord.ahead {
			p := block[e*m : (e+1)*m : (e+1)*m]
			for i, v := range a {
				p[i] = uint16(v)
			}
			ord.perms = append(ord.perms, p)
		}
		o.entries += courseAhead * m
	}
	return ord.perms[epoch]
}

// StreamShuffle draws each epoch's permutation from one generator that is
// seeded once, the usual practice outside the course.
type StreamShuffle struct {
	R *rng.RandomState
}

// Permute implements Shuffler.
func (s StreamShuffle) Permute(epoch int, perm []int) { s.R.Permutation(perm) }

// NoShuffle keeps the examples in their stored order.
type NoShuffle struct{}

// Permute implements Shuffler.
func (NoShuffle) Permute(epoch int, perm []int) {
	for i := range perm {
		perm[i] = i
	}
}

// EarlyStopping stops training when a validation metric has not improved
// for Patience epochs. The zero value is off.
type EarlyStopping struct {
	Metric   string  // "val_loss" (minimized) or "val_accuracy" (maximized); default val_loss
	Patience int     // epochs without improvement before stopping; 0 = off
	MinDelta float64 // the smallest change that counts as improvement; default 0
}

// Config is a trial's training budget and procedure.
type Config struct {
	Epochs    int           // passes over the training split; at least 1
	BatchSize int           // examples per update; 0 = the whole training split (batch gradient descent)
	MaxSteps  int           // stop after this many updates; 0 = no limit
	MaxWall   time.Duration // stop after this much wall time; 0 = no limit (makes results depend on speed)
	Early     EarlyStopping // zero = off
	// InfiniteLoss makes an infinite training loss a value, not
	// divergence: the course's raw-log cost of a saturated prediction
	// (nn.Config.RawLog) is +Inf while its parameters and gradients stay
	// finite, and training goes on. Divergence is then a NaN loss or a
	// non-finite parameter. Default false: any non-finite loss diverges.
	InfiniteLoss bool
	// LastBatchLoss records train_last_batch_loss, the cost of each
	// epoch's last mini-batch (its mean loss plus the penalty over its
	// size), which the 2017 course notebooks printed. Default false, so
	// that the curves of trials that do not ask for it stay as they were.
	LastBatchLoss bool
}

// Status is how a trial ended, as the trainer, the executor, the store and
// the reports all name it. It is the one status type of the whole flow.
type Status string

const (
	Completed   Status = "completed"   // ran its whole budget, or stopped by its own early-stopping setting
	Pruned      Status = "pruned"      // stopped by a rule outside the trial (the observer's Decision): a result, not a failure
	Diverged    Status = "diverged"    // the loss became NaN or ±Inf (NaN only under Config.InfiniteLoss) or a parameter non-finite: a result, not an error
	Failed      Status = "failed"      // the trial returned an error or panicked (set by the executor)
	Interrupted Status = "interrupted" // the context was cancelled; a rerun trains it again
)

// Finished reports whether a trial with this status is a result that a
// rerun keeps: completed, pruned and diverged trials are; failed and
// interrupted ones are trained again.
func (s Status) Finished() bool {
	return s == Completed || s == Pruned || s == Diverged
}

// Decision is what an observer says after an epoch. The zero value goes
// on; Stop ends the trial with status Pruned after the epoch just
// observed.
type Decision struct {
	Stop   bool
	Reason string // why, for the stored trial ("median rule at epoch 4")
}

// Observer is told every epoch's metrics, in order, and decides whether
// training goes on. A nil Observer always goes on.
type Observer func(Epoch) Decision

// Epoch holds the metrics of one epoch: the per-epoch metrics declared in
// package metric, indexed by metric.ID, and the wall time apart. Metrics
// that do not apply are NaN.
type Epoch struct {
	Epoch  int           // from 0
	Values metric.Values // per-epoch metrics by metric.ID; see metric.All for their meaning
	// Extra holds the extra per-epoch metrics (metric.Def.Extra) when the
	// trial's settings ask for one, nil otherwise. A pointer keeps an
	// epoch at 88 bytes, which sweeps.MaxEpochs counts on.
	Extra   *metric.ExtraValues
	Seconds float64 // wall time since the trial started; the only value that is not reproducible
}

// NewEpoch returns epoch i with every metric undefined (NaN) and no wall
// time.
func NewEpoch(i int) Epoch { return Epoch{Epoch: i, Values: metric.Undefined()} }

// With returns e with the metric id set to v.
func (e Epoch) With(id metric.ID, v float64) Epoch {
	e.Values[id] = v
	return e
}

// Value returns the metric id of the epoch (NaN when undefined).
func (e Epoch) Value(id metric.ID) float64 { return e.Values[id] }

// Metric is one named value.
type Metric = metric.Value

// Metrics lists the epoch's defined metrics in the declaration's order,
// named as stored and exported: train_loss, train_accuracy, val_loss,
// val_accuracy, lr, grad_norm, x, y, then the extra ones the trial asked
// for (train_last_batch_loss). train_loss is always listed. Wall time is
// kept apart because it is not reproducible.
func (e Epoch) Metrics() []Metric {
	out := e.Values.AppendDefined(make([]Metric, 0, int(metric.NumPerEpoch)+metric.NumExtra))
	if e.Extra != nil {
		for i, d := range metric.Extras() {
			if v := e.Extra[i]; !math.IsNaN(v) {
				out = append(out, Metric{Name: d.Name, Value: v})
			}
		}
	}
	return out
}

// ExtraValue returns the extra per-epoch metric called name, NaN when
// the epoch does not record it.
func (e Epoch) ExtraValue(name string) float64 {
	if e.Extra != nil {
		for i, d := range metric.Extras() {
			if d.Name == name {
				return e.Extra[i]
			}
		}
	}
	return math.NaN()
}

// Result is the outcome of a trial.
type Result struct {
	Status  Status
	Epochs  int    // epochs completed (a diverged epoch counts)
	Steps   int    // parameter updates made
	Reason  string // why training stopped before its budget, if it did
	Last    Epoch  // metrics of the last epoch
	Final   []Metric
	Seconds float64
}

// ErrBudget reports an unusable training budget.
var ErrBudget = errors.New("train: invalid budget")

func (c Config) validate(m int) (batch int, err error) {
	if c.Epochs < 1 {
		return 0, fmt.Errorf("%w: epochs = %d must be at least 1", ErrBudget, c.Epochs)
	}
	if c.BatchSize < 0 {
		return 0, fmt.Errorf("%w: batch_size = %d must be positive (0 for the full batch)", ErrBudget, c.BatchSize)
	}
	if c.BatchSize > m {
		return 0, fmt.Errorf("%w: batch_size = %d is larger than the training set (%d examples)", ErrBudget, c.BatchSize, m)
	}
	if c.MaxSteps < 0 {
		return 0, fmt.Errorf("%w: max_steps = %d must not be negative", ErrBudget, c.MaxSteps)
	}
	switch c.Early.Metric {
	case "", "val_loss", "val_accuracy":
	default:
		return 0, fmt.Errorf("%w: early stopping metric %q (valid: val_loss, val_accuracy)", ErrBudget, c.Early.Metric)
	}
	batch = c.BatchSize
	if batch == 0 {
		batch = m
	}
	return batch, nil
}

// Model is what a Trainer trains: nn.Network (the fully connected
// network) and nn.Sequential (a network of layers) both are. Batches are
// laid out one example per column (Split).
type Model interface {
	Inputs() int  // values of one input example
	Outputs() int // output units
	// Params and Grads are the flat parameter and gradient vectors the
	// optimizer steps.
	Params() []float64
	Grads() []float64
	// Forward computes the outputs of a batch, in training mode (batch
	// statistics, dropout from dropout) or not.
	Forward(x []float64, batch int, train bool, dropout *rng.RandomState)
	// Loss is the summed loss of the last Forward against targets y.
	Loss(y []float64) float64
	// Penalty is the regularization term for m examples.
	Penalty(m int) float64
	// Backward computes Grads of the batch mean of the loss plus
	// Penalty(batch) for the last Forward.
	Backward(y []float64)
	// Correct counts the correctly classified examples of the last
	// Forward, -1 when the loss has no notion of a class.
	Correct(y []float64) int
}

var (
	_ Model = (*nn.Network)(nil)
	_ Model = (*nn.Sequential)(nil)
)

// Trainer holds what one trial needs. Fields are set by the caller.
type Trainer struct {
	Net       Model
	Optimizer optim.Optimizer
	Schedule  schedule.Schedule
	Train     Split
	Val       *Split           // nil when there is no validation split
	Test      *Split           // nil when there is no test set; evaluated once, after training
	Shuffle   Shuffler         // nil means NoShuffle
	Dropout   *rng.RandomState // needed when the network uses dropout
	Config    Config
	Now       func() time.Time // clock for wall time; nil means time.Now
}

// Run trains, calling observe (when not nil) after every epoch. A
// cancelled context ends training after the current epoch with status
// Interrupted and a nil error; a Decision to stop ends it with status
// Pruned.
func (t *Trainer) Run(ctx context.Context, observe Observer) (Result, error) {
	m := t.Train.M
	batch, err := t.Config.validate(m)
	if err != nil {
		return Result{}, err
	}
	if m < 1 {
		return Result{}, fmt.Errorf("%w: the training split is empty", ErrBudget)
	}
	net := t.Net
	d, k := net.Inputs(), net.Outputs()
	if len(t.Train.X) != d*m || len(t.Train.Y) != k*m {
		panic(fmt.Sprintf("train: training split is %d×%d and %d×%d values, network wants %d inputs and %d outputs",
			len(t.Train.X)/m, m, len(t.Train.Y)/m, m, d, k))
	}
	now := t.Now
	if now == nil {
		now = time.Now
	}
	shuffle := t.Shuffle
	if shuffle == nil {
		shuffle = NoShuffle{}
	}
	start := now()
	perm := make([]int, m)
	xb := make([]float64, d*batch)
	yb := make([]float64, k*batch)
	params, grads := net.Params(), net.Grads()
	early := newStopper(t.Config.Early)

	var res Result
	step := 0
	for epoch := 0; epoch < t.Config.Epochs; epoch++ {
		if ctx.Err() != nil {
			res.Status, res.Reason = Interrupted, "interrupted: "+context.Cause(ctx).Error()
			break
		}
		var lent []uint16
		if l, ok := shuffle.(lender); ok {
			lent = l.lend(epoch, m)
		}
		if lent == nil {
			shuffle.Permute(epoch, perm)
		}
		ep := NewEpoch(epoch)
		var lossSum, normSum, lastBatch float64
		lastSize := 0
		correct, updates, classifies := 0, 0, true
		stopSteps := false
		for lo := 0; lo < m; lo += batch {
			hi := min(lo+batch, m)
			B := hi - lo
			if lent != nil {
				gather(xb[:d*B], t.Train.X, d, m, lent[lo:hi])
				gather(yb[:k*B], t.Train.Y, k, m, lent[lo:hi])
			} else {
				gather(xb[:d*B], t.Train.X, d, m, perm[lo:hi])
				gather(yb[:k*B], t.Train.Y, k, m, perm[lo:hi])
			}
			net.Forward(xb[:d*B], B, true, t.Dropout)
			batchLoss := net.Loss(yb[:k*B])
			lossSum += batchLoss
			lastBatch, lastSize = batchLoss, B
			if c := net.Correct(yb[:k*B]); c >= 0 {
				correct += c
			} else {
				classifies = false
			}
			net.Backward(yb[:k*B])
			step++
			lr := t.Schedule.LR(epoch, step)
			if updates == 0 {
				ep.Values[metric.LR] = lr
			}
			normSum += l2Norm(grads)
			t.Optimizer.Step(params, grads, lr)
			updates++
			if t.Config.MaxSteps > 0 && step >= t.Config.MaxSteps {
				stopSteps = true
				break
			}
		}
		ep.Values[metric.TrainLoss] = lossSum/float64(m) + net.Penalty(m)
		if t.Config.LastBatchLoss {
			// Penalty after the step, as train_loss's: the course's
			// compute_cost ran before the update, so with a penalty the two
			// differ by one step's change of the weights.
			ep.Extra = &metric.ExtraValues{lastBatch/float64(lastSize) + net.Penalty(lastSize)} // Extras()[0]
		}
		if classifies {
			ep.Values[metric.TrainAccuracy] = float64(correct) / float64(m)
		}
		ep.Values[metric.GradNorm] = normSum / float64(updates)
		if t.Val != nil && t.Val.M > 0 {
			ep.Values[metric.ValLoss], ep.Values[metric.ValAccuracy] = evaluate(net, *t.Val)
		}
		ep.Seconds = now().Sub(start).Seconds()
		if res.endEpoch(ep, step, params, observe, epoch == t.Config.Epochs-1 || stopSteps, t.Config.InfiniteLoss) {
			break
		}
		if stopSteps {
			res.Reason = fmt.Sprintf("step budget of %d reached", t.Config.MaxSteps)
			break
		}
		if t.Config.MaxWall > 0 && now().Sub(start) >= t.Config.MaxWall {
			res.Reason = fmt.Sprintf("wall-clock budget of %v reached", t.Config.MaxWall)
			break
		}
		if early.stop(ep) {
			res.Reason = fmt.Sprintf("early stopping: %s did not improve for %d epochs", early.metric, early.patience)
			break
		}
	}
	res.finish(now().Sub(start))
	res.Final = t.final(res)
	return res, nil
}

// final lists the trial's final metrics: the last epoch's, then an
// inference-mode pass over the training split after training (the
// course's predict): train_eval_loss, train_eval_accuracy, train_correct;
// then, when there is a test set, the same pass over it: test_loss and
// test_accuracy. The test set is read only here, after training, so it
// can take no part in training, early stopping or pruning.
func (t *Trainer) final(res Result) []Metric {
	out := res.Last.Metrics()
	if res.Epochs == 0 {
		return nil
	}
	loss, acc := evaluate(t.Net, t.Train)
	out = append(out, Metric{Name: "train_eval_loss", Value: loss})
	if !math.IsNaN(acc) {
		out = append(out, Metric{Name: "train_eval_accuracy", Value: acc},
			Metric{Name: "train_correct", Value: math.Round(acc * float64(t.Train.M))})
	}
	if valAcc := res.Last.Values[metric.ValAccuracy]; t.Val != nil && t.Val.M > 0 && !math.IsNaN(valAcc) {
		out = append(out, Metric{Name: "val_correct", Value: math.Round(valAcc * float64(t.Val.M))})
	}
	if t.Test != nil && t.Test.M > 0 {
		loss, acc := evaluate(t.Net, *t.Test)
		out = append(out, Metric{Name: "test_loss", Value: loss})
		if !math.IsNaN(acc) {
			out = append(out, Metric{Name: "test_accuracy", Value: acc})
		}
	}
	return out
}

// evaluate runs s through the network in inference mode and returns the
// mean loss and the accuracy (NaN for regression).
func evaluate(net Model, s Split) (loss, acc float64) {
	net.Forward(s.X, s.M, false, nil)
	loss = net.Loss(s.Y) / float64(s.M)
	acc = math.NaN()
	if c := net.Correct(s.Y); c >= 0 {
		acc = float64(c) / float64(s.M)
	}
	return loss, acc
}

// gather copies the columns cols of the rows×m matrix src into dst
// (rows×len(cols)), two rows at a time so that each index is read once
// for both.
func gather[I int | uint16](dst, src []float64, rows, m int, cols []I) {
	B := len(cols)
	r := 0
	for ; r+2 <= rows; r += 2 {
		s0, s1 := src[r*m:(r+1)*m], src[(r+1)*m:(r+2)*m]
		d0, d1 := dst[r*B:(r+1)*B], dst[(r+1)*B:(r+2)*B]
		for c, j := range cols {
			d0[c], d1[c] = s0[j], s1[j]
		}
	}
	if r < rows {
		s0, d0 := src[r*m:(r+1)*m], dst[r*B:(r+1)*B]
		for c, j := range cols {
			d0[c] = s0[j]
		}
	}
}

// endEpoch is the bookkeeping every trainer does after an epoch: record
// it as the last, tell the observer, and stop on divergence (a non-finite
// loss or parameter; an infinite loss is a value when infOK) or on the
// observer's decision. A decision to stop
// after the budget's last epoch (last) changes nothing: the trial trained
// its whole budget and is completed, not pruned. It reports whether
// training stops.
func (res *Result) endEpoch(ep Epoch, steps int, params []float64, observe Observer, last, infOK bool) bool {
	res.Epochs, res.Steps, res.Last = ep.Epoch+1, steps, ep
	var d Decision
	if observe != nil {
		d = observe(ep)
	}
	switch loss := ep.Values[metric.TrainLoss]; {
	case math.IsNaN(loss) || (math.IsInf(loss, 0) && !infOK) || !finite(params):
		res.Status = Diverged
		res.Reason = fmt.Sprintf("loss became %v in epoch %d", loss, ep.Epoch)
	case d.Stop && !last:
		res.Status = Pruned
		res.Reason = d.Reason
		if res.Reason == "" {
			res.Reason = "stopped by rule"
		}
		res.Reason += fmt.Sprintf(" (after epoch %d)", ep.Epoch)
	default:
		return false
	}
	return true
}

// finish sets the status of a trial that ran out of epochs (Completed)
// and its wall time.
func (res *Result) finish(elapsed time.Duration) {
	if res.Status == "" {
		res.Status = Completed
	}
	res.Seconds = elapsed.Seconds()
}

func finite(x []float64) bool {
	for _, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

type stopper struct {
	metric   string
	id       metric.ID
	patience int
	delta    float64
	best     float64
	since    int
}

func newStopper(e EarlyStopping) *stopper {
	s := &stopper{metric: e.Metric, patience: e.Patience, delta: e.MinDelta, best: math.NaN()}
	if s.metric == "" {
		s.metric = "val_loss"
	}
	s.id, _ = metric.EpochID(s.metric)
	return s
}

func (s *stopper) stop(ep Epoch) bool {
	if s.patience <= 0 {
		return false
	}
	v, sign := ep.Values[s.id], 1.0
	if s.id.Def().Goal == metric.Maximize {
		sign = -1
	}
	if math.IsNaN(v) {
		return false
	}
	if math.IsNaN(s.best) || sign*(s.best-v) > s.delta {
		s.best, s.since = v, 0
		return false
	}
	s.since++
	return s.since >= s.patience
}

// Watch adapts f, which only looks at epochs, into an Observer that never
// stops training.
func Watch(f func(Epoch)) Observer {
	return func(e Epoch) Decision {
		f(e)
		return Decision{}
	}
}
