//go:build unix

package results

import (
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// ownerOf says who owns a file and who this process is, for a message
// about a file it may not write.
func ownerOf(fi fs.FileInfo) string {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return fmt.Sprintf("owned by uid %d, mode %v; this process runs as uid %d", st.Uid, fi.Mode().Perm(), os.Geteuid())
	}
	return fmt.Sprintf("mode %v", fi.Mode().Perm())
}
