//go:build unix

package results

import (
	"context"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestReleaseDead: the claims of a process of this host that has exited
// are released at once; those of a live process, of another host and of
// this process stay until their leases expire.
func TestReleaseDead(t *testing.T) {
	ctx := context.Background()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skip("no true(1) to make a dead pid:", err)
	}
	host := hostID()
	if !strings.Contains(host, "#") {
		t.Skip("no /proc: ReleaseDead cannot tell this host's processes")
	}
	other := strings.Replace(host, "#", "#0", 1) // same host name, another PID namespace
	deadPid := cmd.Process.Pid
	owners := map[string]bool{ // owner → released
		host + ":" + strconv.Itoa(deadPid) + ":7":      true,
		host + ":" + strconv.Itoa(os.Getppid()) + ":8": false,
		host + ":" + strconv.Itoa(os.Getpid()) + ":9":  false,
		"elsewhere:" + strconv.Itoa(deadPid) + ":10":   false,
		other + ":" + strconv.Itoa(deadPid) + ":11":    false,
	}
	db := openTest(t)
	sw := putSweep(t, db, "dead")
	if _, err := db.Plan(ctx, sw.ID, planTrials("dead", 10)); err != nil {
		t.Fatal(err)
	}
	for o := range owners {
		c := newClaimer(t, db, sw.ID, startRun(t, db, sw.ID), ClaimOptions{Owner: o, Lease: time.Hour})
		if got, err := c.Next(ctx, 2); err != nil || len(got) != 2 {
			t.Fatalf("%s claimed %d trials, %v", o, len(got), err)
		}
	}
	n, err := db.ReleaseDead(ctx, sw.ID)
	if err != nil || n != 2 {
		t.Fatalf("ReleaseDead = %d, %v; want the 2 claims of the exited process", n, err)
	}
	running, err := db.Running(ctx, "dead")
	if err != nil {
		t.Fatal(err)
	}
	held := map[string]int{}
	for _, c := range running {
		held[c.Owner]++
	}
	for o, released := range owners {
		if want := map[bool]int{true: 0, false: 2}[released]; held[o] != want {
			t.Errorf("%s holds %d trials, want %d", o, held[o], want)
		}
	}
}

func TestParseOwner(t *testing.T) {
	for _, c := range []struct {
		owner string
		host  string
		pid   int
		ok    bool
	}{
		{"node1:42:3", "node1", 42, true},
		{"node1#0a1b2c3d:42:3", "node1#0a1b2c3d", 42, true},
		{"fe80::1:42:3", "fe80::1", 42, true},
		{"node1:x:3", "", 0, false},
		{"dead", "", 0, false},
	} {
		h, p, ok := parseOwner(c.owner)
		if h != c.host || p != c.pid || ok != c.ok {
			t.Errorf("parseOwner(%q) = %q, %d, %v; want %q, %d, %v", c.owner, h, p, ok, c.host, c.pid, c.ok)
		}
	}
}
