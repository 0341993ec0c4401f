//go:build unix

package main

import (
	"os"
	"syscall"
)

// stopSignals stop a command gracefully (see main1): SIGINT (Ctrl-C),
// SIGTERM (kill, a scheduler's preemption or time limit) and SIGUSR1,
// which Slurm sends ahead of a time limit when asked to (sbatch
// --signal), and which by default would kill the process outright.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGUSR1}
