//go:build unix

package results

import (
	"syscall"
	"time"
)

// processCPU is the CPU time this process has used (user and system), which
// other work on a shared machine changes less than the wall time.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(syscall.TimevalToNsec(ru.Utime) + syscall.TimevalToNsec(ru.Stime)), true
}
