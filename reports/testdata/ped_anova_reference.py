"""Reference importances for reports/importance_test.go, computed once.

Runs Optuna's own PedAnovaImportanceEvaluator on a few fixed studies and
writes ped_anova_reference.json. It needs an Optuna with PED-ANOVA
(Optuna 3.6 or later; Debian's python3-optuna 3.1.0 predates it) and
numpy; the JSON records the versions it was run with:

    OPTUNA_COMMIT=<optuna's revision, if known> /usr/bin/python3 reports/testdata/ped_anova_reference.py

Each study's parameters carry the domain the Go code infers (the range
of the values tried; log where the Go code says so), so that both sides
discretize the same grid.
"""

import json
import math
import os
import warnings

import numpy as np
import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution
from optuna.importance import PedAnovaImportanceEvaluator

warnings.simplefilter("ignore")
optuna.logging.set_verbosity(optuna.logging.ERROR)


def domain(values, log):
    return FloatDistribution(min(values), max(values), log=log)


def study_json(name, direction, params, values, absent=None):
    """params: name -> (kind, values, log); absent: name -> set of trial indices."""
    absent = absent or {}
    dists = {}
    spec = []
    for p, (kind, vals, log) in params.items():
        present = [v for i, v in enumerate(vals) if i not in absent.get(p, set())]
        if kind == "float":
            dists[p] = domain(present, log)
            spec.append({"name": p, "kind": kind, "low": dists[p].low, "high": dists[p].high, "log": log})
        else:
            choices = sorted(set(present))
            dists[p] = CategoricalDistribution(choices)
            spec.append({"name": p, "kind": kind, "choices": choices})
    study = optuna.create_study(direction=direction)
    trials = []
    for i, v in enumerate(values):
        tp, td = {}, {}
        for p, (kind, vals, log) in params.items():
            if i in absent.get(p, set()):
                continue
            tp[p], td[p] = vals[i], dists[p]
        study.add_trial(optuna.trial.create_trial(params=tp, distributions=td, value=v))
        trials.append({"params": tp, "value": v})
    imp = PedAnovaImportanceEvaluator().evaluate(study)
    return {"name": name, "direction": direction, "params": spec, "trials": trials,
            "importances": {k: float(x) for k, x in imp.items()}}


rng = np.random.RandomState(14)
studies = []

# 1. A log-scaled learning rate that matters and a uniform one that does not.
n = 60
lr = list(10 ** rng.uniform(-4, 0, n))
wd = list(rng.uniform(0, 0.1, n))
val = [(math.log10(a) + 2) ** 2 + 3 * b + 0.05 * rng.randn() for a, b in zip(lr, wd)]
studies.append(study_json("log lr", "minimize", {"lr": ("float", lr, True), "wd": ("float", wd, False)}, val))

# 2. Maximized, with a categorical parameter that matters most.
n = 40
act = list(rng.choice(["relu", "tanh", "gelu"], n))
mom = list(rng.uniform(0.5, 0.99, n))
val = [{"relu": 0.9, "tanh": 0.7, "gelu": 0.85}[a] - 0.2 * (m - 0.9) ** 2 + 0.01 * rng.randn() for a, m in zip(act, mom)]
studies.append(study_json("categorical", "maximize", {"activation": ("categorical", act, False), "momentum": ("float", mom, False)}, val))

# 3. A parameter only some configurations have (β1 of adam, none for
#    sgd), and ties in the top quantile.
n = 50
opt = list(rng.choice(["adam", "sgd"], n))
lr3 = list(10 ** rng.uniform(-3, -1, n))
b1 = list(rng.uniform(0.8, 0.99, n))
val = [round(abs(math.log10(a) + 2) + (0.3 * abs(b - 0.9) if o == "adam" else 0.2), 1) for o, a, b in zip(opt, lr3, b1)]
absent = {"beta1": {i for i, o in enumerate(opt) if o == "sgd"}}
studies.append(study_json("conditional", "minimize",
                          {"optimizer": ("categorical", opt, False), "lr": ("float", lr3, True), "beta1": ("float", b1, False)},
                          val, absent))

# 4. Few trials: the top quantile is one configuration.
n = 7
x = [0.1, 0.5, 0.9, 0.3, 0.7, 0.2, 0.8]
y = [3.0, 1.0, 2.0, 5.0, 4.0, 1.5, 2.5]
val = [abs(a - 0.3) + 0.01 * b for a, b in zip(x, y)]
studies.append(study_json("few", "minimize", {"x": ("float", x, False), "y": ("float", y, False)}, val))

out = {
    "optuna": optuna.__version__,
    "optuna_commit": os.environ.get("OPTUNA_COMMIT", ""),
    "numpy": np.__version__,
    "studies": studies,
}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "ped_anova_reference.json"), "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
for s in studies:
    print(s["name"], s["importances"])
