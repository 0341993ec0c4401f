// Package vecmath holds element-wise loops of the training path that Go
// does not vectorize, written in AVX assembly on amd64, with a pure-Go
// loop that defines each one's arithmetic and runs everywhere else.
//
// Vector IEEE 754 additions, multiplications, divisions and square roots
// round each lane exactly as the scalar operations do, and the assembly
// performs the Go loop's operations in the Go loop's order, with no fused
// multiply-add, so both give the same bits (TestAdamMatchesGo checks that
// on random vectors and special values). GODEBUG=cpu.avx=off selects the
// Go loop.
//
// vecmath is part of the engine stage. It imports only the standard
// library and golang.org/x/sys/cpu and keeps no mutable package-level
// state.
package vecmath
