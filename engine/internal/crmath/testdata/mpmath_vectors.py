#!/usr/bin/python3
"""Generate mpmath_vectors.json: correctly rounded log, sin and cos.

Run with Debian's interpreter, which has numpy and mpmath:

    /usr/bin/python3 engine/internal/crmath/testdata/mpmath_vectors.py > engine/internal/crmath/testdata/mpmath_vectors.json

Floats are written with float.hex() so that they round-trip bit for bit.
Every value is mpmath's result at 300 bits rounded to the nearest float64.
The "log" inputs cover r² of engine/rng's polar-method Gaussian; the "trig"
inputs cover the angles of engine/data's generators. numpy only draws the
inputs (RandomState, whose uniform draws are exact and platform-independent).
"""
import json
import math
import sys

import mpmath
import numpy as np


def correctly_rounded_log(x):
    mpmath.mp.prec = 300
    exact = mpmath.log(mpmath.mpf(x))
    libm = math.log(x)  # within 1 ULP, so the answer is among its neighbours
    cands = [libm, math.nextafter(libm, -math.inf), math.nextafter(libm, math.inf)]
    return min(cands, key=lambda c: abs(mpmath.mpf(c) - exact))


def log_inputs():
    # r² of the polar method lies in (0, 1); add the edges and a few others.
    rs = np.random.RandomState(7)
    xs = list(rs.random_sample(150) ** 2 + rs.random_sample(150) ** 2)
    xs = [x for x in xs if 0 < x < 1]
    xs += [1 - v for v in rs.random_sample(10) * 1e-9]
    xs += list(rs.random_sample(10) * 1e-300)
    xs += [5e-324, 2.0**-1022, 2.0**-106, 0.5, math.sqrt(0.5), 1 - 2.0**-53, 1.0,
           1 + 2.0**-52, math.sqrt(2), 2.0, math.e, 10.0, 1e300, 1.7976931348623157e308]
    return [float(x) for x in xs]


def rn(f, x):
    """f(x) correctly rounded; libm is within 1 ULP, so test its neighbours."""
    mpmath.mp.prec = 300
    exact = (mpmath.cos if f is math.cos else mpmath.sin)(mpmath.mpf(x))
    v = f(x)
    cands = [v, math.nextafter(v, -math.inf), math.nextafter(v, math.inf)]
    return min(cands, key=lambda c: abs(mpmath.mpf(c) - exact))


def trig_inputs():
    # Angles of the generators' usual calls: [0, 2π] for moons and circles,
    # about [0, 12] for three-class spirals; add multiples of π/2 and others.
    rs = np.random.RandomState(9)
    xs = [float(v) for v in rs.uniform(-2, 14, size=300)]
    xs += [0.0, 2.0**-30, float(np.pi) / 2, float(np.pi), 3 * float(np.pi) / 2, 2 * float(np.pi), 4.0, 8.0, 12.0, -1e-5]
    return xs


def main():
    doc = {
        "generator": "engine/internal/crmath/testdata/mpmath_vectors.py",
        "mpmath_version": mpmath.__version__,
        # [x, log x]
        "log": [[x.hex(), correctly_rounded_log(x).hex()] for x in log_inputs()],
        # [x, cos x, sin x]
        "trig": [[x.hex(), rn(math.cos, x).hex(), rn(math.sin, x).hex()] for x in trig_inputs()],
    }
    json.dump(doc, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
