package main

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// slurmPackages are Debian's packages of a single-node Slurm: the
// daemons, the client commands and munge, the authentication they use.
var slurmPackages = []string{"slurm-wlm", "munge"}

// slurmCommands are what the test runs of those packages.
var slurmCommands = []string{"munged", "slurmctld", "slurmd", "sbatch", "scontrol", "squeue", "scancel", "sinfo"}

// requireSlurm reports whether a test must not skip for want of Slurm
// (make test sets OPTBENCH_REQUIRE_SLURM=1 where it installed it).
func requireSlurm() bool { return os.Getenv("OPTBENCH_REQUIRE_SLURM") == "1" }

// missingSlurm lists the commands of slurmCommands not on the PATH.
func missingSlurm() []string {
	var missing []string
	for _, c := range slurmCommands {
		if _, err := exec.LookPath(c); err != nil {
			missing = append(missing, c)
		}
	}
	return missing
}

// installSlurm installs Debian's Slurm and munge when they are missing
// and the machine allows it (root with apt-get); otherwise the test
// skips, saying what is missing, or fails under OPTBENCH_REQUIRE_SLURM.
func installSlurm(t *testing.T) {
	t.Helper()
	missing := missingSlurm()
	if len(missing) == 0 {
		return
	}
	skip := func(format string, args ...any) {
		t.Helper()
		if requireSlurm() {
			t.Fatalf(format, args...)
		}
		t.Skipf(format, args...)
	}
	if runtime.GOOS != "linux" {
		skip("Slurm test needs Linux with %s; missing: %s", strings.Join(slurmPackages, ", "), strings.Join(missing, ", "))
	}
	if _, err := exec.LookPath("apt-get"); err != nil || os.Geteuid() != 0 {
		skip("Slurm's commands %s are missing and cannot be installed here (needs root with apt-get): install Debian's %s",
			strings.Join(missing, ", "), strings.Join(slurmPackages, " "))
	}
	install := func() error {
		cmd := exec.Command("apt-get", append([]string{"install", "-y", "-q"}, slurmPackages...)...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("apt-get install %s: %v\n%s", strings.Join(slurmPackages, " "), err, out)
		}
		return nil
	}
	t.Logf("installing %s for the Slurm test", strings.Join(slurmPackages, " "))
	if err := install(); err != nil {
		if out, uerr := exec.Command("apt-get", "update", "-q").CombinedOutput(); uerr != nil {
			skip("apt-get update: %v\n%s", uerr, out)
		}
		if err := install(); err != nil {
			skip("%v", err)
		}
	}
	if missing := missingSlurm(); len(missing) > 0 {
		skip("installed %s, but %s are still not on the PATH", strings.Join(slurmPackages, " "), strings.Join(missing, ", "))
	}
}

// slurmCluster is a single-node Slurm on this machine, for one test.
type slurmCluster struct {
	dir  string // its configuration, state, spool and munge socket
	conf string // slurm.conf, as SLURM_CONF names it
}

// startSlurm brings up a single-node Slurm on localhost: munged as the
// munge user on a socket of its own, then slurmctld -D and slurmd -D
// with a minimal slurm.conf whose state lives in a temporary directory,
// and waits until the node is idle. It sets SLURM_CONF for the test (and
// so for the jobs, which sbatch gives the submitter's environment).
// Every daemon is stopped by its PID when the test ends, failed or not,
// after the cluster's jobs are cancelled.
//
// Requeued jobs wait cred_expire seconds before they start again (120 by
// default); the test cluster sets it to 5 so that a requeued task
// restarts within seconds.
func startSlurm(t *testing.T) *slurmCluster {
	t.Helper()
	installSlurm(t)
	if os.Geteuid() != 0 {
		// slurmd runs jobs as their users, which needs root.
		if requireSlurm() {
			t.Fatal("the Slurm test starts slurmd, which needs root")
		}
		t.Skip("the Slurm test starts slurmd, which needs root")
	}
	munge, err := user.Lookup("munge")
	if err != nil {
		t.Fatalf("munge's user: %v (Debian's munge package creates it)", err)
	}
	uid, _ := strconv.Atoi(munge.Uid)
	gid, _ := strconv.Atoi(munge.Gid)

	// Not t.TempDir: munged, as its user, must reach its directory.
	dir, err := os.MkdirTemp("", "optbench-slurm-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	mungeDir := filepath.Join(dir, "munge")
	for _, d := range []string{mungeDir, filepath.Join(dir, "state"), filepath.Join(dir, "spool")} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	key := make([]byte, 1024)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(mungeDir, "munge.key")
	if err := os.WriteFile(keyFile, key, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{mungeDir, keyFile} {
		if err := os.Chown(p, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	socket := filepath.Join(mungeDir, "munge.socket")

	host, err := exec.Command("hostname", "-s").Output()
	if err != nil {
		t.Fatalf("hostname -s: %v", err)
	}
	node := strings.TrimSpace(string(host))
	ports := freePorts(t, 2)
	conf := filepath.Join(dir, "slurm.conf")
	writeFile(t, dir, "slurm.conf", fmt.Sprintf(`# A single-node Slurm for optbench's tests.
ClusterName=optbenchtest
SlurmctldHost=%[1]s
SlurmUser=root
SlurmctldPort=%[2]d
SlurmdPort=%[3]d
AuthType=auth/munge
AuthInfo=socket=%[4]s,cred_expire=5
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
# Schedule every 2 s (defaults: 60 s, backfill 30 s), so a requeued task
# starts again in seconds.
SchedulerParameters=sched_interval=2,bf_interval=2
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
StateSaveLocation=%[5]s/state
SlurmdSpoolDir=%[5]s/spool
SlurmctldPidFile=%[5]s/slurmctld.pid
SlurmdPidFile=%[5]s/slurmd.pid
SlurmctldLogFile=%[5]s/slurmctld.log
SlurmdLogFile=%[5]s/slurmd.log
MinJobAge=600
NodeName=%[1]s CPUs=%[6]d RealMemory=%[7]d State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
`, node, ports[0], ports[1], socket, dir, runtime.NumCPU(), memoryMB(t)))
	t.Setenv("SLURM_CONF", conf)

	var daemons []*exec.Cmd
	t.Cleanup(func() {
		// Cancel the jobs first: their slurmstepd would outlive slurmd.
		own := func(name string, args ...string) *exec.Cmd {
			cmd := exec.Command(name, args...)
			cmd.Env = append(os.Environ(), "SLURM_CONF="+conf)
			return cmd
		}
		if out, err := own("scancel", "--full", "--user=root").CombinedOutput(); err != nil {
			t.Logf("scancel: %v %s", err, out)
		}
		for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
			out, err := own("squeue", "--noheader").Output()
			if err != nil || len(bytes.TrimSpace(out)) == 0 {
				break
			}
		}
		for i := len(daemons) - 1; i >= 0; i-- {
			stopDaemon(t, daemons[i])
		}
		if t.Failed() {
			for _, log := range []string{"slurmctld.log", "slurmd.log"} {
				if b, err := os.ReadFile(filepath.Join(dir, log)); err == nil {
					t.Logf("%s (last lines):\n%s", log, lastLines(string(b), 30))
				}
			}
		}
	})
	start := func(cmd *exec.Cmd) {
		t.Helper()
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatalf("%s: %v", cmd.Path, err)
		}
		daemons = append(daemons, cmd)
	}
	// munged as its user, in the foreground so that its PID is the
	// process's.
	munged := exec.Command("munged", "--foreground", "--socket="+socket, "--key-file="+keyFile,
		"--pid-file="+filepath.Join(mungeDir, "munged.pid"), "--log-file="+filepath.Join(mungeDir, "munged.log"),
		"--seed-file="+filepath.Join(mungeDir, "munged.seed"))
	munged.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
	start(munged)
	if err := waitFor(10*time.Second, func() bool { _, err := os.Stat(socket); return err == nil }); err != nil {
		t.Fatalf("munged did not create %s: %v\n%s", socket, err, munged.Stdout)
	}
	start(exec.Command("slurmctld", "-D", "-f", conf))
	start(exec.Command("slurmd", "-D", "-f", conf))
	if err := waitFor(30*time.Second, func() bool {
		out, err := exec.Command("sinfo", "--noheader", "--format=%t").Output()
		return err == nil && strings.TrimSpace(string(out)) == "idle"
	}); err != nil {
		out, _ := exec.Command("sinfo").CombinedOutput()
		t.Fatalf("the node did not come up idle: %v\n%s", err, out)
	}
	return &slurmCluster{dir: dir, conf: conf}
}

// stopDaemon stops a daemon by its PID: SIGTERM, then SIGKILL if it
// has not exited within 10 s.
func stopDaemon(t *testing.T, cmd *exec.Cmd) {
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Logf("stopping %s (pid %d): %v", cmd.Path, cmd.Process.Pid, err)
	}
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Logf("%s (pid %d) ignored SIGTERM; killing it", cmd.Path, cmd.Process.Pid)
		cmd.Process.Kill()
		<-done
	}
}

// freePorts returns n TCP ports free on this machine a moment ago.
func freePorts(t *testing.T, n int) []int {
	t.Helper()
	var ports []int
	var ls []net.Listener
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	for _, l := range ls {
		l.Close()
	}
	return ports
}

// memoryMB is the RealMemory to declare: most of this machine's memory,
// since slurmd refuses a node configured with more than it has.
func memoryMB(t *testing.T) int {
	t.Helper()
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		var kb int
		if _, err := fmt.Sscanf(s.Text(), "MemTotal: %d kB", &kb); err == nil {
			return kb / 1024 * 9 / 10
		}
	}
	t.Fatal("no MemTotal in /proc/meminfo")
	return 0
}

func waitFor(limit time.Duration, ok func() bool) error {
	for deadline := time.Now().Add(limit); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if ok() {
			return nil
		}
	}
	return fmt.Errorf("not within %v", limit)
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
