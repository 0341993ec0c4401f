//go:build !unix

package main

import (
	"os"
	"syscall"
)

// stopSignals stop a command gracefully (see main1).
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM}
