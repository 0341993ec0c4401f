package optim

import (
	"maps"
	"slices"
)

// otherNames answers names that other frameworks (PyTorch, Keras, Optax)
// give optimizers with the name of the rule here that computes the same
// update. They are not accepted as aliases: a trial's key includes the
// optimizer's name, so one rule keeps one name, and "sgd" alone is
// ambiguous (torch.optim.SGD is three rules here, by its momentum and
// nesterov arguments).
var otherNames = map[string]string{
	"sgd":          `use "gd" (torch.optim.SGD with momentum=0), "heavy_ball" (with momentum) or "nesterov" (nesterov=True)`,
	"sgd_momentum": `use "heavy_ball" (torch.optim.SGD with momentum); "momentum" is the DeepLearning.AI course's averaged form`,
	"sgd_nesterov": `use "nesterov" (torch.optim.SGD with nesterov=True)`,
	"nag":          `use "nesterov" (torch.optim.SGD with nesterov=True)`,
	"adam_w":       `use "adamw"`,
	"ams_grad":     `use "amsgrad" (torch.optim.Adam with amsgrad=True)`,
	"rms_prop":     `use "rmsprop"`,
	"ada_grad":     `use "adagrad"`,
	"ada_max":      `use "adamax"`,
}

// OtherName returns what to write instead of name when name is another
// framework's name for one of the optimizers ("sgd"), else "".
func OtherName(name string) string { return otherNames[name] }

// OtherNames returns the names OtherName answers, sorted.
func OtherNames() []string { return slices.Sorted(maps.Keys(otherNames)) }
