package optim

import (
	"fmt"
	"strings"

	"github.com/optbench/optbench/engine/hparam"
)

// Names returns the names config files use for the optimizers, sorted.
func Names() []string {
	return []string{
		"adagrad", "adam", "adamax", "adamw", "amsgrad", "gd",
		"heavy_ball", "momentum", "nadam", "nesterov", "rmsprop",
	}
}

// entry connects a registered name to its settings and constructor.
type entry struct {
	fields func() []field // the settings, with defaults from DefaultXConfig
	build  func(settings map[string]float64) (Optimizer, error)
}

func lookup(name string) (entry, error) {
	switch name {
	case "gd":
		return entry{DefaultGDConfig.fields, func(v map[string]float64) (Optimizer, error) {
			return built(NewGD(gdFromSettings(v)))
		}}, nil
	case "momentum":
		return entry{DefaultMomentumConfig.fields, func(v map[string]float64) (Optimizer, error) {
			return built(NewMomentum(momentumFromSettings(v)))
		}}, nil
	case "heavy_ball":
		return entry{DefaultHeavyBallConfig.fields, func(v map[string]float64) (Optimizer, error) {
			return built(NewHeavyBall(heavyBallFromSettings(v)))
		}}, nil
	case "nesterov":
		return entry{DefaultNesterovConfig.fields, func(v map[string]float64) (Optimizer, error) {
			return built(NewNesterov(nesterovFromSettings(v)))
		}}, nil
	case "adagrad":
		return entry{DefaultAdaGradConfig.fields, func(v map[string]float64) (Optimizer, error) {
			return built(NewAdaGrad(adaGradFromSettings(v)))
		}}, nil
	case "rmsprop":
		return entry{DefaultRMSPropConfig.fields, func(v map[string]float64) (Optimizer, error) {
			return built(NewRMSProp(rmsPropFromSettings(v)))
		}}, nil
	case "adam":
		return entry{DefaultAdamConfig.fields, func(v map[string]float64) (Optimizer, error) {
			return built(NewAdam(adamFromSettings(v)))
		}}, nil
	case "adamw":
		return entry{DefaultAdamWConfig.fields, func(v map[string]float64) (Optimizer, error) {
			return built(NewAdamW(adamWFromSettings(v)))
		}}, nil
	case "amsgrad":
		return entry{DefaultAMSGradConfig.fields, func(v map[string]float64) (Optimizer, error) {
			return built(NewAMSGrad(amsGradFromSettings(v)))
		}}, nil
	case "adamax":
		return entry{DefaultAdamaxConfig.fields, func(v map[string]float64) (Optimizer, error) {
			return built(NewAdamax(adamaxFromSettings(v)))
		}}, nil
	case "nadam":
		return entry{DefaultNAdamConfig.fields, func(v map[string]float64) (Optimizer, error) {
			return built(NewNAdam(nAdamFromSettings(v)))
		}}, nil
	}
	return entry{}, fmt.Errorf("optim: unknown optimizer %q (valid: %s)", name, strings.Join(Names(), ", "))
}

// built converts a constructor's result to an Optimizer, keeping a failed
// construction a nil interface rather than one holding a nil pointer.
func built[O Optimizer](o O, err error) (Optimizer, error) {
	if err != nil {
		return nil, err
	}
	return o, nil
}

// Settings describes the numeric settings of the named optimizer, with their
// defaults (from its DefaultXConfig) and allowed ranges. Boolean settings are
// Integer specs in [0, 1].
func Settings(name string) ([]hparam.Spec, error) {
	e, err := lookup(name)
	if err != nil {
		return nil, err
	}
	return specsOf(e.fields()), nil
}

// New returns the named optimizer configured from settings, which may omit
// any setting to take its default. Unknown names, unknown settings and values
// out of range are errors that list what is allowed.
func New(name string, settings map[string]float64) (Optimizer, error) {
	e, err := lookup(name)
	if err != nil {
		return nil, err
	}
	values, err := hparam.Resolve(name, specsOf(e.fields()), settings)
	if err != nil {
		return nil, fmt.Errorf("optim: %w", err)
	}
	return e.build(values)
}
