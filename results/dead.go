package results

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// ReleaseDead releases the claims on the trials of sweep sweepID held by
// processes of this host that no longer exist, so that their trials are
// claimable at once rather than when their leases expire: a run killed
// with SIGKILL cannot release its own. Claims of other hosts wait for
// their leases. It returns how many claims it released.
func (db *DB) ReleaseDead(ctx context.Context, sweepID int64) (int, error) {
	host := hostID()
	if !strings.Contains(host, "#") {
		return 0, nil // no telling a process of another PID namespace or boot from ours
	}
	var owners []string
	err := db.inRead(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT DISTINCT claimed_by FROM trials
WHERE sweep_id = ? AND claimed_by IS NOT NULL`, sweepID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var o string
			if err := rows.Scan(&o); err != nil {
				return err
			}
			if h, pid, ok := parseOwner(o); ok && h == host && pid != os.Getpid() && !processExists(pid) {
				owners = append(owners, o)
			}
		}
		return rows.Err()
	})
	if err != nil || len(owners) == 0 {
		return 0, wrapRelease(sweepID, err)
	}
	released := 0
	err = db.inWrite(ctx, func(tx *sql.Tx) error {
		for _, o := range owners {
			res, err := tx.ExecContext(ctx, `UPDATE trials SET claimed_by = NULL, lease_until = NULL
WHERE sweep_id = ? AND claimed_by = ?`, sweepID, o)
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			released += int(n)
		}
		return nil
	})
	if err != nil {
		return 0, wrapRelease(sweepID, err)
	}
	return released, nil
}

func wrapRelease(sweepID int64, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("results: releasing the claims of dead processes on sweep %d: %w", sweepID, err)
}

// hostID names this host in claims: the host name and, where Linux says
// (/proc), "#" and a short hash of the boot and of this process's PID
// namespace. Two containers that share a host name, or one host before
// and after a reboot, then have different names, and ReleaseDead never
// takes a live process of another PID namespace for a dead one of ours.
// Without /proc it is the host name alone, and ReleaseDead releases
// nothing.
func hostID() string {
	host, _ := os.Hostname()
	boot, err1 := os.ReadFile("/proc/sys/kernel/random/boot_id")
	ns, err2 := os.Readlink("/proc/self/ns/pid")
	if err1 != nil || err2 != nil {
		return host
	}
	sum := sha256.Sum256([]byte(strings.TrimSpace(string(boot)) + "\x00" + ns))
	return host + "#" + hex.EncodeToString(sum[:4])
}

// parseOwner splits an owner written by Owner, host:pid:run; the host
// may itself contain colons.
func parseOwner(owner string) (host string, pid int, ok bool) {
	i := strings.LastIndexByte(owner, ':')
	if i < 0 {
		return "", 0, false
	}
	j := strings.LastIndexByte(owner[:i], ':')
	if j < 0 {
		return "", 0, false
	}
	pid, err := strconv.Atoi(owner[j+1 : i])
	if err != nil || pid <= 0 {
		return "", 0, false
	}
	return owner[:j], pid, true
}
