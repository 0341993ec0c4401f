#!/usr/bin/python3
"""Generate numpy_vectors.json: reference draws from numpy's legacy RandomState.

Run with Debian's interpreter, which has numpy:

    /usr/bin/python3 engine/rng/testdata/numpy_vectors.py > engine/rng/testdata/numpy_vectors.json

Floats are written with float.hex() so that they round-trip bit for bit;
int64 values are written as decimal strings because JSON numbers are doubles.
The correctly rounded logarithms that check the Gaussian's log are in
engine/internal/crmath/testdata/mpmath_vectors.json. The "derive" section
is not from numpy: it is an independent implementation of the algorithm
documented on rng.Derive, so the Go code is checked against its
specification rather than against itself.
"""
import json
import sys

import numpy as np

SEEDS = [0, 1, 3, 11, 42, 4294967295]
RANDINT_RANGES = [
    (0, 1),
    (0, 10),
    (-5, 5),
    (0, 300),
    (-(2**31), 2**31),
    (0, 2**32),  # range 2^32-1: the largest drawn with 32-bit draws
    (0, 2**32 + 1),  # first range that needs 64-bit draws
    (-(2**40), 2**40),
    (0, 2**63 - 1),
    (-(2**63), 2**63 - 1),
]
DERIVE_STREAMS = ["data", "init", "shuffle", "dropout", "search", ""]
DERIVE_SEEDS = [0, 1, 42, 2**32, 2**64 - 1]

M64 = 2**64 - 1


def hexes(a):
    return [float(v).hex() for v in np.ravel(a)]


def splitmix64(z):
    z = (z + 0x9E3779B97F4A7C15) & M64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


def derive(seed, stream):
    h = 14695981039346656037
    for b in stream.encode():
        h = ((h ^ b) * 1099511628211) & M64
    return splitmix64(splitmix64(seed) ^ h) >> 32


def per_seed(seed):
    rs = np.random.RandomState(seed)
    state = rs.get_state()
    out = {
        "seed": seed,
        "key_head": [int(v) for v in state[1][:5]],
        "pos": int(state[2]),
        # The legacy generator's raw 32-bit outputs.
        "raw": [int(v) for v in rs._bit_generator.random_raw(10)],
    }
    rs.seed(seed)
    out["random_sample"] = hexes(rs.random_sample(20))
    rs.seed(seed)
    # 700 doubles use 1400 words: the key is regenerated twice.
    out["random_sample_690_700"] = hexes(rs.random_sample(700)[690:])
    rs.seed(seed)
    out["randn7"] = hexes(rs.randn(7))
    rs.seed(seed)  # clears the cached Gaussian left by the odd count
    out["randn3_after_reseed"] = hexes(rs.randn(3))
    rs.seed(seed)
    out["randn200"] = hexes(rs.randn(200))
    rs.seed(seed)
    out["normal_scale_0_2_5x2"] = hexes(rs.normal(scale=0.2, size=(5, 2)))
    rs.seed(seed)
    out["uniform_m3_5"] = hexes(rs.uniform(-3, 5, size=10))
    rs.seed(seed)
    a = np.arange(10)
    rs.shuffle(a)
    out["shuffle_arange10"] = [int(v) for v in a]
    out["randint"] = []
    for lo, hi in RANDINT_RANGES:
        rs.seed(seed)
        vals = [str(int(rs.randint(lo, hi))) for _ in range(12)]
        out["randint"].append({"lo": str(lo), "hi": str(hi), "values": vals})
    return out


def main():
    doc = {
        "generator": "engine/rng/testdata/numpy_vectors.py",
        "numpy_version": np.__version__,
        "seeds": [per_seed(s) for s in SEEDS],
        "permutation300": [
            {"seed": s, "perm": [int(v) for v in np.random.RandomState(s).permutation(300)]}
            for s in range(11, 16)
        ],
        "derive": [
            {"seed": str(s), "stream": name, "value": derive(s, name)}
            for s in DERIVE_SEEDS
            for name in DERIVE_STREAMS
        ],
    }
    json.dump(doc, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
