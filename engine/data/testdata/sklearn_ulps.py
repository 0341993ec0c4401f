#!/usr/bin/python3
"""Generate sklearn_ulps.json: where optbench's moons and circles may differ from scikit-learn's.

Run with Debian's interpreter (python3-numpy, python3-sklearn, python3-mpmath):

    /usr/bin/python3 engine/data/testdata/sklearn_ulps.py > engine/data/testdata/sklearn_ulps.json

For each case, np.random.seed(seed) and make_moons / make_circles(factor 0.8)
with random_state=None run twice:

- as scikit-learn runs them on glibc: numpy's AVX-512 dispatch is turned off
  (NPY_DISABLE_CPU_FEATURES, before numpy is imported), so np.sin and np.cos
  are glibc's;
- with np.sin and np.cos replaced, inside scikit-learn's generator module
  only, by correctly rounded ones (mpmath at 200 bits, rounded to the
  nearest double), which is what engine/internal/crmath computes. Every other
  operation (linspace, the shuffle, the Gaussian noise, the sums) is still
  numpy's.

The file keeps, per case, the SHA-256 of each run's coordinates (8 bytes
little-endian each, row-major) and of the labels, and every coordinate where
the two runs differ, with both values as float.hex() strings. The Go test
checks that optbench's coordinates are the correctly rounded run's bit for
bit (through its hash) and that the differences from scikit-learn are the
listed ones, so the largest listed difference is what "within N" means.
"""
import hashlib
import json
import math
import os
import re
import sys

os.environ["NPY_DISABLE_CPU_FEATURES"] = "AVX512_SKX"

import mpmath  # noqa: E402
import numpy as np  # noqa: E402
import sklearn  # noqa: E402
import sklearn.datasets._samples_generator as gen  # noqa: E402
from numpy.core._multiarray_umath import __cpu_features__  # noqa: E402

mpmath.mp.prec = 200

SEEDS = [0, 1, 2, 3, 42]
SIZES = [100, 300, 1000, 2000]
NOISES = [None, 0.05, 0.2]


def rn(f, mf, x):
    """f(x) correctly rounded: glibc is within 1 ULP, so pick among its neighbours."""
    exact = mf(mpmath.mpf(x))
    v = f(x)
    cands = [v, math.nextafter(v, -math.inf), math.nextafter(v, math.inf)]
    return min(cands, key=lambda c: abs(mpmath.mpf(c) - exact))


class CorrectlyRounded:
    """numpy, except that sin and cos are correctly rounded."""

    def __getattr__(self, name):
        return getattr(np, name)

    @staticmethod
    def sin(a):
        return np.array([rn(math.sin, mpmath.sin, float(t)) for t in a])

    @staticmethod
    def cos(a):
        return np.array([rn(math.cos, mpmath.cos, float(t)) for t in a])


def run(kind, seed, n, noise):
    np.random.seed(seed)
    if kind == "moons":
        X, y = gen.make_moons(n_samples=n, noise=noise)
    else:
        X, y = gen.make_circles(n_samples=n, noise=noise, factor=0.8)
    return np.ascontiguousarray(X, dtype="<f8"), np.asarray(y, dtype="<i8")


def sha(a):
    return hashlib.sha256(a.tobytes()).hexdigest()


def main():
    if __cpu_features__.get("AVX512_SKX"):
        sys.exit("sklearn_ulps.py: numpy's AVX-512 dispatch is still on")
    cases = []
    for kind in ["moons", "circles"]:
        for seed in SEEDS:
            for n in SIZES:
                for noise in NOISES:
                    gen.np = np
                    X, y = run(kind, seed, n, noise)
                    gen.np = CorrectlyRounded()
                    Xc, yc = run(kind, seed, n, noise)
                    gen.np = np
                    if not np.array_equal(y, yc):
                        sys.exit("labels differ between the runs")
                    a, c = X.ravel(), Xc.ravel()
                    diffs = [[int(i), float(a[i]).hex(), float(c[i]).hex()]
                             for i in np.flatnonzero(a != c)]
                    cases.append({"kind": kind, "seed": seed, "n": n, "noise": noise or 0.0,
                                  "sklearn_sha256": sha(X), "correctly_rounded_sha256": sha(Xc),
                                  "labels_sha256": sha(y), "diffs": diffs})
    doc = {
        "generator": "engine/data/testdata/sklearn_ulps.py",
        "numpy_version": np.__version__,
        "sklearn_version": sklearn.__version__,
        "cases": cases,
    }
    text = json.dumps(doc, indent=1)
    # One [index, sklearn, correctly rounded] difference per line.
    text = re.sub(r'\[\s*(\d+),\s*("[^"]*"),\s*("[^"]*")\s*\]', r"[\1, \2, \3]", text)
    sys.stdout.write(text + "\n")


if __name__ == "__main__":
    main()
