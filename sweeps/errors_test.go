package sweeps

import (
	"errors"
	"strings"
	"testing"

	"github.com/optbench/optbench/experiments"
)

// head is a valid start that most cases extend.
const head = "name: t\nexperiment: moons-mlp\n"

// cnnHead starts a sweep of the digits CNN, an image experiment with a
// layer architecture.
const cnnHead = "name: t\nexperiment: digits-cnn\n"

func TestErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // whole messages, in order
	}{
		{"syntax", "name: t\nexperiment: [moons-mlp\n", []string{
			"s.yaml:2: YAML syntax: did not find expected ',' or ']'",
		}},
		{"syntax-block", "name: t\nexperiment: x\n- a\n", []string{
			"s.yaml:3: YAML syntax: did not find expected key",
		}},
		{"syntax-indent", "name: t\n experiment: moons-mlp\n  seeds: 3\n", []string{
			"s.yaml:2: YAML syntax: mapping values are not allowed in this context",
		}},
		// The reader's errors name the byte it stopped at (they had no
		// place: "s.yaml: YAML syntax: …").
		{"nul-byte", "name: t\x00\nexperiment: moons-mlp\n", []string{
			"s.yaml:1:8: YAML syntax: control characters are not allowed (byte 0x00)",
		}},
		{"latin-1", head + "description: caf\xe9\n", []string{
			"s.yaml:3:17: YAML syntax: incomplete UTF-8 octet sequence (byte 0xe9)",
		}},
		{"binary", head + "description: \xff\xfe\x00\x01\n", []string{
			"s.yaml:3:14: YAML syntax: invalid leading UTF-8 octet (byte 0xff)",
		}},
		// Standard tags outside the core schema are named, like local ones.
		{"tag-binary", "name: t\nexperiment: !!binary bW9vbnMtbWxw\n", []string{
			"s.yaml:2:13: experiment: want a name, got \"bW9vbnMtbWxw\" with the tag !!binary, which optbench does not support " +
				"(YAML tags other than !!str, !!int, !!float, !!bool, !!null, !!seq and !!map are not read)",
		}},
		{"tag-python", head + "parameters:\n  lr: !!python/object:os.system 0.1\n", []string{
			"s.yaml:4:7: lr: want a number, got \"0.1\" with the tag !!python/object:os.system, which optbench does not support " +
				"(YAML tags other than !!str, !!int, !!float, !!bool, !!null, !!seq and !!map are not read)",
		}},
		{"empty", "", []string{
			"s.yaml: the file is empty; a sweep needs at least name and experiment",
		}},
		{"not-a-mapping", "- a\n- b\n", []string{
			"s.yaml:1:1: a sweep file is a mapping of keys (name, experiment, parameters, …), got a list",
		}},
		// A list of experiments: each is checked, and a problem found
		// for some of them names them.
		{"experiments-list", "name: t\nexperiment: [moons-mlp, moons-mlp, nope, 3]\n", []string{
			"s.yaml:2:25: experiment: moons-mlp is listed twice (first at 2:14)",
			"s.yaml:2:36: unknown experiment \"nope\"; valid: " + strings.Join(experiments.Names(), ", "),
			"s.yaml:2:42: experiment: want a name, got the number 3",
		}},
		{"experiments-empty", "name: t\nexperiment: []\n", []string{
			"s.yaml:2:13: experiment: empty list; name one experiment, or several as problems to compare optimizers across",
		}},
		{"experiments-one-rejects", "name: t\nexperiment: [moons-mlp, rosenbrock]\nbudget: {epochs: 5}\nmetric: {name: train_loss}\n" +
			"parameters:\n  optimizer: adam\n  lr: 0.1\n  batch_size: 32\n", []string{
			"s.yaml:8:3: with experiment rosenbrock: batch_size does not apply to experiment rosenbrock, a 2-D test function; " +
				"it takes optimizer, lr, schedule, timing and the optimizer's and schedule's settings",
		}},
		{"experiments-all-reject", "name: t\nexperiment: [moons-mlp, circles-mlp]\nparameters:\n  optimizer: adam\n  lr: -1\n", []string{
			"s.yaml:5:7: lr = -1 is outside the allowed range (0, ∞)",
		}},
		{"experiments-metrics", "name: t\nexperiment: [moons-mlp, rosenbrock]\nparameters:\n  optimizer: adam\n  lr: 0.1\n", []string{
			"s.yaml:2:13: experiment: moons-mlp ranks by val_accuracy (maximize) and rosenbrock by train_loss (minimize) unless told: " +
				"give metric: {name: …} to rank every experiment by one metric",
		}},
		{"experiments-budgets", "name: t\nexperiment: [moons-mlp, rosenbrock]\nmetric: {name: train_loss}\nparameters:\n  optimizer: adam\n  lr: 0.1\n", []string{
			"s.yaml:2:13: experiment: moons-mlp and rosenbrock have different default budgets (100 epochs, 2000 epochs): " +
				"give budget: {epochs: …} for all of them",
		}},
		{"experiments-adaptive", "name: t\nexperiment: [moons-mlp, circles-mlp]\nsearch: {method: random, samples: 4}\npruner: {method: median}\n" +
			"parameters:\n  optimizer: adam\n  lr: {log_uniform: [0.001, 0.1]}\n", []string{
			"s.yaml:2:13: experiment: a sweep of several experiments is planned in advance, and pruner median chooses trials from " +
				"one problem's results: use search grid, random, sobol or list, or one sweep per experiment",
		}},
		{"two-documents", "name: t\nexperiment: moons-mlp\n---\nname: u\n", []string{
			"s.yaml:3:1: a sweep file holds one YAML document; remove the second",
		}},
		{"unknown-key", "name: t\nexperiment: moons-mlp\nseed: 3\n", []string{
			"s.yaml:3:1: unknown key \"seed\" (did you mean \"seeds\"?)",
		}},
		{"duplicate-key", "name: t\nname: u\nexperiment: moons-mlp\n", []string{
			"s.yaml:2:1: duplicate key name (first at 1:1)",
		}},
		{"missing-required", "description: x\n", []string{
			"s.yaml:1:1: missing name: every sweep needs a name ([A-Za-z0-9][A-Za-z0-9._-]*)",
			"s.yaml:1:1: missing experiment: name one of algoperf-mnist, beale, blobs-mlp, branin, c2w2-moons, circles-mlp, csv, digits-cnn, digits-mlp, fmnist-2c2d, fmnist-cnn, fmnist-mlp, fmnist-resnet, hartmann6, idx, iris-mlp, moons-mlp, quadratic, quadratic_deep, rosenbrock, spirals-mlp",
		}},
		{"bad-name", "name: my sweep\nexperiment: moons-mlp\n", []string{
			"s.yaml:1:7: name: want a letter or digit, then letters, digits, '.', '_' and '-', got \"my sweep\"",
		}},
		{"unknown-experiment", "name: t\nexperiment: moons\n", []string{
			"s.yaml:2:13: unknown experiment \"moons\" (did you mean \"moons-mlp\"?); valid: algoperf-mnist, beale, blobs-mlp, branin, c2w2-moons, circles-mlp, csv, digits-cnn, digits-mlp, fmnist-2c2d, fmnist-cnn, fmnist-mlp, fmnist-resnet, hartmann6, idx, iris-mlp, moons-mlp, quadratic, quadratic_deep, rosenbrock, spirals-mlp",
		}},
		{"seeds-zero", head + "seeds: 0\n", []string{
			"s.yaml:3:8: seeds: the count must be at least 1, got 0",
		}},
		{"seeds-negative", head + "seeds: -2\n", []string{
			"s.yaml:3:8: seeds: the count must be at least 1, got -2",
		}},
		{"seeds-duplicate", head + "seeds: [0, 1, 0]\n", []string{
			"s.yaml:3:15: seeds: seed 0 is listed twice (first at 3:9)",
		}},
		{"seeds-empty", head + "seeds: []\n", []string{
			"s.yaml:3:8: seeds: empty list; give a count (seeds: 5) or at least one seed",
		}},
		{"seeds-text", head + "seeds: many\n", []string{
			"s.yaml:3:8: seeds: want a count (seeds: 5 for seeds 0–4) or a list of seeds ([0, 1, 7]), got \"many\"",
		}},
		{"seed-not-whole", head + "seeds: [1.5]\n", []string{
			"s.yaml:3:9: seeds: a seed is a whole number ≥ 0, got the number 1.5",
		}},
		{"budget-epochs", head + "budget: {epochs: 0}\n", []string{
			"s.yaml:3:18: budget: epochs must be at least 1, got 0",
		}},
		{"budget-wall", head + "budget: {epochs: 10, wall: 10}\n", []string{
			"s.yaml:3:28: budget: wall: want a duration such as \"10m\" or \"90s\", got the number 10",
		}},
		{"budget-unknown", head + "budget: {epoch: 10}\n", []string{
			"s.yaml:3:10: budget: unknown key \"epoch\" (did you mean \"epochs\"?)",
		}},
		{"metric-unknown", head + "metric: {name: val_acc}\n", []string{
			"s.yaml:3:16: metric: unknown metric \"val_acc\" (did you mean \"val_accuracy\"?); valid: train_loss, train_accuracy, val_loss, val_accuracy, train_eval_loss, train_eval_accuracy, train_correct, val_correct, lr, grad_norm",
		}},
		{"metric-goal", head + "metric: {name: val_loss, goal: maximize}\n", []string{
			"s.yaml:3:32: metric: val_loss is better when it is low; goal maximize would rank the worst trials first",
		}},
		{"metric-no-goal", head + "metric: {name: grad_norm}\n", []string{
			"s.yaml:3:16: metric: grad_norm has no natural direction; give goal: minimize or maximize",
		}},
		{"metric-goal-only", head + "metric: {goal: minimize}\n", []string{
			"s.yaml:3:16: metric: val_accuracy is better when it is high; goal minimize would rank the worst trials first",
		}},
		{"search-method", head + "search: {method: bayes}\n", []string{
			"s.yaml:3:18: search: method is grid, random, list, sobol or tpe, got \"bayes\"",
		}},
		{"random-no-samples", head + "search: {method: random}\nparameters:\n  lr: {log_uniform: [1e-4, 1e-1]}\n", []string{
			"s.yaml:3:1: search: random search needs samples: the number of configurations to draw",
		}},
		{"samples-in-grid", head + "search: {method: grid, samples: 5}\n", []string{
			"s.yaml:3:33: search: samples applies only to methods random, sobol and tpe",
		}},
		{"configs-without-list", head + "configs:\n  - {lr: 0.1}\n", []string{
			"s.yaml:3:1: configs lists configurations for search: {method: list}; this sweep's method is grid",
		}},
		{"list-without-configs", head + "search: {method: list}\n", []string{
			"s.yaml:3:1: search method list needs configs: a list of configurations",
		}},
		{"lr-text", head + "parameters:\n  lr: fast\n", []string{
			"s.yaml:4:7: lr: want a number, got \"fast\"",
		}},
		{"lr-zero", head + "parameters:\n  lr: [0.1, 0, -0.01]\n", []string{
			"s.yaml:4:13: lr = 0 is outside the allowed range (0, ∞)",
			"s.yaml:4:16: lr = -0.01 is outside the allowed range (0, ∞)",
		}},
		{"beta-one", head + "parameters:\n  optimizer:\n    momentum: {beta: [0.9, 1]}\n", []string{
			"s.yaml:5:28: beta = 1 is outside the allowed range [0, 1)",
		}},
		{"eps-zero", head + "parameters:\n  optimizer:\n    adam: {eps: 0}\n", []string{
			"s.yaml:5:17: eps = 0 is outside the allowed range (0, ∞)",
		}},
		{"pow2-exponents", head + "parameters:\n  batch_size: {pow2: [5, 9]}\n", []string{
			"s.yaml:4:22: batch_size: pow2 bounds are batch sizes, not exponents: did you mean [32, 512]?",
		}},
		{"pow2-not-power", head + "parameters:\n  batch_size: {pow2: [48, 512]}\n", []string{
			"s.yaml:4:23: batch_size: pow2 bound 48 is not a power of two (nearest: 32 or 64)",
		}},
		{"batch-too-large", head + "parameters:\n  batch_size: [64, 1024, full]\n", []string{
			"s.yaml:4:20: batch_size 1024 is larger than the training set (800 examples); use full for the whole set",
		}},
		{"batch-text", head + "parameters:\n  batch_size: all\n", []string{
			"s.yaml:4:15: batch_size: want a number or full, got \"all\"",
		}},
		{"unknown-optimizer", head + "parameters:\n  optimizer: [adam, adm]\n", []string{
			"s.yaml:4:21: unknown optimizer \"adm\" (did you mean \"adam\"?); valid: adagrad, adam, adamax, adamw, amsgrad, gd, heavy_ball, momentum, nadam, nesterov, rmsprop",
		}},
		{"unknown-schedule", head + "parameters:\n  schedule: {cosin: {}}\n", []string{
			"s.yaml:4:14: unknown schedule \"cosin\" (did you mean \"cosine\"?); valid: constant, cosine, exponential, inverse_sqrt_epoch, inverse_sqrt_step, inverse_time, piecewise_constant, step, stepped_inverse_time",
		}},
		{"empty-list", head + "parameters:\n  lr: []\n", []string{
			"s.yaml:4:7: lr: empty list of values",
		}},
		{"empty-optimizers", head + "parameters:\n  optimizer: []\n", []string{
			"s.yaml:4:14: optimizer: empty list; name at least one optimizer",
		}},
		{"duplicate-value", head + "parameters:\n  lr: [0.1, 0.01, 0.1]\n", []string{
			"s.yaml:4:19: lr: 0.1 is listed twice (first at 4:8)",
		}},
		{"distribution-in-grid", head + "parameters:\n  lr: {log_uniform: [1e-4, 1e-1]}\n", []string{
			"s.yaml:4:8: lr: log_uniform draws at random and needs search: {method: random}; in a grid use log_space or lin_space, or list the points",
		}},
		{"unknown-form", head + "parameters:\n  lr: {log_spase: [1e-4, 1e-1, 4]}\n", []string{
			"s.yaml:4:8: lr: unknown form \"log_spase\" (did you mean \"log_space\"?)",
		}},
		{"log-space-exponents", head + "parameters:\n  lr: {log_space: [-4, -1, 4]}\n", []string{
			"s.yaml:4:19: lr: log_space bounds must be positive; they are values, not exponents: did you mean [0.0001, 0.1, 4]?",
		}},
		{"unknown-parameter", head + "parameters:\n  lrr: 0.1\n", []string{
			"s.yaml:4:3: unknown parameter \"lrr\" for experiment moons-mlp (did you mean \"lr\"?)",
		}},
		{"other-experiments-data", head + "parameters:\n  factor: 0.5\n", []string{
			"s.yaml:4:3: factor is not a parameter of experiment moons-mlp; it is a data setting of circles-mlp",
		}},
		{"setting-at-top", head + "parameters:\n  optimizer: [momentum, adam]\n  beta1: 0.9\n", []string{
			"s.yaml:5:3: beta1 does not apply to optimizer momentum; it is a setting of optimizer adam, adamax, adamw, amsgrad and nadam; give it under optimizer: {adam: {beta1: …}}",
		}},
		{"setting-under-wrong-optimizer", head + "parameters:\n  optimizer:\n    momentum: {beta1: 0.9}\n", []string{
			"s.yaml:5:16: beta1 does not apply to optimizer momentum; it is a setting of optimizer adam, adamax, adamw, amsgrad and nadam; give it under optimizer: {adam: {beta1: …}}",
		}},
		{"schedule-setting-default", head + "parameters:\n  decay_rate: 0.1\n", []string{
			"s.yaml:4:3: decay_rate does not apply to schedule constant; it is a setting of schedule inverse_time and stepped_inverse_time; give it under schedule: {inverse_time: {decay_rate: …}}",
		}},
		{"given-twice", head + "parameters:\n  lr: 0.1\n  optimizer:\n    adam: {lr: 0.01}\n", []string{
			"s.yaml:6:12: lr is given twice for optimizer adam with schedule constant (first at 4:3)",
		}},
		{"metric-without-validation", head + "metric: {name: val_loss}\nparameters:\n  val_fraction: [0, 0.2]\n", []string{
			"s.yaml:3:16: metric: some trials of moons-mlp in this sweep record no val_loss (they have no validation split); they record train_loss, train_accuracy, train_eval_loss, train_eval_accuracy, train_correct, lr, grad_norm",
		}},
		{"course-has-no-validation", "name: t\nexperiment: c2w2-moons\nmetric: {name: val_accuracy}\n", []string{
			"s.yaml:3:16: metric: some trials of c2w2-moons in this sweep record no val_accuracy (they have no validation split); they record train_loss, train_accuracy, train_eval_loss, train_eval_accuracy, train_correct, lr, grad_norm",
		}},
		{"cosine-needs-tmax", head + "parameters:\n  schedule: cosine\n", []string{
			"s.yaml:4:13: schedule cosine needs t_max (it has no default)",
		}},
		{"timing-unsupported", head + "parameters:\n  timing: per_step\n  schedule: {inverse_time: {decay_rate: 0.1}}\n", []string{
			"s.yaml:5:14: schedule: inverse_time: timing per_step is not supported (valid: after_epoch, before_epoch)",
		}},
		{"cosine-eta-min", head + "parameters:\n  lr: 0.01\n  schedule: {cosine: {t_max: 10, eta_min: 0.1}}\n", []string{
			"s.yaml:5:14: schedule: cosine: eta_min = 0.1 must not exceed the initial rate 0.01",
		}},
		{"function-batch", "name: t\nexperiment: rosenbrock\nparameters:\n  batch_size: 4\n", []string{
			"s.yaml:4:3: batch_size does not apply to experiment rosenbrock, a 2-D test function; it takes optimizer, lr, schedule, timing and the optimizer's and schedule's settings",
		}},
		{"hidden-choices", head + "parameters:\n  hidden: {choices: [[16], [16, 0]]}\n", []string{
			"s.yaml:4:28: hidden[1] = 0 must be a whole number in [1, 65536]",
		}},
		{"hidden-uniform", head + "parameters:\n  hidden: {uniform: [1, 4]}\n", []string{
			"s.yaml:4:12: hidden takes one list as its value; to sweep it write {choices: [[16], [16, 16]]}",
		}},
		{"switch-text", head + "parameters:\n  batch_norm: yes please\n", []string{
			"s.yaml:4:15: batch_norm: want true or false, got \"yes please\"",
		}},
		{"activation-unknown", head + "parameters:\n  activation: relux\n", []string{
			"s.yaml:4:15: activation: unknown value \"relux\" (did you mean \"relu\"?); valid: elu, identity, leaky_relu, linear, relu, sigmoid, tanh",
		}},
		{"uniform-for-whole-number", head + "search: {method: random, samples: 3}\nparameters:\n  batch_size: {uniform: [8, 64]}\n", []string{
			"s.yaml:5:16: batch_size is a whole number; draw it with int_uniform, quantized or pow2",
		}},
		{"samples-too-many", head + "search: {method: random, samples: 10}\nparameters:\n  lr: [0.1, 0.01]\n", []string{
			"s.yaml:3:35: search: samples 10 is more than the 2 distinct configurations the parameters allow; lower samples or use search: {method: grid}",
		}},
		{"list-value-list", head + "search: {method: list}\nconfigs:\n  - {optimizer: adam, lr: [0.1, 0.01]}\n", []string{
			"s.yaml:5:27: lr: with search: list, each parameter has one value, got a list; list each variation as its own config, or use search: {method: grid}",
		}},
		{"list-not-applicable", head + "search: {method: list}\nparameters:\n  beta: 0.9\nconfigs:\n  - {optimizer: momentum}\n  - {optimizer: adam, beta1: 0.9}\n", []string{
			"s.yaml:5:3: beta does not apply to optimizer adam; it is a setting of optimizer momentum and rmsprop (config 2 at line 8 inherits it from parameters)",
		}},
		{"list-repeat", head + "search: {method: list}\nconfigs:\n  - {optimizer: adam, lr: 0.01}\n  - {lr: 0.01, optimizer: adam}\n", []string{
			"s.yaml:6:5: config 2: configuration {lr=0.01 optimizer=adam} repeats config 1 (line 5)",
		}},
		{"grid-too-large", head + "parameters:\n  lr: {lin_space: [0.001, 1, 1000]}\n  l2: {lin_space: [0, 1, 1000]}\n", []string{
			"s.yaml:3:1: the grid has more than 20000 configurations; split the sweep or use search: random",
		}},
		{"too-many-trials", head + "seeds: 1000\nparameters:\n  lr: {lin_space: [0.001, 1, 300]}\n", []string{
			"s.yaml:4:1: 300 configurations × 1000 seeds = 300000 trials; at most 200000 per sweep",
		}},
		{"architecture-setting-unknown", cnnHead + "parameters:\n  architecture: {name: cnn, chanels: [8]}\n", []string{
			"s.yaml:4:29: architecture cnn: unknown setting \"chanels\" (did you mean \"channels\"?)",
		}},
		{"architecture-list", cnnHead + "parameters:\n  architecture: [cnn, {name: resnt}, cnx, \"cnn(kernel=4)\", {name: cnn, kernel: 0}]\n", []string{
			"s.yaml:4:30: architecture: unknown architecture \"resnt\" (did you mean \"resnet\"?); valid: mlp, cnn, 2c2d, resnet",
			"s.yaml:4:38: architecture: unknown name \"cnx\" (did you mean \"cnn\"?) (valid: mlp, cnn, 2c2d, resnet)",
			"s.yaml:4:43: architecture: cnn: kernel = 4 must be odd, so that padding kernel/2 keeps the image size",
			"s.yaml:4:80: architecture cnn: kernel = 0 is outside the allowed range [1, 15]",
		}},
		{"architecture-resnet-stages", cnnHead + "parameters:\n  architecture: {name: resnet, blocks: [1, 1, 1, 1, 1]}\n", []string{
			"s.yaml:4:17: architecture: resnet: 5 stages of blocks but 3 of channels; give one width per stage",
		}},
		{"architecture-no-settings", cnnHead + "parameters:\n  architecture: {name: 2c2d, channels: [3]}\n", []string{
			"s.yaml:4:30: architecture 2c2d: unknown setting \"channels\"; 2c2d has no settings",
		}},
		{"architecture-no-name", cnnHead + "parameters:\n  architecture: {channels: [3]}\n", []string{
			"s.yaml:4:17: architecture: a mapping gives the architecture's name: {name: cnn, channels: [8, 16]}",
		}},
		{"architecture-form", cnnHead + "parameters:\n  architecture: {log_space: [1, 2, 3]}\n", []string{
			"s.yaml:4:18: architecture takes architectures; list the ones to sweep ([mlp, {name: cnn, channels: [8, 16]}]) instead of log_space",
		}},
		{"architecture-mlp-setting", "name: t\nexperiment: digits-mlp\nparameters:\n  architecture: [mlp, cnn]\n  l2: 0.001\n", []string{
			"s.yaml:5:7: l2: l2 does not apply to architecture cnn: it is a setting of the mlp; regularize with an optimizer's weight decay (adamw) instead of l2",
		}},
		{"architecture-hidden-twice", "name: t\nexperiment: digits-mlp\nparameters:\n  architecture: {name: mlp, hidden: [32]}\n  hidden: [64]\n", []string{
			"s.yaml:5:11: hidden: hidden 64 and architecture mlp(hidden=32) disagree; give the widths once",
		}},
		{"architecture-not-image", head + "parameters:\n  architecture: cnn\n", []string{
			"s.yaml:4:3: architecture is not a parameter of experiment moons-mlp; it is a model setting of the image experiments algoperf-mnist, digits-cnn, digits-mlp, fmnist-2c2d, fmnist-cnn, fmnist-mlp, fmnist-resnet and idx",
		}},
		{"architecture-too-small", cnnHead + "parameters:\n  architecture: {name: cnn, channels: [4, 4, 4, 4]}\n", []string{
			"s.yaml:4:17: architecture: cnn(channels=4x4x4x4,kernel=3,convs=2,pool=2) on images of [1 8 8]: layer 28: max_pool2d: kernel 2 does not fit the padded 1×1 input",
		}},
		{"architecture-batch-memory", cnnHead + "parameters:\n  architecture: {name: cnn, channels: [4096], kernel: 15, convs: 1}\n  batch_size: full\n", []string{
			"s.yaml:5:15: batch_size: 808 examples of cnn(channels=4096,kernel=15,convs=1,pool=2) on [1 8 8] images need 1653308592 workspace values (12.3 GiB); at most 268435456: take a smaller batch",
		}},
		{"many", "name: t\nexperiment: moons-mlp\nseeds: 0\nbudget: {epochs: 0}\nparameters:\n  lr: 0\n  optimizer: {adam: {beta1: 1}}\n", []string{
			"s.yaml:3:8: seeds: the count must be at least 1, got 0",
			"s.yaml:4:18: budget: epochs must be at least 1, got 0",
			"s.yaml:6:7: lr = 0 is outside the allowed range (0, ∞)",
			"s.yaml:7:29: beta1 = 1 is outside the allowed range [0, 1)",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("s.yaml", []byte(tt.src))
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("Parse: got %v, want an ErrorList", err)
			}
			got := strings.Split(list.Error(), "\n")
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}
