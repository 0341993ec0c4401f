#!/usr/bin/python3
"""Records torch's forward outputs and gradients for engine/nn's layers.

Run from this directory with Debian's python3 and python3-torch, one
thread, so the file is the same on every machine:

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 torch_vectors.py > torch_vectors.json

(`make torch-vectors` in the repository root does this, and installs
python3-torch when it is missing.)

Everything is float64. Inputs, weights and upstream gradients are drawn
here from a seeded torch.Generator and stored in the file, so the Go tests
need neither Python nor torch's generator. Tensors are stored flat in
engine/nn's batch layout (one example per column: an N×C×H×W tensor is
permuted to C×H×W×N), floats as float.hex() strings.

layers: one case per layer. J = Σ c ⊙ y for a stored c, so dx and the
  parameter gradient are the vector-Jacobian products with c. Parameters
  are flat in module.parameters() order (weight then bias; γ then β).
  Batch norm layers (and blocks holding them) also store their running
  averages after the training pass and the output of an eval() pass.
nets: the course's CNN (two blocks of [5×5 conv, pad 2 → BatchNorm2d →
  LeakyReLU] × 2 → 2×2 max-pool, then linear) and a small ResNet at tiny
  sizes: mean cross-entropy of a batch, its gradient, and a trajectory of
  torch.optim.Adam (lr 0.01, default betas and eps) over fresh batches,
  then the logits of an eval() pass on one more batch.
"""

import json
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)
gen = torch.Generator().manual_seed(20260101)


def randn(*shape):
    return torch.randn(*shape, generator=gen, dtype=torch.float64)


def ours(t):
    """Flatten t into engine/nn's layout: the batch dimension last."""
    t = t.detach()
    if t.dim() >= 2:
        t = t.permute(*range(1, t.dim()), 0)
    return [float(v).hex() for v in t.reshape(-1).tolist()]


def flat(ts):
    return [float(v).hex() for t in ts for v in t.detach().reshape(-1).tolist()]


def perturb(module):
    """Moves every parameter away from its default (γ = 1, b = 0 hide bugs)."""
    with torch.no_grad():
        for m in module.modules():
            bn = isinstance(m, nn.modules.batchnorm._BatchNorm)
            for name, p in m.named_parameters(recurse=False):
                if bn and name == "weight":
                    p.copy_(1 + 0.2 * randn(*p.shape))
                elif bn:
                    p.copy_(0.2 * randn(*p.shape))
                else:
                    p.copy_(0.5 * randn(*p.shape))


def batchnorms(module):
    return [m for m in module.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]


class BasicBlock(nn.Module):
    """torchvision's BasicBlock: conv3×3-BN-ReLU-conv3×3-BN, plus the
    identity or a 1×1 projection with BN, then ReLU."""

    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        h = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(h)) + self.shortcut(x))


def layer_case(name, spec, module, in_shape, batch):
    perturb(module)
    x = randn(batch, *in_shape).requires_grad_(True)
    module.train()
    y = module(x)
    c = randn(*y.shape)
    (y * c).sum().backward()
    case = {
        "name": name, "layer": spec, "in": list(in_shape), "batch": batch,
        "x": ours(x), "params": flat(module.parameters()), "c": ours(c),
        "y": ours(y), "dx": ours(x.grad), "grads": flat(p.grad for p in module.parameters()),
    }
    bns = batchnorms(module)
    if bns:
        case["running_mean"] = flat(b.running_mean for b in bns)
        case["running_var"] = flat(b.running_var for b in bns)
        module.eval()
        with torch.no_grad():
            case["y_eval"] = ours(module(x))
    return case


def layers():
    L = []
    def add(name, spec, module, in_shape, batch):
        L.append(layer_case(name, spec, module, in_shape, batch))
    add("dense", {"kind": "dense", "out": 3}, nn.Linear(5, 3), (5,), 4)
    add("dense/nobias", {"kind": "dense", "out": 2, "bias": False}, nn.Linear(4, 2, bias=False), (4,), 3)
    add("conv/k3s2p1", {"kind": "conv", "out": 3, "kernel": 3, "stride": 2, "padding": 1}, nn.Conv2d(2, 3, 3, 2, 1), (2, 6, 7), 2)
    add("conv/k5s1p2", {"kind": "conv", "out": 2, "kernel": 5, "stride": 1, "padding": 2}, nn.Conv2d(1, 2, 5, 1, 2), (1, 6, 6), 3)
    add("conv/k3s3p2", {"kind": "conv", "out": 2, "kernel": 3, "stride": 3, "padding": 2}, nn.Conv2d(2, 2, 3, 3, 2), (2, 7, 5), 2)
    add("conv/k1s2/nobias", {"kind": "conv", "out": 4, "kernel": 1, "stride": 2, "padding": 0, "bias": False},
        nn.Conv2d(3, 4, 1, 2, bias=False), (3, 5, 5), 2)
    add("maxpool/k2", {"kind": "maxpool", "kernel": 2}, nn.MaxPool2d(2), (2, 4, 6), 3)
    add("maxpool/k3s2p1", {"kind": "maxpool", "kernel": 3, "stride": 2, "padding": 1}, nn.MaxPool2d(3, 2, 1), (2, 5, 5), 2)
    add("avgpool/k2", {"kind": "avgpool", "kernel": 2}, nn.AvgPool2d(2), (2, 4, 6), 3)
    add("avgpool/k3s2p1", {"kind": "avgpool", "kernel": 3, "stride": 2, "padding": 1}, nn.AvgPool2d(3, 2, 1), (2, 5, 5), 2)
    add("globalavgpool", {"kind": "globalavgpool"}, nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten()), (3, 4, 5), 2)
    add("batchnorm/dense", {"kind": "batchnorm"}, nn.BatchNorm1d(4), (4,), 5)
    add("batchnorm/spatial", {"kind": "batchnorm"}, nn.BatchNorm2d(3), (3, 4, 4), 2)
    add("flatten", {"kind": "flatten"}, nn.Flatten(), (2, 3, 4), 2)
    add("relu", {"kind": "relu"}, nn.ReLU(), (6,), 3)
    add("leaky_relu", {"kind": "leaky_relu"}, nn.LeakyReLU(), (2, 3, 3), 3)
    add("leaky_relu/0.2", {"kind": "leaky_relu", "slope": 0.2}, nn.LeakyReLU(0.2), (6,), 3)
    add("sigmoid", {"kind": "sigmoid"}, nn.Sigmoid(), (6,), 3)
    add("tanh", {"kind": "tanh"}, nn.Tanh(), (6,), 3)
    add("residual/identity", {"kind": "residual", "out": 4}, BasicBlock(4, 4), (4, 6, 6), 2)
    add("residual/projection", {"kind": "residual", "out": 5, "stride": 2}, BasicBlock(3, 5, 2), (3, 6, 6), 2)
    return L


def course_cnn(c1, c2, classes, side):
    mods = []
    cin = 1
    for c in (c1, c2):
        for _ in range(2):
            mods += [nn.Conv2d(cin, c, 5, 1, 2), nn.BatchNorm2d(c), nn.LeakyReLU()]
            cin = c
        mods.append(nn.MaxPool2d(2))
    return nn.Sequential(*mods, nn.Flatten(), nn.Linear(c2 * (side // 4) ** 2, classes))


def small_resnet(cin, c1, c2, classes):
    return nn.Sequential(nn.Conv2d(cin, c1, 3, 1, 1, bias=False), nn.BatchNorm2d(c1), nn.ReLU(),
                         BasicBlock(c1, c1), BasicBlock(c1, c2, 2),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c2, classes))


def net_case(name, spec, model, in_shape, batch, classes, steps):
    perturb(model)
    model.train()
    case = {"name": name, "net": spec, "in": list(in_shape), "batch": batch, "params": flat(model.parameters())}
    x = randn(batch, *in_shape)
    labels = torch.randint(0, classes, (batch,), generator=gen)
    logits = model(x)
    loss = F.cross_entropy(logits, labels)
    loss.backward()
    case.update({"x": ours(x), "labels": labels.tolist(), "logits": ours(logits), "loss": float(loss).hex(),
                 "grads": flat(p.grad for p in model.parameters())})
    model.zero_grad()
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    traj = []
    for _ in range(steps):
        x = randn(batch, *in_shape)
        labels = torch.randint(0, classes, (batch,), generator=gen)
        opt.zero_grad()
        loss = F.cross_entropy(model(x), labels)
        loss.backward()
        opt.step()
        traj.append({"x": ours(x), "labels": labels.tolist(), "loss": float(loss).hex(), "params": flat(model.parameters())})
    x = randn(batch, *in_shape)
    model.eval()
    with torch.no_grad():
        case["adam"] = {"lr": 0.01, "steps": traj, "eval_x": ours(x), "eval_logits": ours(model(x))}
    return case


def nets():
    return [
        net_case("cnn", {"kind": "cnn", "c1": 2, "c2": 3, "classes": 3}, course_cnn(2, 3, 3, 8), (1, 8, 8), 4, 3, 4),
        net_case("resnet", {"kind": "resnet", "c1": 3, "c2": 4, "classes": 3}, small_resnet(1, 3, 4, 3), (1, 8, 8), 3, 3, 4),
    ]


json.dump({"torch": torch.__version__, "layers": layers(), "nets": nets()}, sys.stdout, separators=(",", ":"))
sys.stdout.write("\n")
