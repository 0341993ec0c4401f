//go:build unix

package results

import (
	"errors"
	"syscall"
)

// processExists reports whether a process with this pid exists. A pid
// that was reused by another process counts as alive: its claims then
// wait for their lease, the safe way to be wrong.
func processExists(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
