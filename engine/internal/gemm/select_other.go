//go:build !amd64 || purego

package gemm

// Kernels lists the kernels this CPU can run, fastest first.
func Kernels() []*Kernel { return []*Kernel{goKernel} }

// Best returns the fastest kernel this CPU can run.
func Best() *Kernel { return goKernel }
