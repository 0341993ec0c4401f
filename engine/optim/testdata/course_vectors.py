#!/usr/bin/python3
"""Records course-form optimizer trajectories for engine/optim's tests.

Run from this directory with Debian's python3 (which has numpy):

    /usr/bin/python3 course_vectors.py > course_vectors.json

The update rules are those of the DeepLearning.AI course "Improving Deep
Neural Networks", assignment "Optimization Methods"
(update_parameters_with_momentum and update_parameters_with_adam), written
out for one parameter array with the same numpy expressions, plus the
course's RMSprop from its lecture. Adam also runs with bias correction off
and with eps inside the square root. The gradient sequence is that of
gradient_sequence.py.

np.power, which the course uses for β^t, is not always correctly rounded
(numpy may use SVML on AVX-512 machines), so these vectors can differ from
the Go results, and between machines, in the last bits.
"""

import json
import sys

import numpy as np

from gradient_sequence import PARAMS0, gradients

GRADS = gradients()


def momentum(lr, beta):
    W = np.array(PARAMS0)
    v = np.zeros_like(W)
    out = []
    for g in GRADS:
        dW = np.array(g)
        v = beta * v + (1 - beta) * dW
        W = W - lr * v
        out.append(W.tolist())
    return out


def rmsprop(lr, beta, epsilon):
    W = np.array(PARAMS0)
    s = np.zeros_like(W)
    out = []
    for g in GRADS:
        dW = np.array(g)
        s = beta * s + (1 - beta) * np.power(dW, 2)
        W = W - lr * dW / (np.sqrt(s) + epsilon)
        out.append(W.tolist())
    return out


def adam(lr, beta1, beta2, epsilon, bias_correction=True, eps_inside_sqrt=False):
    W = np.array(PARAMS0)
    v = np.zeros_like(W)
    s = np.zeros_like(W)
    out = []
    t = 0
    for g in GRADS:
        dW = np.array(g)
        t = t + 1
        v = beta1 * v + (1 - beta1) * dW
        s = beta2 * s + (1 - beta2) * np.power(dW, 2)
        if bias_correction:
            v_corrected = v / (1 - np.power(beta1, t))
            s_corrected = s / (1 - np.power(beta2, t))
        else:
            v_corrected, s_corrected = v, s
        if eps_inside_sqrt:
            W = W - lr * v_corrected / np.sqrt(s_corrected + epsilon)
        else:
            W = W - lr * v_corrected / (np.sqrt(s_corrected) + epsilon)
        out.append(W.tolist())
    return out




CASES = [
    dict(name="momentum", settings={}, lr=0.01, rule="update_parameters_with_momentum, beta=0.9",
         params=momentum(0.01, 0.9)),
    dict(name="momentum", settings={"beta": 0.5}, lr=0.01, rule="update_parameters_with_momentum, beta=0.5",
         params=momentum(0.01, 0.5)),
    dict(name="rmsprop", settings={}, lr=0.01, rule="RMSprop lecture, beta=0.9, epsilon=1e-8",
         params=rmsprop(0.01, 0.9, 1e-8)),
    dict(name="adam", settings={}, lr=0.01, rule="update_parameters_with_adam, defaults",
         params=adam(0.01, 0.9, 0.999, 1e-8)),
    dict(name="adam", settings={"bias_correction": 0}, lr=0.01,
         rule="update_parameters_with_adam without bias correction",
         params=adam(0.01, 0.9, 0.999, 1e-8, bias_correction=False)),
    dict(name="adam", settings={"eps_inside_sqrt": 1}, lr=0.01,
         rule="update_parameters_with_adam with epsilon inside the square root",
         params=adam(0.01, 0.9, 0.999, 1e-8, eps_inside_sqrt=True)),
    dict(name="adam", settings={"bias_correction": 0, "eps_inside_sqrt": 1, "eps": 1e-6}, lr=0.01,
         rule="update_parameters_with_adam without bias correction, epsilon=1e-6 inside the square root",
         params=adam(0.01, 0.9, 0.999, 1e-6, bias_correction=False, eps_inside_sqrt=True)),
]

json.dump(dict(
    generator="course_vectors.py",
    numpy=np.__version__,
    params0=PARAMS0,
    grads=GRADS,
    cases=CASES,
), sys.stdout, indent=1)
sys.stdout.write("\n")
