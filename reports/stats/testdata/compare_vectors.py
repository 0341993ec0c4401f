#!/usr/bin/python3
"""Generate compare_vectors.json: reference values for WelchTTest and
MannWhitneyU from scipy, read by compare_test.go.

Run with Debian's interpreter, which has python3-scipy and python3-numpy:

    /usr/bin/python3 reports/stats/testdata/compare_vectors.py > reports/stats/testdata/compare_vectors.json

Each case records scipy.stats.ttest_ind(a, b, equal_var=False) (t, p, and the
Welch-Satterthwaite df as scipy computes it internally) and
scipy.stats.mannwhitneyu(a, b, alternative='two-sided') with the default
method='auto' (U for a, p, and the method auto chose). Non-finite numbers are
written as the strings "NaN", "Infinity" and "-Infinity", since JSON has no
literal for them.
"""

import json
import math
import sys

import numpy as np
import scipy
from scipy import stats
from scipy.stats import _mannwhitneyu, _stats_py


def num(x):
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def case(name, a, b):
    a = [float(x) for x in a]
    b = [float(x) for x in b]
    out = {"name": name, "a": a, "b": b}
    if len(a) >= 2 and len(b) >= 2:
        t, p = stats.ttest_ind(a, b, equal_var=False)
        df, _ = _stats_py._unequal_var_ttest_denom(
            np.var(a, ddof=1), len(a), np.var(b, ddof=1), len(b))
        out["welch"] = {"t": num(t), "df": num(df), "p": num(p)}
    xy = np.concatenate([a, b])
    method = _mannwhitneyu._mwu_choose_method(len(a), len(b), xy, "auto")
    u, p = stats.mannwhitneyu(a, b, alternative="two-sided")
    out["mwu"] = {"u": num(u), "p": num(p), "method": method}
    return out


def main():
    rng = np.random.default_rng(20240508)
    normal = lambda n, mu, sd, dec=6: np.round(rng.normal(mu, sd, n), dec).tolist()
    cases = [
        # Small samples without ties: MWU's exact distribution.
        case("tiny 2v2", [0.91, 0.93], [0.88, 0.90]),
        case("tiny 2v3", [1.5, 2.5], [3.0, 4.0, 5.5]),
        case("scipy doc example 5v4", [19, 22, 16, 29, 24], [20, 11, 17, 12]),
        case("3v3 separated", [1, 2, 3], [4, 5, 6]),
        case("3v3 interleaved", [1, 3, 5], [2, 4, 6]),
        case("4v4 accuracy", [0.912, 0.918, 0.915, 0.921], [0.902, 0.899, 0.907, 0.904]),
        case("5v5 normal", normal(5, 0.0, 1.0), normal(5, 0.5, 1.0)),
        case("8v8 normal", normal(8, 10.0, 2.0), normal(8, 11.0, 2.0)),
        case("8v20 exact boundary", normal(8, 0.0, 1.0), normal(20, 0.3, 1.0)),
        case("20v8 exact boundary", normal(20, 0.0, 1.0), normal(8, -0.3, 1.0)),
        case("9v9 asymptotic boundary", normal(9, 0.0, 1.0), normal(9, 0.8, 1.0)),
        case("2v40 unbalanced", [0.5, 0.7], normal(40, 0.6, 0.1)),
        case("40v3 unbalanced", normal(40, 5.0, 1.0), [4.0, 4.5, 6.5]),
        # Ties: MWU's normal approximation with tie correction.
        case("3v3 ties", [1, 2, 2], [2, 3, 3]),
        case("5v5 ties rounded", np.round(normal(5, 0.9, 0.02), 2).tolist(), np.round(normal(5, 0.89, 0.02), 2).tolist()),
        case("12v12 ties", np.round(normal(12, 100, 3), 0).tolist(), np.round(normal(12, 102, 3), 0).tolist()),
        case("30v30 ties", np.round(normal(30, 0.5, 0.05), 2).tolist(), np.round(normal(30, 0.52, 0.05), 2).tolist()),
        case("correct counts", [9123, 9140, 9131, 9140, 9127, 9135], [9101, 9140, 9110, 9098, 9107, 9112]),
        # Identical and constant samples.
        case("identical 5", [0.25, 0.5, 0.75, 1.0, 1.25], [0.25, 0.5, 0.75, 1.0, 1.25]),
        case("identical 10 normal", *(lambda x: (x, list(x)))(normal(10, 3.0, 0.5))),
        case("constant equal", [2.0, 2.0, 2.0], [2.0, 2.0, 2.0]),
        case("constant different", [2.0, 2.0, 2.0, 2.0], [3.0, 3.0, 3.0]),
        case("one side constant", [1.0, 1.0, 1.0, 1.0], [0.5, 1.5, 1.25, 0.75]),
        # Large shifts: p far in the tail.
        case("large shift 10v10", normal(10, 0.0, 1.0), normal(10, 20.0, 1.0)),
        case("large shift 40v40", normal(40, 0.0, 1.0), normal(40, 5.0, 1.0)),
        case("large shift 6v6", normal(6, 1.0, 0.01), normal(6, 2.0, 0.01)),
        # Negative values and mixed signs.
        case("negative 7v6", normal(7, -3.0, 0.5), normal(6, -2.5, 0.5)),
        case("mixed sign 15v11", normal(15, 0.0, 2.0), normal(11, -0.5, 3.0)),
        case("negative losses 25v25", normal(25, -1.2, 0.1), normal(25, -1.25, 0.12)),
        # Unequal variances, where Welch and Student differ.
        case("unequal variances 10v25", normal(10, 1.0, 0.1), normal(25, 1.1, 2.0)),
        case("near equal means 16v16", normal(16, 0.0, 1.0), normal(16, 0.0, 1.0)),
        # One value on a side: no t-test; MWU has an answer.
        case("one v three", [1.0], [2.0, 3.0, 4.0]),
    ]
    json.dump({
        "generator": "compare_vectors.py",
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "python": sys.version.split()[0],
        "cases": cases,
    }, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
