#!/usr/bin/python3
"""Generate glibc_log.json: glibc's log on 10^5 generated inputs and edge cases.

Python's math.log calls the C library's log, so on glibc this is glibc's
double-precision log, and on an x86-64 CPU with FMA and AVX2 its ifunc picks
the FMA build (__ieee754_log_fma) that glibcmath.Log reproduces. The script
refuses to run anywhere else. Run it with Debian's interpreter:

    /usr/bin/python3 engine/internal/glibcmath/testdata/glibc_log.py \
        > engine/internal/glibcmath/testdata/glibc_log.json

Inputs of each group come from a splitmix64 stream (state += golden gamma,
output = the splitmix64 mix of the state) and are mapped as glibc_log_test.go
maps them. For each group the file keeps the SHA-256 of the outputs' bits
(8 bytes little-endian each, in order) and its first outputs in full; the
edge cases are kept in full. Floats are float.hex() strings.
"""
import hashlib
import json
import math
import platform
import re
import struct
import sys

M64 = 2**64 - 1
GAMMA = 0x9E3779B97F4A7C15
NEAR1_LO = 0x3FEE000000000000
NEAR1_HI = 0x3FF1090000000000
SAMPLE = 16


def mix(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & M64

    def next(self):
        self.state = (self.state + GAMMA) & M64
        return mix(self.state)


def from_bits(b):
    return struct.unpack("<d", struct.pack("<Q", b))[0]


def to_bits(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def unit(g):
    """Uniform in (0, 1) on the 2^-53 grid, like numpy's random_sample."""
    while True:
        u = g.next() >> 11
        if u:
            return u * 2.0**-53


def near1(g):
    return from_bits(NEAR1_LO + g.next() % (NEAR1_HI - NEAR1_LO))


def subnormal(g):
    return from_bits(1 + g.next() % (2**52 - 1))


def positive(g):
    """A random positive finite double, every bit pattern equally likely."""
    while True:
        b = g.next() & 0x7FFFFFFFFFFFFFFF
        if 0 < b < 0x7FF0000000000000:
            return from_bits(b)


def moderate(g):
    """Exponent uniform in [-60, 60], random mantissa."""
    e = g.next() % 121 - 60
    return from_bits(((1023 + e) << 52) | (g.next() & (2**52 - 1)))


GROUPS = [
    ("unit", unit, 1, 40000),
    ("near1", near1, 2, 20000),
    ("subnormal", subnormal, 3, 10000),
    ("positive", positive, 4, 20000),
    ("moderate", moderate, 5, 10000),
]


def edge_cases():
    xs = [
        1.0, 2.0, 0.5, math.e, 10.0, 3.0, 0.1, 1e-300, 1e300,
        5e-324, 2.2250738585072014e-308, 2.2250738585072009e-308,
        1.7976931348623157e308, math.inf,
    ]
    for b in [NEAR1_LO, NEAR1_HI, 0x3FE6000000000000, 0x3FF0000000000000]:
        xs += [from_bits(b - 1), from_bits(b), from_bits(b + 1)]
    for k in range(-1074, 1024, 7):
        xs.append(math.ldexp(1.0, k))
    # Table boundaries: the first z of each of the 128 subintervals.
    for i in range(128):
        b = 0x3FE6000000000000 + (i << 45)
        xs += [from_bits(b), from_bits(b - 1)]
    # Inputs where fusing one more or one fewer multiply-add than glibc's
    # FMA build changes the result (found by searching 1.5×10^8 inputs with
    # variants of glibcmath.Log): they pin down which operations are fused.
    # r³·P + lo in the near-1 path:
    xs += [float.fromhex(h) for h in [
        "0x1.e60e67badede8p-1", "0x1.e2cddf52ecbd2p-1", "0x1.e38f5017c4acap-1",
        "0x1.e439a66e3cd1bp-1", "0x1.e7888a3e23c0cp-1", "0x1.f297107827e91p-1"]]
    # b1 + r·b2 + r²·b3 in the near-1 path:
    xs += [float.fromhex(h) for h in [
        "0x1.ede2a45569401p-1", "0x1.e78cf8ecd6526p-1", "0x1.0fda59a59a447p+0",
        "0x1.0ef4c6d10409bp+0", "0x1.0a6dac40acc44p+0", "0x1.0ef148b3d9a4ap+0"]]
    # lo + r²·a0 in the main path:
    xs += [float.fromhex(h) for h in [
        "0x1.21b3790fa8a6bp-24", "0x1.a7f578d18945p-34", "0x1.53cd2bc9c755fp+20",
        "0x1.404f40ca4212cp-29"]]
    return xs


def main():
    libc, ver = platform.libc_ver()
    flags = open("/proc/cpuinfo").read().split()
    if libc != "glibc" or platform.machine() != "x86_64" or "fma" not in flags or "avx2" not in flags:
        sys.exit("glibc_log.py: needs glibc on an x86-64 CPU with FMA and AVX2 (got %s %s on %s)"
                 % (libc, ver, platform.machine()))
    groups = []
    for name, draw, seed, n in GROUPS:
        g = SplitMix64(seed)
        h = hashlib.sha256()
        sample = []
        for j in range(n):
            x = draw(g)
            y = math.log(x)
            h.update(struct.pack("<d", y))
            if j < SAMPLE:
                sample.append([x.hex(), y.hex()])
        groups.append({"name": name, "seed": seed, "n": n,
                       "sha256": h.hexdigest(), "sample": sample})
    doc = {
        "generator": "engine/internal/glibcmath/testdata/glibc_log.py",
        "libc": "%s %s" % (libc, ver),
        "edge": [[x.hex(), math.log(x).hex()] for x in edge_cases()],
        "groups": groups,
    }
    text = json.dumps(doc, indent=1)
    # One [x, log(x)] pair per line.
    text = re.sub(r'\[\s*("[^"]*"),\s*("[^"]*")\s*\]', r"[\1, \2]", text)
    sys.stdout.write(text + "\n")


if __name__ == "__main__":
    main()
