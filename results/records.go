package results

import (
	"time"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/train"
)

// SweepRecord is a stored sweep.
type SweepRecord struct {
	ID          int64
	Name        string
	Description string
	Experiment  string
	Metric      string // the metric the sweep ranks by, e.g. val_accuracy
	Goal        string // "minimize" or "maximize"
	File        string // path of the sweep file as given
	Source      string // the sweep file verbatim
	Hash        string // SHA-256 of Source, hex
	Search      string // canonical description of the search section, from the caller; "" matches any (see PutSweep)
	Created     time.Time
	Updated     time.Time
}

// TrialRecord is a stored trial with its final metrics.
type TrialRecord struct {
	Sweep       string
	Key         string
	Experiment  string
	Optimizer   string
	Params      engine.Params // every resolved parameter
	Seed        uint64
	Config      []byte // the canonical configuration (engine.Trial.Canonical)
	Status      train.Status
	Error       string
	Epochs      int    // epochs recorded
	Steps       int    // parameter updates made
	Reason      string // why training stopped before its budget, if it did
	Start, End  time.Time
	WallSeconds float64            // End − Start: the whole trial as the executor saw it
	Final       map[string]float64 // final metrics by name (train_loss, val_accuracy, …)
	RunID       int64              // the run (provenance) that produced it
	Numerics    string             // engine.NumericsVersion that trained it; NumericsUnknown if stored before versions were
	// Position is the trial's place in the sweep's stored plan, from 0:
	// the order the search proposed it. −1 when the current plan does
	// not hold the trial (results stored before plans were, or of
	// values since removed from the sweep file).
	Position int
}

// Provenance says what produced a run of a sweep.
type Provenance struct {
	RunID     int64
	Version   string // module version from the build info, or "(devel)"
	Revision  string // VCS revision, if the binary was built from a checkout
	Dirty     bool   // the checkout had uncommitted changes
	GoVersion string
	GOOS      string
	GOARCH    string
	GOAMD64   string
	CPU       string // CPU model
	Host      string
	Command   string // the command line
	Workers   int
	Shard     string // which part of a sharded sweep the run trained; "" = all of it
	Started   time.Time
	Finished  time.Time // zero while the run goes on, or if it was killed
}

// SweepSummary is a stored sweep with its trials counted by status, for
// listing.
type SweepSummary struct {
	SweepRecord
	Trials int                  // trials recorded
	Counts map[train.Status]int // trials by status; statuses without trials are absent
	Runs   int                  // runs started
	// Planned is the number of trials the stored plan holds that no run
	// has trained yet; they are not in Trials or Counts.
	Planned int
}

// RunCounts are what a run trained, counted as each outcome is recorded.
type RunCounts struct {
	Trained     int // outcomes recorded: the sum of the others
	Completed   int
	Pruned      int
	Diverged    int
	Failed      int
	Interrupted int
	// Discarded outcomes were trained but not stored, because the trial
	// already had a finished result (see Recorder.Store).
	Discarded int
}

// Add adds o's counts to c's: the counts of several runs together.
func (c *RunCounts) Add(o RunCounts) {
	c.Trained += o.Trained
	c.Completed += o.Completed
	c.Pruned += o.Pruned
	c.Diverged += o.Diverged
	c.Failed += o.Failed
	c.Interrupted += o.Interrupted
	c.Discarded += o.Discarded
}

// RunSummary is a run's provenance with what it trained, for listing.
type RunSummary struct {
	Provenance
	RunCounts
}

// Claim is a trial that a run is training: claimed, with a lease that has
// not expired.
type Claim struct {
	Key        string
	Status     train.Status // the status before this training: Planned, failed, interrupted or a stale result
	Owner      string       // who holds it: host:pid:run (see Owner)
	LeaseUntil time.Time    // the claim lapses then unless its owner renews it
}
