// Package schedule holds learning-rate schedules: the rule that gives the
// optimizer its learning rate for each update of a trial.
//
// It is part of the engine stage: the trainer (engine/train) asks its
// Schedule for the rate before every update, passing the epoch being trained
// (from 0) and the global step (from 1). The package imports only the
// standard library, gonum and other engine packages (engine/hparam for the
// descriptions of its settings, engine/internal/crmath for the cosine); it
// does no I/O and keeps no global state. Rates are the same bits on every
// platform: products that feed an addition are rounded explicitly
// (float64(x*y)) so that no compiler fuses them into a multiply-add.
//
// # Timing
//
// Published results differ in when a schedule moves, and an off-by-one epoch
// changes a decayed run measurably, so every schedule states its [Timing]:
//
//   - [BeforeEpoch]: the rate while epoch e is trained is f(e), so epoch 0
//     trains at f(0). This is torch's convention: an LRScheduler's step()
//     called after each epoch makes the next epoch train at f(e).
//   - [AfterEpoch]: the course's convention. The rate is recomputed when
//     epoch i finishes, as f(i), so epoch 0 trains at the initial rate α0 and
//     epoch e ≥ 1 trains at f(e − 1). The DeepLearning.AI "Optimization
//     Methods" assignment sets learning_rate = α0/(1 + r·i) at the end of
//     epoch i this way.
//   - [PerStep]: the rate at global step t (from 1) is f(t), for schedules
//     defined over steps. A torch scheduler stepped after every batch makes
//     step t train at its f(t − 1); write f accordingly.
//
// Each schedule documents its default timing, which the zero Timing
// ([DefaultTiming]) selects, and which timings it accepts.
//
// # Configuration
//
// Config files reach the schedules through [Names], [Specs] and [New], with
// numeric settings described by [hparam.Spec] values and list settings
// (boundaries, factors, values) beside them in [Settings]. Any schedule can be
// preceded by a linear warm-up ([Warmup]) over warmup_epochs epochs or
// warmup_steps steps.
//
// LR does no allocation and keeps no state, so one Schedule may be shared.
package schedule
