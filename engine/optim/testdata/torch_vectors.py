#!/usr/bin/python3
"""Records torch.optim trajectories for engine/optim's tests.

Run from this directory with Debian's python3 (which has torch and numpy):

    /usr/bin/python3 torch_vectors.py > torch_vectors.json

Every case feeds the gradient sequence of gradient_sequence.py, in
torch.float64, through one torch.optim optimizer (foreach=False, the
single-tensor code path) and records the parameters after every step. The
"settings" of a case are engine/optim's names for the same configuration;
the Go test builds the optimizer with optim.New(name, settings) and replays
the gradients.

The default dtype is set to float64 because NAdam (and, in newer torch, every
optimizer's step counter) keeps scalar state in the default dtype: with the
usual float32 default, NAdam's running product of momentum coefficients is
rounded to float32 and each step's displacement changes by about 1e-7
relative.

NAdam: torch before 2.0 divides the momentum term by 1 − Π_t·μ_t·μ_{t+1}
instead of 1 − Π_t·μ_{t+1} (fixed by pytorch/pytorch#92699). When the
installed torch predates the fix, the NAdam cases come from nadam_reference
below, a transcription of torch's _single_tensor_nadam with the fix applied;
the transcription is first checked, with the old factor, against the installed
torch.optim.NAdam.
"""

import json
import sys

import torch

from gradient_sequence import PARAMS0, gradients

torch.set_default_dtype(torch.float64)

GRADS = gradients()


def trajectory(make, lr):
    p = torch.tensor(PARAMS0, dtype=torch.float64, requires_grad=True)
    opt = make([p], lr)
    out = []
    for g in GRADS:
        p.grad = torch.tensor(g, dtype=torch.float64)
        opt.step()
        out.append(p.detach().tolist())
    return out


def nadam_reference(lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0,
                    momentum_decay=4e-3, pre_2_0=False):
    """torch's _single_tensor_nadam, op for op, on one float64 tensor."""
    beta1, beta2 = betas
    param = torch.tensor(PARAMS0, dtype=torch.float64)
    exp_avg = torch.zeros_like(param)
    exp_avg_sq = torch.zeros_like(param)
    mu_product = torch.tensor(1.0)
    step = 0.0
    out = []
    for g in GRADS:
        grad = torch.tensor(g, dtype=torch.float64)
        step += 1
        bias_correction2 = 1 - beta2 ** step
        if weight_decay != 0:
            grad = grad.add(param, alpha=weight_decay)
        mu = beta1 * (1. - 0.5 * (0.96 ** (step * momentum_decay)))
        mu_next = beta1 * (1. - 0.5 * (0.96 ** ((step + 1) * momentum_decay)))
        mu_product *= mu
        if pre_2_0:
            mu_product_next = mu_product * mu * mu_next
        else:
            mu_product_next = mu_product * mu_next
        exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
        exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        denom = exp_avg_sq.div(bias_correction2).sqrt().add_(eps)
        param.addcdiv_(grad, denom, value=-lr * (1. - mu) / (1. - mu_product.item()))
        param.addcdiv_(exp_avg, denom, value=-lr * mu_next / (1. - mu_product_next.item()))
        out.append(param.tolist())
    return out


def nadam_has_fix():
    """Reports whether the installed torch.optim.NAdam has the 2.0 fix."""
    cfg = dict(betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, momentum_decay=4e-3)
    got = trajectory(lambda ps, lr: torch.optim.NAdam(ps, lr=lr, foreach=False, **cfg), 2e-3)
    for pre in (False, True):
        if nadam_reference(2e-3, pre_2_0=pre, **cfg) == got:
            return not pre
    sys.exit("nadam_reference matches neither form of the installed torch.optim.NAdam")


O = torch.optim
CASES = []


def case(name, settings, lr, torch_call, make):
    CASES.append(dict(name=name, settings=settings, lr=lr, torch=torch_call,
                      params=trajectory(make, lr)))


case("gd", {}, 0.01, "SGD(lr=0.01)",
     lambda ps, lr: O.SGD(ps, lr=lr, foreach=False))
case("gd", {"weight_decay": 0.1}, 0.01, "SGD(lr=0.01, weight_decay=0.1)",
     lambda ps, lr: O.SGD(ps, lr=lr, weight_decay=0.1, foreach=False))
case("heavy_ball", {"momentum": 0.9}, 0.01, "SGD(lr=0.01, momentum=0.9)",
     lambda ps, lr: O.SGD(ps, lr=lr, momentum=0.9, foreach=False))
case("heavy_ball", {"momentum": 0.8, "dampening": 0.3, "weight_decay": 0.05}, 0.01,
     "SGD(lr=0.01, momentum=0.8, dampening=0.3, weight_decay=0.05)",
     lambda ps, lr: O.SGD(ps, lr=lr, momentum=0.8, dampening=0.3, weight_decay=0.05, foreach=False))
case("nesterov", {"momentum": 0.9}, 0.01, "SGD(lr=0.01, momentum=0.9, nesterov=True)",
     lambda ps, lr: O.SGD(ps, lr=lr, momentum=0.9, nesterov=True, foreach=False))
case("nesterov", {"momentum": 0.7, "weight_decay": 0.1}, 0.01,
     "SGD(lr=0.01, momentum=0.7, nesterov=True, weight_decay=0.1)",
     lambda ps, lr: O.SGD(ps, lr=lr, momentum=0.7, nesterov=True, weight_decay=0.1, foreach=False))
case("adagrad", {}, 0.1, "Adagrad(lr=0.1)",
     lambda ps, lr: O.Adagrad(ps, lr=lr, foreach=False))
case("adagrad", {"lr_decay": 0.05, "initial_accumulator": 0.1, "weight_decay": 0.02, "eps": 1e-6}, 0.1,
     "Adagrad(lr=0.1, lr_decay=0.05, initial_accumulator_value=0.1, weight_decay=0.02, eps=1e-6)",
     lambda ps, lr: O.Adagrad(ps, lr=lr, lr_decay=0.05, initial_accumulator_value=0.1,
                              weight_decay=0.02, eps=1e-6, foreach=False))
case("rmsprop", {"beta": 0.99}, 0.01, "RMSprop(lr=0.01)",
     lambda ps, lr: O.RMSprop(ps, lr=lr, foreach=False))
case("rmsprop", {"beta": 0.9, "centered": 1}, 0.01, "RMSprop(lr=0.01, alpha=0.9, centered=True)",
     lambda ps, lr: O.RMSprop(ps, lr=lr, alpha=0.9, centered=True, foreach=False))
case("rmsprop", {"beta": 0.95, "eps": 1e-6, "centered": 1, "momentum": 0.5, "weight_decay": 0.01}, 0.01,
     "RMSprop(lr=0.01, alpha=0.95, eps=1e-6, centered=True, momentum=0.5, weight_decay=0.01)",
     lambda ps, lr: O.RMSprop(ps, lr=lr, alpha=0.95, eps=1e-6, centered=True, momentum=0.5,
                              weight_decay=0.01, foreach=False))
case("adam", {}, 0.01, "Adam(lr=0.01)",
     lambda ps, lr: O.Adam(ps, lr=lr, foreach=False))
case("adam", {"beta1": 0.8, "beta2": 0.99, "eps": 1e-6, "weight_decay": 0.1}, 0.01,
     "Adam(lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)",
     lambda ps, lr: O.Adam(ps, lr=lr, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1, foreach=False))
case("adamw", {}, 0.01, "AdamW(lr=0.01)",
     lambda ps, lr: O.AdamW(ps, lr=lr, foreach=False))
case("adamw", {"beta1": 0.85, "beta2": 0.98, "weight_decay": 0.5}, 0.01,
     "AdamW(lr=0.01, betas=(0.85, 0.98), weight_decay=0.5)",
     lambda ps, lr: O.AdamW(ps, lr=lr, betas=(0.85, 0.98), weight_decay=0.5, foreach=False))
case("amsgrad", {}, 0.01, "Adam(lr=0.01, amsgrad=True)",
     lambda ps, lr: O.Adam(ps, lr=lr, amsgrad=True, foreach=False))
case("amsgrad", {"beta2": 0.9, "weight_decay": 0.1}, 0.01,
     "Adam(lr=0.01, betas=(0.9, 0.9), amsgrad=True, weight_decay=0.1)",
     lambda ps, lr: O.Adam(ps, lr=lr, betas=(0.9, 0.9), amsgrad=True, weight_decay=0.1, foreach=False))
case("adamax", {}, 0.002, "Adamax(lr=0.002)",
     lambda ps, lr: O.Adamax(ps, lr=lr, foreach=False))
case("adamax", {"beta1": 0.8, "beta2": 0.9, "eps": 1e-3, "weight_decay": 0.1}, 0.002,
     "Adamax(lr=0.002, betas=(0.8, 0.9), eps=1e-3, weight_decay=0.1)",
     lambda ps, lr: O.Adamax(ps, lr=lr, betas=(0.8, 0.9), eps=1e-3, weight_decay=0.1, foreach=False))

NADAM_FIXED = nadam_has_fix()


def nadam_case(settings, lr, torch_call, **cfg):
    if NADAM_FIXED:
        params = trajectory(lambda ps, lr: O.NAdam(ps, lr=lr, foreach=False, **cfg), lr)
    else:
        params = nadam_reference(lr, **cfg)
        torch_call += " with the pytorch/pytorch#92699 fix (nadam_reference)"
    CASES.append(dict(name="nadam", settings=settings, lr=lr, torch=torch_call, params=params))


nadam_case({}, 0.002, "NAdam(lr=0.002)")
nadam_case({"beta1": 0.85, "weight_decay": 0.1, "momentum_decay": 1e-2}, 0.002,
           "NAdam(lr=0.002, betas=(0.85, 0.999), weight_decay=0.1, momentum_decay=1e-2)",
           betas=(0.85, 0.999), weight_decay=0.1, momentum_decay=1e-2)

json.dump(dict(
    generator="torch_vectors.py",
    torch=torch.__version__,
    params0=PARAMS0,
    grads=GRADS,
    cases=CASES,
), sys.stdout, indent=1)
sys.stdout.write("\n")
