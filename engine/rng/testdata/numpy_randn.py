#!/usr/bin/python3
"""Generate numpy_randn.json: 10^5 Gaussians per seed from numpy's legacy randn.

Run with Debian's interpreter (python3-numpy) on glibc:

    /usr/bin/python3 engine/rng/testdata/numpy_randn.py > engine/rng/testdata/numpy_randn.json

For each seed, np.random.seed(seed); np.random.randn(100000). The file keeps
the SHA-256 of the draws' bits (8 bytes little-endian each, in order), the
first 20 draws and every 1000th draw in full (so that a failing test can say
where), as float.hex() strings. numpy's legacy Gaussian takes its log from
the C library, so the draws depend on glibc's log: on x86-64 glibc picks its
FMA build of log on CPUs with FMA and AVX2, the build engine/internal/glibcmath
reproduces; the script refuses to run on other CPUs.
"""
import hashlib
import json
import platform
import sys

import numpy as np

SEEDS = [0, 1, 42, 1234, 4294967295]
N = 100000
HEAD = 20
EVERY = 1000


def main():
    libc, ver = platform.libc_ver()
    flags = open("/proc/cpuinfo").read().split()
    if libc != "glibc" or platform.machine() != "x86_64" or "fma" not in flags or "avx2" not in flags:
        sys.exit("numpy_randn.py: needs glibc on an x86-64 CPU with FMA and AVX2")
    out = []
    for seed in SEEDS:
        rs = np.random.RandomState(seed)
        draws = rs.randn(N).astype("<f8")
        out.append({
            "seed": seed,
            "n": N,
            "sha256": hashlib.sha256(draws.tobytes()).hexdigest(),
            "head": [float(v).hex() for v in draws[:HEAD]],
            "every1000": [float(v).hex() for v in draws[::EVERY]],
        })
    doc = {
        "generator": "engine/rng/testdata/numpy_randn.py",
        "numpy_version": np.__version__,
        "libc": "%s %s" % (libc, ver),
        "seeds": out,
    }
    json.dump(doc, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
