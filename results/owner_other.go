//go:build !unix

package results

import (
	"fmt"
	"io/fs"
)

// ownerOf says what can be said here about who may write a file.
func ownerOf(fi fs.FileInfo) string { return fmt.Sprintf("mode %v", fi.Mode().Perm()) }
