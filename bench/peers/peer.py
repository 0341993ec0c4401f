"""The peers of make bench-peers: the same jobs as optbench, float64, one thread.

    python3 peer.py course numpy|torch   seconds per Adam step, net [2,5,2,1], batch 64
    python3 peer.py mnist numpy|torch    seconds per Adam step, net 784-256-10, batch 128
    python3 peer.py 2c2d torch           seconds per Adam step, DeepOBS fmnist_2c2d, batch 128
    python3 peer.py optuna DB            seconds per trial, 2000 trivial trials, SQLite storage
    python3 peer.py course-sweep torch   the course sweep in PyTorch, timed as a whole process

Each prints one number. A step job runs steps until MIN_SECONDS have passed
(after warm-up) and divides; the optuna job times create_study plus
study.optimize, not the interpreter's start or imports. The course sweep
is timed from outside, start to exit; it prints the course's table (its
numpy side is experiments/testdata/c2w2_reference.py, the assignment's own
code). The numpy networks transcribe the DeepLearning.AI course's forward_propagation,
backward_propagation and update_parameters_with_adam (opt_utils, week 2
"Optimization Methods"), with a softmax output for 784-256-10.
Run by bench/peers (go run ./bench/peers) with OPENBLAS_NUM_THREADS=1.
"""

import math
import sys
import time

MIN_SECONDS = 0.5


def timed(step):
    for _ in range(3):
        step()
    n, start = 0, time.perf_counter()
    while True:
        step()
        n += 1
        elapsed = time.perf_counter() - start
        if elapsed >= MIN_SECONDS:
            return elapsed / n


def numpy_step(layers, batch, softmax):
    import numpy as np

    rng = np.random.default_rng(1)
    X = rng.standard_normal((layers[0], batch))
    Y = np.zeros((layers[-1], batch))
    for c in range(batch):
        Y[c % layers[-1], c] = 1
    L = len(layers) - 1
    params, v, s = {}, {}, {}
    for l in range(1, L + 1):
        params["W" + str(l)] = rng.standard_normal((layers[l], layers[l - 1])) * np.sqrt(2 / layers[l - 1])
        params["b" + str(l)] = np.zeros((layers[l], 1))
    for k, p in params.items():
        v["d" + k] = np.zeros_like(p)
        s["d" + k] = np.zeros_like(p)
    t = [0]
    beta1, beta2, eps, lr = 0.9, 0.999, 1e-8, 0.001

    def step():
        m = X.shape[1]
        A = {0: X}
        for l in range(1, L + 1):
            Z = np.dot(params["W" + str(l)], A[l - 1]) + params["b" + str(l)]
            if l < L:
                A[l] = np.maximum(0, Z)
            elif softmax:
                e = np.exp(Z - Z.max(axis=0, keepdims=True))
                A[l] = e / e.sum(axis=0, keepdims=True)
            else:
                A[l] = 1 / (1 + np.exp(-Z))
        AL = A[L]
        if softmax:
            cost = -np.sum(Y * np.log(AL)) / m
        else:
            logprobs = np.multiply(-np.log(AL), Y) + np.multiply(-np.log(1 - AL), 1 - Y)
            cost = np.sum(logprobs) / m
        grads = {}
        dz = 1.0 / m * (AL - Y)
        for l in range(L, 0, -1):
            grads["dW" + str(l)] = np.dot(dz, A[l - 1].T)
            grads["db" + str(l)] = np.sum(dz, axis=1, keepdims=True)
            if l > 1:
                da = np.dot(params["W" + str(l)].T, dz)
                dz = np.multiply(da, np.int64(A[l - 1] > 0))
        t[0] += 1
        for k in params:
            g = grads["d" + k]
            v["d" + k] = beta1 * v["d" + k] + (1 - beta1) * g
            v_corrected = v["d" + k] / (1 - beta1 ** t[0])
            s["d" + k] = beta2 * s["d" + k] + (1 - beta2) * np.power(g, 2)
            s_corrected = s["d" + k] / (1 - beta2 ** t[0])
            params[k] = params[k] - lr * v_corrected / (np.sqrt(s_corrected) + eps)
        return cost

    return step


def torch_step(layers, batch, softmax):
    import torch

    torch.set_num_threads(1)
    torch.manual_seed(1)
    mods = []
    for l in range(1, len(layers)):
        mods.append(torch.nn.Linear(layers[l - 1], layers[l]))
        if l < len(layers) - 1:
            mods.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*mods).double()
    X = torch.randn(batch, layers[0], dtype=torch.float64)
    labels = torch.arange(batch) % layers[-1]
    if softmax:
        target, loss_fn = labels, torch.nn.CrossEntropyLoss()
    else:
        target, loss_fn = labels.double().reshape(batch, 1), torch.nn.BCEWithLogitsLoss()
    opt = torch.optim.Adam(model.parameters(), lr=0.001)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(X), target)
        loss.backward()
        opt.step()

    return step


def torch_2c2d_step(batch):
    """DeepOBS's fmnist_2c2d on 1×28×28: conv 32 5×5 'same' → ReLU → 2×2
    max-pool, conv 64 5×5 → ReLU → 2×2 max-pool, dense 1024 → ReLU, dense
    10; softmax cross-entropy, Adam, as engine/nn.TwoConvTwoDense."""
    import torch
    import torch.nn as nn

    torch.set_num_threads(1)
    torch.manual_seed(1)
    model = nn.Sequential(
        nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 1024), nn.ReLU(), nn.Linear(1024, 10)).double()
    X = torch.randn(batch, 1, 28, 28, dtype=torch.float64)
    labels = torch.arange(batch) % 10
    loss_fn = torch.nn.CrossEntropyLoss()
    opt = torch.optim.Adam(model.parameters(), lr=0.001)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(X), labels)
        loss.backward()
        opt.step()

    return step


def branin(x1, x2):
    a, b, c = 1, 5.1 / (4 * math.pi ** 2), 5 / math.pi
    r, s, t = 6, 10, 1 / (8 * math.pi)
    return a * (x2 - b * x1 ** 2 + c * x1 - r) ** 2 + s * (1 - t) * math.cos(x1) + s


def optuna_trials(db, n=2000):
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)

    def objective(trial):
        return branin(trial.suggest_float("x1", -5, 10), trial.suggest_float("x2", 0, 15))

    start = time.perf_counter()
    study = optuna.create_study(storage="sqlite:///" + db, sampler=optuna.samplers.RandomSampler(seed=1))
    study.optimize(objective, n_trials=n)
    return (time.perf_counter() - start) / n


# The seven runs of the course's "Optimization Methods" table, as
# experiments/testdata/c2w2_reference.py (and sweeps/c2w2-optimization.yaml).
COURSE_RUNS = [
    ("GD", "gd", 0.0007, None),
    ("Momentum", "momentum", 0.0007, None),
    ("Adam", "adam", 0.0007, None),
    ("GD, every-epoch decay", "gd", 0.1, "every"),
    ("GD, scheduled decay", "gd", 0.1, "scheduled"),
    ("Momentum, scheduled decay", "momentum", 0.1, "scheduled"),
    ("Adam, scheduled decay", "adam", 0.01, "scheduled"),
]


def course_sweep_torch(epochs=5000):
    """The course sweep as a PyTorch user would port the assignment: its
    data (make_moons after np.random.seed(3)), He initialization from
    np.random.seed(3), mini-batches of 64 from a permutation seeded 11, 12,
    … per epoch, mean cross-entropy, torch.optim's SGD (momentum as the
    course's v = βv + (1-β)g: dampening = β), Adam, and the learning rate
    decayed after each epoch as the course does."""
    import numpy as np
    import sklearn.datasets
    import torch

    torch.set_num_threads(1)
    np.random.seed(3)
    X, Y = sklearn.datasets.make_moons(n_samples=300, noise=0.2)
    xs = torch.from_numpy(np.ascontiguousarray(X, dtype=np.float64))
    ys = torch.from_numpy(Y.astype(np.float64).reshape(-1, 1))
    m, dims = xs.shape[0], [2, 5, 2, 1]
    for name, opt, lr0, decay in COURSE_RUNS:
        np.random.seed(3)
        layers = []
        for l in range(1, len(dims)):
            lin = torch.nn.Linear(dims[l - 1], dims[l]).double()
            with torch.no_grad():
                lin.weight.copy_(torch.from_numpy(np.random.randn(dims[l], dims[l - 1]) * np.sqrt(2 / dims[l - 1])))
                lin.bias.zero_()
            layers += [lin, torch.nn.ReLU()] if l < len(dims) - 1 else [lin]
        model = torch.nn.Sequential(*layers)
        if opt == "gd":
            o = torch.optim.SGD(model.parameters(), lr=lr0)
        elif opt == "momentum":
            o = torch.optim.SGD(model.parameters(), lr=lr0, momentum=0.9, dampening=0.9)
        else:
            o = torch.optim.Adam(model.parameters(), lr=lr0, betas=(0.9, 0.999), eps=1e-8)
        seed, costs = 10, []
        for i in range(epochs):
            seed += 1
            np.random.seed(seed)
            perm = torch.from_numpy(np.random.permutation(m))
            total = 0.0
            for k in range(0, m, 64):
                idx = perm[k:k + 64]
                o.zero_grad(set_to_none=True)
                loss = torch.nn.functional.binary_cross_entropy(torch.sigmoid(model(xs[idx])), ys[idx])
                loss.backward()
                o.step()
                total += loss.item() * len(idx)
            if decay == "every":
                for g in o.param_groups:
                    g["lr"] = lr0 / (1 + i)
            elif decay == "scheduled":
                for g in o.param_groups:
                    g["lr"] = lr0 / (1 + math.floor(i / 1000))
            if i % 1000 == 0:
                costs.append(total / m)
        with torch.no_grad():
            correct = int(((torch.sigmoid(model(xs)) > 0.5) == (ys > 0.5)).sum())
        print("%-26s %3d %s" % (name, correct, " ".join("%.6f" % c for c in costs)))
        sys.stdout.flush()


def main(argv):
    job, arg = argv[1], argv[2]
    if job == "optuna":
        print(optuna_trials(arg))
        return
    if job == "2c2d":
        print(timed({"torch": torch_2c2d_step}[arg](128)))
        return
    if job == "course-sweep":
        {"torch": course_sweep_torch}[arg]()
        return
    layers, batch, softmax = {"course": ([2, 5, 2, 1], 64, False), "mnist": ([784, 256, 10], 128, True)}[job]
    make = {"numpy": numpy_step, "torch": torch_step}[arg]
    print(timed(make(layers, batch, softmax)))


if __name__ == "__main__":
    main(sys.argv)
