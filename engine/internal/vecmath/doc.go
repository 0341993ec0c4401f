// Package vecmath holds element-wise loops of the training path that Go
// does not vectorize, written in AVX assembly on amd64, with a pure-Go
// loop that defines each one's arithmetic and runs everywhere else:
// Adam's update, the sigmoid and the logarithm (crmath.FastExp and
// crmath.FastLog four at a time), ReLU and its derivative, the count of a
// sigmoid unit's correct predictions, the choice of a or 1 − a for a
// binary cross-entropy term, the output layer's delta s·(a − y), and the
// bias add (engine/internal/gemm's Epilogue uses it and ReLU for large
// products; small ones do both in the product's own pass).
//
// Vector IEEE 754 additions, multiplications, divisions, square roots and
// fused multiply-adds round each lane exactly as the scalar operations
// (and math.FMA) do, and the assembly performs the Go definition's
// operations in its order, fusing exactly where the definition calls
// math.FMA (FastExp, FastLog) and nowhere else (Adam), so both give the
// same bits. Each has a test that compares them bit for bit on random
// vectors of every length up to 37 or 41 with special values mixed in
// (TestAdamMatchesGo, TestLogMatchesFastLog, TestSigmoidMatchesFastExp,
// TestReLUMatchesGo, TestHitsMatchesGo, TestSelectBinaryMatchesGo,
// TestScaledDiffMatchesGo, TestAddConstMatchesGo). Log and Sigmoid hand
// groups with arguments outside the assembly's range (not positive normal
// finite for the logarithm, |x| > 707 for the sigmoid) to the Go
// functions. GODEBUG=cpu.avx=off (Adam, ReLU, SelectBinary, ScaledDiff,
// AddConst) and cpu.avx2=off or cpu.fma=off (Log, Sigmoid, Hits) select
// the Go loops.
//
// vecmath is part of the engine stage. It imports only the standard
// library, golang.org/x/sys/cpu and engine/internal/crmath (the scalar
// definitions) and keeps no mutable package-level state.
package vecmath
