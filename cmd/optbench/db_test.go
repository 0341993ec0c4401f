package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The database's robustness end to end: read commands write nothing,
// damaged or foreign files are refused with exit 2 and left as they were.

// tinySweep is a sweep of two trials that trains in milliseconds.
const tinySweep = `name: tiny
experiment: moons-mlp
seeds: 1
budget: {epochs: 2}
parameters:
  lr: [0.1, 0.01]
`

// optbench runs the command in this process and returns its exit status
// and output.
func optbench(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	err := runEnv(context.Background(), args, &out, &errb, func(string) string { return "" })
	code = exitCode(err, &errb)
	return code, out.String(), errb.String()
}

// writeFile writes content to dir/name and returns its path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o666); err != nil {
		t.Fatal(err)
	}
	return path
}

// sumFile returns the SHA-256 of a file's content.
func sumFile(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

// storedDB runs the tiny sweep into dir/r.db and returns its path.
func storedDB(t *testing.T, dir string) string {
	t.Helper()
	sweep := writeFile(t, t.TempDir(), "tiny.yaml", tinySweep)
	db := filepath.Join(dir, "r.db")
	if code, _, stderr := optbench(t, "run", "--quiet", "--db", db, sweep); code != 0 {
		t.Fatalf("run exited %d: %s", code, stderr)
	}
	return db
}

// readCommands are the commands that only read the database.
func readCommands(db, out string) [][]string {
	return [][]string{
		{"ls", "--db", db},
		{"ls", "--db", db, "tiny"},
		{"export", "--db", db},
		{"export", "--db", db, "--curves", "--format", "json"},
		{"report", "--db", db, "--out", out},
	}
}

// TestReadCommandsWriteNothing: ls, export and report leave the database
// byte for byte as it was and create no -wal or -shm beside it.
func TestReadCommandsWriteNothing(t *testing.T) {
	dir := t.TempDir()
	db := storedDB(t, dir)
	before := sumFile(t, db)
	for _, args := range readCommands(db, t.TempDir()) {
		if code, _, stderr := optbench(t, args...); code != 0 {
			t.Errorf("%s exited %d: %s", strings.Join(args, " "), code, stderr)
		}
		if got := listDir(t, dir); !slices.Equal(got, []string{"r.db"}) {
			t.Errorf("after %s: %v, want only r.db", strings.Join(args, " "), got)
		}
	}
	if sumFile(t, db) != before {
		t.Error("a read command changed the database")
	}
}

// TestReadRefusesNotOurs: a 0-byte file, a table-less SQLite file and a
// file that is not SQLite are not optbench databases: each read command
// exits 2 saying so (run too, on the text), and the file stays as it
// was (ls used to write the schema into the first two).
func TestReadRefusesNotOurs(t *testing.T) {
	for _, tc := range []struct {
		name    string
		content string
	}{
		{"0 bytes", ""},
		// What sqlite3 x.db 'CREATE TABLE a(b); DROP TABLE a' leaves: a
		// header page and no tables.
		{"table-less", tablelessSQLite()},
		{"text", strings.Repeat("not a database\n", 300)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			db := writeFile(t, dir, "r.db", tc.content)
			sweep := writeFile(t, t.TempDir(), "tiny.yaml", tinySweep)
			for _, args := range append(readCommands(db, t.TempDir()), []string{"run", "--db", db, sweep}) {
				if tc.name != "text" && args[0] == "run" {
					continue // run makes an empty SQLite file the database
				}
				code, _, stderr := optbench(t, args...)
				if code != 2 || !strings.Contains(stderr, "not an optbench results database") {
					t.Errorf("%s: exit %d, %s; want 2, not an optbench results database", strings.Join(args, " "), code, stderr)
				}
			}
			got, err := os.ReadFile(db)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.content {
				t.Errorf("the file changed: %d bytes, was %d", len(got), len(tc.content))
			}
			if got := listDir(t, dir); !slices.Equal(got, []string{"r.db"}) {
				t.Errorf("files: %v, want only r.db", got)
			}
		})
	}
}

// tablelessSQLite returns a valid SQLite file of one page and no tables.
func tablelessSQLite() string {
	page := make([]byte, 4096)
	copy(page, "SQLite format 3\x00")
	page[16], page[17] = 0x10, 0x00 // page size 4096
	page[18], page[19] = 1, 1       // legacy journal
	page[21], page[22], page[23] = 64, 32, 32
	page[27] = 1   // change counter
	page[31] = 1   // pages in the file
	page[44+3] = 4 // schema format
	page[56+3] = 1 // UTF-8
	page[92+3] = 1 // version-valid-for
	page[96], page[97], page[98], page[99] = 0x00, 0x2e, 0x5a, 0x34
	page[100] = 0x0d // an empty table b-tree leaf: sqlite_schema
	page[105], page[106] = 0x10, 0x00
	return string(page)
}

// nonRoot runs the optbench binary bin as uid:gid with setpriv, so that
// file permissions hold even when the tests run as root.
func nonRoot(t *testing.T, bin, uid string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command("setpriv", append([]string{"--reuid=" + uid, "--regid=" + uid, "--clear-groups", bin}, args...)...)
	cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=/", "OPTBENCH_DB="}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), out.String(), errb.String()
	} else if err != nil {
		t.Fatal(err)
	}
	return 0, out.String(), errb.String()
}

// binaryForAll copies the optbench binary that testscript put in $PATH
// into a directory every user may read, for nonRoot. It skips the test
// where commands cannot run as another user.
func binaryForAll(t *testing.T) string {
	t.Helper()
	if os.Getuid() != 0 {
		t.Skip("needs root to run commands as other users")
	}
	if _, err := exec.LookPath("setpriv"); err != nil {
		t.Skip("needs setpriv to run commands as other users")
	}
	src, err := exec.LookPath("optbench")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(sharedDir(t, 0o755), "optbench")
	if err := copyExecutable(src, bin); err != nil {
		t.Fatal(err)
	}
	return bin
}

func copyExecutable(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// sharedDir returns a new directory that every user may enter, with mode
// perm, removed after the test.
func sharedDir(t *testing.T, perm os.FileMode) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "optbench-shared")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		os.Chmod(dir, 0o700)
		os.RemoveAll(dir)
	})
	if err := os.Chmod(dir, perm); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestReadOnlyDirectory reads, as a user who may not write there, a
// database in a directory of mode 0555: every read command works and
// leaves no file (they used to fail: opening created -wal and -shm).
func TestReadOnlyDirectory(t *testing.T) {
	bin := binaryForAll(t)
	dir := sharedDir(t, 0o755)
	db := storedDB(t, dir)
	before := sumFile(t, db)
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	out := sharedDir(t, 0o777)
	for _, args := range readCommands(db, out) {
		if code, _, stderr := nonRoot(t, bin, "65534", args...); code != 0 {
			t.Errorf("as nobody, %s exited %d: %s", strings.Join(args, " "), code, stderr)
		}
	}
	if got := listDir(t, dir); !slices.Equal(got, []string{"r.db"}) {
		t.Errorf("files: %v, want only r.db", got)
	}
	if sumFile(t, db) != before {
		t.Error("a read changed the database")
	}
}

// TestReadByAnotherUser: a user who may read another's database, in a
// directory both may write, reads it; the owner's next run then works
// (the reader used to leave -wal and -shm of its own that the owner could
// not write: "attempt to write a readonly database").
func TestReadByAnotherUser(t *testing.T) {
	bin := binaryForAll(t)
	const owner, reader = "65533", "65534"
	dir := sharedDir(t, 0o777)
	sweeps := sharedDir(t, 0o755)
	sweep := writeFile(t, sweeps, "tiny.yaml", tinySweep)
	more := writeFile(t, sweeps, "more.yaml", strings.Replace(tinySweep, "name: tiny", "name: more", 1))
	db := filepath.Join(dir, "r.db")
	if code, _, stderr := nonRoot(t, bin, owner, "run", "--quiet", "--db", db, sweep); code != 0 {
		t.Fatalf("owner's run exited %d: %s", code, stderr)
	}
	for _, args := range readCommands(db, sharedDir(t, 0o777)) {
		if code, _, stderr := nonRoot(t, bin, reader, args...); code != 0 {
			t.Errorf("reader's %s exited %d: %s", strings.Join(args, " "), code, stderr)
		}
	}
	if got := listDir(t, dir); !slices.Equal(got, []string{"r.db"}) {
		t.Errorf("files after the reads: %v, want only r.db", got)
	}
	if code, _, stderr := nonRoot(t, bin, owner, "run", "--quiet", "--db", db, more); code != 0 {
		t.Errorf("owner's run after the reads exited %d: %s", code, stderr)
	}
}

// TestDBPathURI: --db file:DIR/x.db and a path with a NUL byte exit 2
// and create nothing (the first made a literal ./file:DIR tree).
func TestDBPathURI(t *testing.T) {
	sweep := writeFile(t, t.TempDir(), "tiny.yaml", tinySweep)
	t.Chdir(t.TempDir())
	for _, args := range [][]string{
		{"run", "--quiet", "--db", "file:dir/x.db", sweep},
		{"ls", "--db", "file:dir/x.db"},
		{"run", "--quiet", "--db", "x\x00.db", sweep},
	} {
		code, _, stderr := optbench(t, args...)
		if code != 2 || !strings.Contains(stderr, "invalid database path") {
			t.Errorf("%q: exit %d, %s; want 2, invalid database path", args, code, stderr)
		}
		t.Log(stderr)
	}
	if got := listDir(t, "."); len(got) > 0 {
		t.Errorf("created %v", got)
	}
}

// TestRunRefusesDamaged: run refuses a copy of a real database with 4 KiB
// of random bytes in its middle, exits 2 with SQLite's message and the
// recovery hint, and leaves the file unchanged (it used to append the
// trials to the damaged file and exit 0).
func TestRunRefusesDamaged(t *testing.T) {
	dir := t.TempDir()
	big := strings.Replace(tinySweep, "budget: {epochs: 2}", "budget: {epochs: 40}", 1)
	big = strings.Replace(big, "lr: [0.1, 0.01]", "lr: {log_space: [0.0001, 0.1, 40]}", 1)
	sweep := writeFile(t, dir, "big.yaml", big)
	db := filepath.Join(dir, "r.db")
	if code, _, stderr := optbench(t, "run", "--quiet", "--db", db, sweep); code != 0 {
		t.Fatalf("run exited %d: %s", code, stderr)
	}
	b, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 3*4096 {
		t.Fatalf("the database has %d bytes: too small to damage in the middle", len(b))
	}
	rng := rand.New(rand.NewPCG(9, 4096))
	for i := len(b)/2 - 2048; i < len(b)/2+2048; i++ {
		b[i] = byte(rng.Uint32())
	}
	if err := os.WriteFile(db, b, 0o666); err != nil {
		t.Fatal(err)
	}
	before := sumFile(t, db)
	more := writeFile(t, dir, "more.yaml", strings.Replace(tinySweep, "name: tiny", "name: more", 1))
	code, _, stderr := optbench(t, "run", "--quiet", "--db", db, more)
	if code != 2 || !strings.Contains(stderr, "malformed") || !strings.Contains(stderr, "sqlite3 "+db+" .recover") {
		t.Errorf("run on a damaged database: exit %d, %s; want 2, SQLite's message and the .recover hint", code, stderr)
	}
	t.Log(stderr)
	if sumFile(t, db) != before {
		t.Error("run changed the damaged database")
	}
}

// TestWriterNamesUnwritableFile: when -wal and -shm beside the database
// belong to another user (as reads by older optbench left them), the
// owner's run says which file it may not write and who owns it, not
// only "attempt to write a readonly database".
func TestWriterNamesUnwritableFile(t *testing.T) {
	bin := binaryForAll(t)
	const owner, other = 65533, 65534
	dir := sharedDir(t, 0o777)
	sweeps := sharedDir(t, 0o755)
	sweep := writeFile(t, sweeps, "tiny.yaml", tinySweep)
	more := writeFile(t, sweeps, "more.yaml", strings.Replace(tinySweep, "name: tiny", "name: more", 1))
	db := filepath.Join(dir, "r.db")
	if code, _, stderr := nonRoot(t, bin, strconv.Itoa(owner), "run", "--quiet", "--db", db, sweep); code != 0 {
		t.Fatalf("owner's run exited %d: %s", code, stderr)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		p := writeFile(t, dir, "r.db"+suffix, "")
		if err := os.Chown(p, other, other); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, _, stderr := nonRoot(t, bin, strconv.Itoa(owner), "run", "--quiet", "--db", db, more)
	t.Log(stderr)
	if code == 0 || !strings.Contains(stderr, "r.db-shm is not writable (owned by uid 65534") {
		t.Errorf("owner's run with another user's -shm: exit %d, %s; want the file named with its owner", code, stderr)
	}
}
