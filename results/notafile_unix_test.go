//go:build unix

package results

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
)

// TestOpenNotAFile: Open refuses a directory or a named pipe as
// ErrNotResults before SQLite sees it (it failed later, at run time,
// with "is a directory" or "illegal seek") and creates nothing beside it.
func TestOpenNotAFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub.db")
	pipe := filepath.Join(dir, "pipe.db")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(pipe, 0o600); err != nil {
		t.Skip("no named pipes here:", err)
	}
	for _, path := range []string{sub, pipe} {
		db, err := Open(ctx, path)
		if err == nil {
			db.Close()
		}
		if !errors.Is(err, ErrNotResults) {
			t.Errorf("Open(%s): %v, want %v", filepath.Base(path), err, ErrNotResults)
		}
	}
	if got := dirNames(t, dir); !slices.Equal(got, []string{"pipe.db", "sub.db"}) {
		t.Errorf("files: %v, want only pipe.db and sub.db", got)
	}
}
