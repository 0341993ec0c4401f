#!/usr/bin/python3
"""Records numpy.sum of float64 vectors for engine/nn's PairwiseSum test.

Run from this directory with Debian's python3 (python3-numpy):

    /usr/bin/python3 numpy_sums.py > numpy_sums.json

Each case's vector is drawn from np.random.RandomState(seed), whose uniforms
engine/rng reproduces bit for bit, so the JSON holds only seeds, lengths and
numpy's sums (as float.hex() strings):

    u, v = rs.random_sample(n), rs.random_sample(n)
    x_i = (u_i − 0.5) · 2^(floor(40·v_i) − 20)

The scaling spans twelve decades so that the order of the additions shows in
the last bits. Lengths are ragged around numpy's unroll (8), block (128) and
buffer (8192) sizes. The "ln2" case is the issue's example: a constant cost
of ln 2 over 300 examples, summed then divided by 300.
"""

import json
import math
import sys

import numpy as np

LENGTHS = [0, 1, 2, 7, 8, 9, 15, 16, 17, 100, 127, 128, 129, 130, 135, 136,
           255, 256, 257, 300, 383, 1000, 1023, 1025, 4097, 8191, 8192, 8193,
           10001, 16384, 16391, 20000]


def vector(seed, n):
    rs = np.random.RandomState(seed)
    u = rs.random_sample(n)
    v = rs.random_sample(n)
    return (u - 0.5) * np.ldexp(1.0, (np.floor(40 * v) - 20).astype(np.int64))


cases = []
for i, n in enumerate(LENGTHS):
    seed = 1000 + i
    cases.append({"seed": seed, "n": n, "sum": float(np.sum(vector(seed, n))).hex()})

ln2 = np.full(300, math.log(2))
out = {
    "numpy": np.__version__,
    "cases": cases,
    "ln2_mean_300": float(np.sum(ln2) / 300).hex(),
    "ln2_mean_300_repr": repr(float(np.sum(ln2) / 300)),
}
json.dump(out, sys.stdout, indent=1)
sys.stdout.write("\n")
