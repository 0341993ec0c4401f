#!/usr/bin/python3
"""Records torch.optim.lr_scheduler learning rates for engine/schedule's tests.

Run from this directory with Debian's python3 (which has torch):

    /usr/bin/python3 torch_schedules.py > torch_schedules.json

Each case drives one torch scheduler the way a training loop does: read the
learning rate, train (here: optimizer.step() on a zero gradient), then
scheduler.step(), once per epoch or, for "per": "step" cases, once per batch.
The recorded "lrs" are the rates read before each epoch (index e, from 0)
or each step (index t − 1, for steps t from 1). The "name", "lr0" and
"settings" of a case are engine/schedule's for the same schedule; the Go test
builds it with schedule.New and compares LR(e, ·) or LR(·, t).
"""

import json
import math
import sys
import warnings

import torch
from torch.optim import lr_scheduler as S

warnings.simplefilter("ignore")  # SequentialLR passes an epoch to step(), which torch deprecates.

CASES = []


def case(name, lr0, settings, per, n, torch_call, make):
    p = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([p], lr=lr0)
    sched = make(opt)
    lrs = []
    for _ in range(n):
        lrs.append(opt.param_groups[0]["lr"])
        p.grad = torch.zeros_like(p)
        opt.step()
        sched.step()
    CASES.append(dict(name=name, lr0=lr0, settings=settings, per=per, torch=torch_call, lrs=lrs))


case("exponential", 0.1, {"values": {"gamma": 0.9}}, "epoch", 60,
     "ExponentialLR(gamma=0.9)",
     lambda o: S.ExponentialLR(o, gamma=0.9))
case("cosine", 0.1, {"values": {"t_max": 10, "eta_min": 0.001}}, "epoch", 45,
     "CosineAnnealingLR(T_max=10, eta_min=0.001)",
     lambda o: S.CosineAnnealingLR(o, T_max=10, eta_min=0.001))
case("cosine", 0.05, {"values": {"t_max": 7}}, "epoch", 30,
     "CosineAnnealingLR(T_max=7)",
     lambda o: S.CosineAnnealingLR(o, T_max=7))
case("piecewise_constant", 0.1,
     {"lists": {"boundaries": [3, 7, 12], "factors": [1, 0.1, 0.01, 0.001]}}, "epoch", 20,
     "MultiStepLR(milestones=[3, 7, 12], gamma=0.1)",
     lambda o: S.MultiStepLR(o, milestones=[3, 7, 12], gamma=0.1))
case("cosine", 0.1, {"values": {"t_max": 10, "warmup_epochs": 4, "warmup_start": 0.25}}, "epoch", 30,
     "SequentialLR([LinearLR(start_factor=0.25, total_iters=4), CosineAnnealingLR(T_max=10)], milestones=[4])",
     lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.25, total_iters=4),
                                  S.CosineAnnealingLR(o, T_max=10)], milestones=[4]))
case("exponential", 0.2, {"values": {"gamma": 0.8, "warmup_epochs": 3, "warmup_start": 0.5}}, "epoch", 15,
     "SequentialLR([LinearLR(start_factor=0.5, total_iters=3), ExponentialLR(gamma=0.8)], milestones=[3])",
     lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.5, total_iters=3),
                                  S.ExponentialLR(o, gamma=0.8)], milestones=[3]))
case("piecewise_constant", 0.1,
     {"values": {"warmup_epochs": 2}, "lists": {"boundaries": [5, 8], "factors": [1, 0.5, 0.25]}}, "epoch", 14,
     "SequentialLR([LinearLR(total_iters=2), MultiStepLR(milestones=[5, 8], gamma=0.5)], milestones=[2])",
     lambda o: S.SequentialLR(o, [S.LinearLR(o, total_iters=2),
                                  S.MultiStepLR(o, milestones=[5, 8], gamma=0.5)], milestones=[2]))


def noam(warmup, start, k):
    def factor(i):  # i = scheduler steps taken so far = t - 1
        if i < warmup:
            return start + (1 - start) * i / warmup
        return k / math.sqrt(i - warmup + 1)
    return factor


case("step", 0.1, {"values": {"step_size": 3, "gamma": 0.5}}, "epoch", 20,
     "StepLR(step_size=3, gamma=0.5)",
     lambda o: S.StepLR(o, step_size=3, gamma=0.5))
case("step", 0.05, {"values": {"step_size": 1}}, "epoch", 12,
     "StepLR(step_size=1) (gamma 0.1, torch's default)",
     lambda o: S.StepLR(o, step_size=1))
case("step", 0.2, {"values": {"step_size": 7, "gamma": 0.9}}, "epoch", 60,
     "StepLR(step_size=7, gamma=0.9)",
     lambda o: S.StepLR(o, step_size=7, gamma=0.9))
case("step", 0.1, {"values": {"step_size": 4, "gamma": 0.3, "warmup_epochs": 2}}, "epoch", 16,
     "SequentialLR([LinearLR(total_iters=2), StepLR(step_size=4, gamma=0.3)], milestones=[2])",
     lambda o: S.SequentialLR(o, [S.LinearLR(o, total_iters=2),
                                  S.StepLR(o, step_size=4, gamma=0.3)], milestones=[2]))

case("inverse_sqrt_step", 0.01, {"values": {"k": 1, "warmup_steps": 5, "warmup_start": 0.2}}, "step", 40,
     "LambdaLR(lambda i: 0.2 + 0.8*i/5 if i < 5 else 1/sqrt(i - 4)), stepped per batch",
     lambda o: S.LambdaLR(o, noam(5, 0.2, 1.0)))
case("inverse_sqrt_step", 0.01, {"values": {"k": 0.5}}, "step", 25,
     "LambdaLR(lambda i: 0.5/sqrt(i + 1)), stepped per batch",
     lambda o: S.LambdaLR(o, lambda i: 0.5 / math.sqrt(i + 1)))
case("constant", 0.03, {"values": {"warmup_steps": 4, "warmup_start": 0}, "timing": "per_step"}, "step", 10,
     "LinearLR(start_factor=1e-300, total_iters=4), stepped per batch (torch requires start_factor > 0)",
     lambda o: S.LinearLR(o, start_factor=1e-300, total_iters=4))

json.dump(dict(generator="torch_schedules.py", torch=torch.__version__, cases=CASES), sys.stdout, indent=1)
sys.stdout.write("\n")
