package results

// applicationID marks a database as optbench's (PRAGMA application_id), so
// that Open refuses to add tables to somebody else's SQLite file. It is
// "optb" in ASCII.
const applicationID = 0x6f707462

// migrations bring the schema from version i to i+1 (PRAGMA user_version).
// They are applied in order, each in the same transaction as the version
// bump, and never edited once released: a change is a new migration.
// SCHEMA.md documents the result.
var migrations = [...]string{
	// 1: the initial schema.
	`
CREATE TABLE sweeps (
	id          INTEGER PRIMARY KEY,
	name        TEXT NOT NULL UNIQUE,
	description TEXT NOT NULL DEFAULT '',
	experiment  TEXT NOT NULL DEFAULT '',
	metric      TEXT NOT NULL DEFAULT '',
	goal        TEXT NOT NULL DEFAULT '',
	file        TEXT NOT NULL DEFAULT '',
	source      TEXT NOT NULL DEFAULT '',
	hash        TEXT NOT NULL DEFAULT '',
	created     TEXT NOT NULL,
	updated     TEXT NOT NULL
);

CREATE TABLE runs (
	id         INTEGER PRIMARY KEY,
	sweep_id   INTEGER NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE,
	version    TEXT NOT NULL DEFAULT '',
	revision   TEXT NOT NULL DEFAULT '',
	dirty      INTEGER NOT NULL DEFAULT 0,
	go_version TEXT NOT NULL DEFAULT '',
	goos       TEXT NOT NULL DEFAULT '',
	goarch     TEXT NOT NULL DEFAULT '',
	goamd64    TEXT NOT NULL DEFAULT '',
	cpu        TEXT NOT NULL DEFAULT '',
	host       TEXT NOT NULL DEFAULT '',
	command    TEXT NOT NULL DEFAULT '',
	workers    INTEGER NOT NULL DEFAULT 0,
	shard      TEXT NOT NULL DEFAULT '',
	started    TEXT NOT NULL,
	finished   TEXT
);
CREATE INDEX runs_sweep ON runs(sweep_id);

CREATE TABLE trials (
	id           INTEGER PRIMARY KEY,
	sweep_id     INTEGER NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE,
	key          TEXT NOT NULL,
	experiment   TEXT NOT NULL,
	optimizer    TEXT NOT NULL DEFAULT '',
	params       TEXT NOT NULL,
	seed         INTEGER NOT NULL,
	config       TEXT NOT NULL,
	status       TEXT NOT NULL,
	error        TEXT NOT NULL DEFAULT '',
	reason       TEXT NOT NULL DEFAULT '',
	epochs       INTEGER NOT NULL DEFAULT 0,
	steps        INTEGER NOT NULL DEFAULT 0,
	started      TEXT,
	ended        TEXT,
	wall_seconds REAL,
	run_id       INTEGER REFERENCES runs(id) ON DELETE SET NULL,
	claimed_by   TEXT,
	lease_until  TEXT,
	UNIQUE (sweep_id, key)
);
CREATE INDEX trials_key ON trials(key);
CREATE INDEX trials_run ON trials(run_id);
CREATE INDEX trials_status ON trials(sweep_id, status);

-- Metric values have no declared type: REAL affinity would store a
-- float64 without a fraction as an integer, turning −0 into 0. NULL = NaN.
CREATE TABLE trial_metrics (
	trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
	name     TEXT NOT NULL,
	value,
	PRIMARY KEY (trial_id, name)
) WITHOUT ROWID;

CREATE TABLE curves (
	trial_id       INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
	epoch          INTEGER NOT NULL,
	train_loss,
	train_accuracy,
	val_loss,
	val_accuracy,
	lr,
	grad_norm,
	x,
	y,
	seconds,
	PRIMARY KEY (trial_id, epoch)
) WITHOUT ROWID;
`,
	// 2: curves in long form, one row per trial and metric keyed by the
	// metric's name (package engine/metric declares them), so that a new
	// metric needs no new column. The values of epochs 0, 1, … are packed
	// as little-endian float64 (exact bits; NaN where the epoch does not
	// define the metric): one row per (trial, epoch, metric) could not
	// store 10 000 trials × 300 epochs in 5 s (see curves.go). A rowid
	// table, not WITHOUT ROWID: a 300-epoch row (2.4 kB) would overflow
	// a WITHOUT ROWID page. A metric that no epoch defines has no row;
	// train_loss and seconds always do.
	// optbench_pack is an aggregate that Open registers (curves.go).
	`
CREATE TABLE curves_packed (
	trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
	metric   TEXT NOT NULL,
	packed   BLOB NOT NULL,
	UNIQUE (trial_id, metric)
);
INSERT INTO curves_packed (trial_id, metric, packed)
	SELECT trial_id, 'train_loss', optbench_pack(epoch, train_loss) FROM curves GROUP BY trial_id;
INSERT INTO curves_packed (trial_id, metric, packed)
	SELECT trial_id, 'train_accuracy', optbench_pack(epoch, train_accuracy) FROM curves GROUP BY trial_id HAVING count(train_accuracy) > 0;
INSERT INTO curves_packed (trial_id, metric, packed)
	SELECT trial_id, 'val_loss', optbench_pack(epoch, val_loss) FROM curves GROUP BY trial_id HAVING count(val_loss) > 0;
INSERT INTO curves_packed (trial_id, metric, packed)
	SELECT trial_id, 'val_accuracy', optbench_pack(epoch, val_accuracy) FROM curves GROUP BY trial_id HAVING count(val_accuracy) > 0;
INSERT INTO curves_packed (trial_id, metric, packed)
	SELECT trial_id, 'lr', optbench_pack(epoch, lr) FROM curves GROUP BY trial_id HAVING count(lr) > 0;
INSERT INTO curves_packed (trial_id, metric, packed)
	SELECT trial_id, 'grad_norm', optbench_pack(epoch, grad_norm) FROM curves GROUP BY trial_id HAVING count(grad_norm) > 0;
INSERT INTO curves_packed (trial_id, metric, packed)
	SELECT trial_id, 'x', optbench_pack(epoch, x) FROM curves GROUP BY trial_id HAVING count(x) > 0;
INSERT INTO curves_packed (trial_id, metric, packed)
	SELECT trial_id, 'y', optbench_pack(epoch, y) FROM curves GROUP BY trial_id HAVING count(y) > 0;
INSERT INTO curves_packed (trial_id, metric, packed)
	SELECT trial_id, 'seconds', optbench_pack(epoch, seconds) FROM curves GROUP BY trial_id;
DROP TABLE curves;
ALTER TABLE curves_packed RENAME TO curves;
`,

	// Plans, claims and numerics versions: the trials a sweep plans are
	// stored in plan order (position, NULL = not in the current plan) with
	// status 'planned' until trained; claimed_by and lease_until hold a
	// running trial; numerics is the engine.NumericsVersion that trained a
	// trial ('' = not trained, 'unknown' = trained before versions were
	// recorded). Runs count what they trained; existing runs are counted
	// from the trials they still hold. A sweep's search fingerprint tells
	// two sweep files of the same name apart.
	`
ALTER TABLE sweeps ADD COLUMN search TEXT NOT NULL DEFAULT '';

ALTER TABLE trials ADD COLUMN position INTEGER;
ALTER TABLE trials ADD COLUMN numerics TEXT NOT NULL DEFAULT 'unknown';
CREATE INDEX trials_plan ON trials(sweep_id, position) WHERE position IS NOT NULL;
CREATE INDEX trials_claimed ON trials(claimed_by) WHERE claimed_by IS NOT NULL;

ALTER TABLE runs ADD COLUMN trained INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN completed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN pruned INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN diverged INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN failed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN interrupted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN discarded INTEGER NOT NULL DEFAULT 0;
UPDATE runs SET
	completed   = (SELECT count(*) FROM trials t WHERE t.run_id = runs.id AND t.status = 'completed'),
	pruned      = (SELECT count(*) FROM trials t WHERE t.run_id = runs.id AND t.status = 'pruned'),
	diverged    = (SELECT count(*) FROM trials t WHERE t.run_id = runs.id AND t.status = 'diverged'),
	failed      = (SELECT count(*) FROM trials t WHERE t.run_id = runs.id AND t.status = 'failed'),
	interrupted = (SELECT count(*) FROM trials t WHERE t.run_id = runs.id AND t.status = 'interrupted');
UPDATE runs SET trained = completed + pruned + diverged + failed + interrupted;
`,
}

// SchemaVersion is the schema version this package writes and the newest
// it can read.
const SchemaVersion = len(migrations)
