#!/usr/bin/python3
"""Generate sklearn_vectors.json: reference datasets from scikit-learn.

Run with Debian's interpreter, which has numpy, scikit-learn and mpmath:

    /usr/bin/python3 engine/data/testdata/sklearn_vectors.py > engine/data/testdata/sklearn_vectors.json

Every case seeds numpy's global generator with np.random.seed(seed) and calls
the generator with random_state=None, which is how course notebooks call it
(sklearn then draws from the global RandomState).

Floats are written with float.hex() so that they round-trip bit for bit.

numpy's sin and cos differ between machines: on CPUs with AVX-512 numpy 1.24
dispatches them to Intel SVML (errors up to 4 ULP), elsewhere it calls the C
library (glibc: under 1 ULP, and correctly rounded in more than 99% of
cases). The script turns the AVX-512 dispatch off, before numpy is imported,
so that the vectors come from the C library on every machine, as they did
for the course notebooks this package reproduces. For the noise-free,
unshuffled point sets it also writes "exact" coordinates: the same formulas
with sin and cos correctly rounded by mpmath at 300 bits and every other
operation in IEEE double arithmetic, as numpy does it.
"""
import json
import math
import os
import sys

os.environ["NPY_DISABLE_CPU_FEATURES"] = "AVX512_SKX"

import mpmath  # noqa: E402
import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from numpy.core._multiarray_umath import __cpu_features__  # noqa: E402
from sklearn.datasets import make_blobs, make_circles, make_moons  # noqa: E402

mpmath.mp.prec = 300


def rn(f, x):
    """f(x) correctly rounded; libm is within 1 ULP, so test its neighbours."""
    exact = (mpmath.cos if f is math.cos else mpmath.sin)(mpmath.mpf(x))
    v = f(x)
    cands = [v, math.nextafter(v, -math.inf), math.nextafter(v, math.inf)]
    return min(cands, key=lambda c: abs(mpmath.mpf(c) - exact))


def hexes(a):
    return [float(v).hex() for v in np.ravel(a)]


def moons_exact(n):
    out, inn = n // 2, n - n // 2
    lo, li = np.linspace(0, np.pi, out), np.linspace(0, np.pi, inn)
    xs = [rn(math.cos, float(t)) for t in lo] + [1 - rn(math.cos, float(t)) for t in li]
    ys = [rn(math.sin, float(t)) for t in lo] + [1 - rn(math.sin, float(t)) - 0.5 for t in li]
    return [v for p in zip(xs, ys) for v in p]


def circles_exact(n, factor):
    out, inn = n // 2, n - n // 2
    lo = np.linspace(0, 2 * np.pi, out, endpoint=False)
    li = np.linspace(0, 2 * np.pi, inn, endpoint=False)
    xs = [rn(math.cos, float(t)) for t in lo] + [rn(math.cos, float(t)) * factor for t in li]
    ys = [rn(math.sin, float(t)) for t in lo] + [rn(math.sin, float(t)) * factor for t in li]
    return [v for p in zip(xs, ys) for v in p]


def moons_case(seed, n, noise, shuffle):
    np.random.seed(seed)
    X, y = make_moons(n_samples=n, noise=noise, shuffle=shuffle)
    return {"seed": seed, "n": n, "noise": noise or 0.0, "shuffle": shuffle,
            "X": hexes(X), "y": [int(v) for v in y]}


def circles_case(seed, n, noise, factor, shuffle):
    np.random.seed(seed)
    X, y = make_circles(n_samples=n, noise=noise, factor=factor, shuffle=shuffle)
    return {"seed": seed, "n": n, "noise": noise or 0.0, "factor": factor,
            "shuffle": shuffle, "X": hexes(X), "y": [int(v) for v in y]}


def spirals(seed, n, classes, noise):
    """CS231n's spiral data, with n split over classes as engine/data does."""
    np.random.seed(seed)
    counts = [n // classes + (1 if j < n % classes else 0) for j in range(classes)]
    X, y = [], []
    for j, N in enumerate(counts):
        r = np.linspace(0.0, 1, N)
        t = np.linspace(j * 4, (j + 1) * 4, N) + np.random.randn(N) * noise
        X.append(np.c_[r * np.sin(t), r * np.cos(t)])
        y += [j] * N
    return {"seed": seed, "n": n, "classes": classes, "noise": noise,
            "X": hexes(np.vstack(X)), "y": y}


def blobs_case(seed, n, centers, std):
    np.random.seed(seed)
    X, y = make_blobs(n_samples=n, centers=centers, cluster_std=std)
    return {"seed": seed, "n": n, "centers": centers, "std": std,
            "X": hexes(X), "y": [int(v) for v in y]}


def main():
    doc = {
        "generator": "engine/data/testdata/sklearn_vectors.py",
        "numpy_version": np.__version__,
        "sklearn_version": sklearn.__version__,
        "numpy_avx512_skx": bool(__cpu_features__.get("AVX512_SKX")),
        "moons": [
            # The DeepLearning.AI "Optimization methods" dataset:
            # np.random.seed(3); make_moons(n_samples=300, noise=.2)
            moons_case(3, 300, 0.2, True),
            moons_case(0, 300, 0.2, True),
            moons_case(42, 7, 0.1, True),
            moons_case(1, 1, 0.2, True),
            moons_case(5, 11, None, True),
            moons_case(5, 301, None, False),
        ],
        "moons_exact": [{"n": n, "X": [v.hex() for v in moons_exact(n)]} for n in (1, 2, 7, 300, 301)],
        "circles": [
            circles_case(3, 300, 0.05, 0.5, True),
            circles_case(0, 300, 0.05, 0.5, True),
            circles_case(1, 9, 0.05, 0.3, True),
            circles_case(5, 301, None, 0.5, False),
        ],
        "circles_exact": [{"n": n, "factor": f, "X": [v.hex() for v in circles_exact(n, f)]}
                          for n, f in ((1, 0.5), (7, 0.3), (300, 0.5), (301, 0.5))],
        "spirals": [spirals(0, 300, 3, 0.2), spirals(1, 10, 3, 0.2), spirals(2, 9, 2, 0.5)],
        "blobs": [
            blobs_case(0, 20, [[0.0, 0.0], [3.0, 3.0], [-3.0, 2.0]], 0.5),
            blobs_case(7, 11, [[1.0, -1.0, 0.5], [-2.0, 0.0, 4.0]], 1.5),
        ],
    }
    json.dump(doc, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
