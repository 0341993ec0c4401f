// Package glibcmath reproduces, bit for bit and on every platform, the
// double-precision natural logarithm of the GNU C library as it runs on
// x86-64 CPUs with FMA: the function numpy's legacy Gaussian (the polar
// method of np.random.RandomState) calls, so that engine/rng can return the
// Gaussians numpy returns on glibc systems.
//
// glibc's log (since 2.29) is not correctly rounded (its worst error is
// 0.519 ULP), so the engine's correctly rounded [crmath.Log] differs from it
// now and then (on 50 of the 10⁵ test inputs below), and Gaussians drawn
// through crmath.Log differed from numpy's by 1–3 ULP (145 of 4×10⁵ draws,
// before this package existed). [Log] follows glibc's algorithm and
// table operation for operation, with the multiply-adds that GCC fuses in
// glibc's FMA build (the __ieee754_log_fma variant that its ifunc selects on
// CPUs with FMA and AVX2) done as math.FMA and every other product rounded
// on its own; math.FMA is exact on every platform, so the result does not
// depend on the platform or on whether the Go compiler fuses.
//
// What was tested: Log against Python's math.log (which calls glibc's log)
// on Debian 12's glibc 2.36 on an x86-64 CPU with FMA, on 10⁵ inputs
// (uniform in (0, 1), the near-1 range, subnormals, random bit patterns,
// moderate exponents) and about 600 edge cases (powers of two, the ends of
// the near-1 range and of the 128 table intervals, subnormal and overflow
// limits, and 16 inputs found by search where fusing one multiply-add more
// or less than glibc changes the result): identical bits on all of them
// (testdata/glibc_log.py). On the 10⁵ inputs Log differs from the correctly
// rounded crmath.Log on 50. The same tests pass built for linux/amd64 with
// GOAMD64=v3 (where the Go compiler may fuse), linux/386 (software FMA) and
// linux/arm64 (run under qemu), as do engine/rng's numpy randn tests.
// glibc's build without FMA (older x86-64 CPUs) computes z/c−1 another way
// and can differ in the last bit; that variant is not reproduced.
//
// Licence: the algorithm and table are Szabolcs Nagy's (Arm), published in
// Arm's optimized-routines (MIT OR Apache-2.0 WITH LLVM-exception) and
// contributed to glibc (LGPL-2.1-or-later) as sysdeps/ieee754/dbl-64/e_log.c
// and e_log_data.c. The Go code here is written from that description and
// from the disassembly of Debian's libm; the table's values are data.
//
// glibcmath is part of the engine stage (one trial's numerics). It imports
// only the standard library and keeps no state besides its read-only table.
package glibcmath
