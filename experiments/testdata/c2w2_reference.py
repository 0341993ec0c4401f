#!/usr/bin/env python3
"""Reference for the DeepLearning.AI "Optimization Methods" table (course 2,
week 2), written from the assignment's own numpy code (opt_utils_v1a and the
notebook's model()). Run with an interpreter that has numpy and scikit-learn
(Debian: /usr/bin/python3 with python3-numpy and python3-sklearn).

It prints, for each of the seven published runs, the number of training
examples classified correctly and the cost after epochs 0, 1000, …, 4000.
The Go test in experiments compares optbench with the published table; this
script shows that the table follows from the setup as the issue states it.
"""
import math
import sys

import numpy as np
import sklearn.datasets


def load_dataset():
    np.random.seed(3)
    X, Y = sklearn.datasets.make_moons(n_samples=300, noise=0.2)
    return X.T, Y.reshape((1, Y.shape[0]))


def init_he(dims):
    np.random.seed(3)
    p = {}
    for l in range(1, len(dims)):
        p["W%d" % l] = np.random.randn(dims[l], dims[l - 1]) * np.sqrt(2 / dims[l - 1])
        p["b%d" % l] = np.zeros((dims[l], 1))
    return p


def mini_batches(X, Y, size, seed):
    np.random.seed(seed)
    m = X.shape[1]
    perm = list(np.random.permutation(m))
    sx, sy = X[:, perm], Y[:, perm].reshape((1, m))
    out = []
    for k in range(math.floor(m / size)):
        out.append((sx[:, k * size:(k + 1) * size], sy[:, k * size:(k + 1) * size]))
    if m % size:
        k = math.floor(m / size)
        out.append((sx[:, k * size:], sy[:, k * size:]))
    return out


def forward(X, p):
    z1 = np.dot(p["W1"], X) + p["b1"]
    a1 = np.maximum(0, z1)
    z2 = np.dot(p["W2"], a1) + p["b2"]
    a2 = np.maximum(0, z2)
    z3 = np.dot(p["W3"], a2) + p["b3"]
    a3 = 1 / (1 + np.exp(-z3))
    return a3, (z1, a1, z2, a2, z3, a3)


def backward(X, Y, p, cache):
    m = X.shape[1]
    z1, a1, z2, a2, z3, a3 = cache
    dz3 = 1.0 / m * (a3 - Y)
    g = {"dW3": np.dot(dz3, a2.T), "db3": np.sum(dz3, axis=1, keepdims=True)}
    da2 = np.dot(p["W3"].T, dz3)
    dz2 = np.multiply(da2, np.int64(a2 > 0))
    g["dW2"], g["db2"] = np.dot(dz2, a1.T), np.sum(dz2, axis=1, keepdims=True)
    da1 = np.dot(p["W2"].T, dz2)
    dz1 = np.multiply(da1, np.int64(a1 > 0))
    g["dW1"], g["db1"] = np.dot(dz1, X.T), np.sum(dz1, axis=1, keepdims=True)
    return g


def cost(a3, Y):
    return np.sum(np.multiply(-np.log(a3), Y) + np.multiply(-np.log(1 - a3), 1 - Y))


def model(X, Y, optimizer, lr, decay=None, epochs=5000, beta=0.9, b1=0.9, b2=0.999, eps=1e-8):
    p = init_he([X.shape[0], 5, 2, 1])
    keys = [k for l in (1, 2, 3) for k in ("W%d" % l, "b%d" % l)]
    v = {k: np.zeros(p[k].shape) for k in keys}
    s = {k: np.zeros(p[k].shape) for k in keys}
    t, seed, m, lr0, costs = 0, 10, X.shape[1], lr, []
    for i in range(epochs):
        seed += 1
        total = 0
        for bx, by in mini_batches(X, Y, 64, seed):
            a3, cache = forward(bx, p)
            total += cost(a3, by)
            g = backward(bx, by, p, cache)
            if optimizer == "adam":
                t += 1
            for k in keys:
                gk = g["d" + k]
                if optimizer == "gd":
                    p[k] = p[k] - lr * gk
                elif optimizer == "momentum":
                    v[k] = beta * v[k] + (1 - beta) * gk
                    p[k] = p[k] - lr * v[k]
                else:
                    v[k] = b1 * v[k] + (1 - b1) * gk
                    vc = v[k] / (1 - b1 ** t)
                    s[k] = b2 * s[k] + (1 - b2) * np.power(gk, 2)
                    sc = s[k] / (1 - b2 ** t)
                    p[k] = p[k] - lr * vc / (np.sqrt(sc) + eps)
        if decay == "every":
            lr = lr0 / (1 + 1 * i)
        elif decay == "scheduled":
            lr = lr0 / (1 + 1 * np.floor(i / 1000))
        if i % 1000 == 0:
            costs.append(total / m)
    a3, _ = forward(X, p)
    correct = int(np.sum((a3 > 0.5) == Y))
    return correct, costs


RUNS = [
    ("GD", "gd", 0.0007, None),
    ("Momentum", "momentum", 0.0007, None),
    ("Adam", "adam", 0.0007, None),
    ("GD, every-epoch decay", "gd", 0.1, "every"),
    ("GD, scheduled decay", "gd", 0.1, "scheduled"),
    ("Momentum, scheduled decay", "momentum", 0.1, "scheduled"),
    ("Adam, scheduled decay", "adam", 0.01, "scheduled"),
]

if __name__ == "__main__":
    X, Y = load_dataset()
    for name, opt, lr, decay in RUNS:
        correct, costs = model(X, Y, opt, lr, decay)
        print("%-26s %3d %s" % (name, correct, " ".join("%.6f" % c for c in costs)))
        sys.stdout.flush()
