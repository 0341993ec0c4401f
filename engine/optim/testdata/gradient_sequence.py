"""The fixed gradient sequence that the optimizer test vectors replay.

Imported by torch_vectors.py and course_vectors.py so that both files carry
the same starting parameters and gradients. Five parameters, each with its
own kind of gradient, for 30 steps:

  0  ordinary: N(0, 1)
  1  large: N(0, 1)·1e3
  2  tiny: N(0, 1)·1e-6, where eps is no longer negligible
  3  sign-flipping: ±(0.5 + U(0, 0.5)), alternating every step
  4  bursty: N(0, 1)·10 on about two steps in three, exactly 0 otherwise
"""

import numpy as np

SEED = 20240611
STEPS = 30
PARAMS0 = [0.5, -1.5, 2.0, 1e-3, -0.75]


def gradients():
    """Returns the gradients as a list of STEPS lists of len(PARAMS0) floats."""
    rng = np.random.default_rng(SEED)
    g = np.empty((STEPS, len(PARAMS0)))
    g[:, 0] = rng.standard_normal(STEPS)
    g[:, 1] = rng.standard_normal(STEPS) * 1e3
    g[:, 2] = rng.standard_normal(STEPS) * 1e-6
    signs = np.where(np.arange(STEPS) % 2 == 0, 1.0, -1.0)
    g[:, 3] = signs * (0.5 + 0.5 * rng.random(STEPS))
    burst = rng.standard_normal(STEPS) * 10
    g[:, 4] = np.where(rng.random(STEPS) < 2 / 3, burst, 0.0)
    return g.tolist()
