package results

import (
	"bufio"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
)

// CurrentProvenance describes this process: the build (module version, VCS
// revision and whether the checkout was modified, GOAMD64 level), the Go
// toolchain and platform, the CPU model, the host, the command line args
// and the number of workers. What cannot be found is left empty, except
// the CPU model, which is "unknown" where /proc/cpuinfo does not name it.
//
// It reads only local files that do not block, so it takes no context.
func CurrentProvenance(args []string, workers int) Provenance {
	p := Provenance{
		GoVersion: runtime.Version(),
		GOOS:      runtime.GOOS,
		GOARCH:    runtime.GOARCH,
		CPU:       cpuModel("/proc/cpuinfo"),
		Command:   quoteArgs(args),
		Workers:   workers,
	}
	p.Host, _ = os.Hostname()
	if bi, ok := debug.ReadBuildInfo(); ok {
		p.Version = bi.Main.Version
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				p.Revision = s.Value
			case "vcs.modified":
				p.Dirty = s.Value == "true"
			case "GOAMD64":
				p.GOAMD64 = s.Value
			}
		}
	}
	return p
}

// cpuModel returns the first "model name" of a /proc/cpuinfo file.
func cpuModel(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(name) == "model name" {
			if v := strings.TrimSpace(value); v != "" {
				return v
			}
		}
	}
	return "unknown"
}

// quoteArgs joins args into a command line a POSIX shell reads back as
// args, quoting only where needed so that it stays readable.
func quoteArgs(args []string) string {
	quoted := make([]string, len(args))
	for i, a := range args {
		safe := a != ""
		for _, r := range a {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=,+@%", r)) {
				safe = false
				break
			}
		}
		if safe {
			quoted[i] = a
		} else {
			quoted[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
	}
	return strings.Join(quoted, " ")
}
