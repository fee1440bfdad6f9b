package main

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/remote/sshdtest"
	"github.com/ferry-tui/ferry/remote/sshdtest/delayproxy"
	"golang.org/x/crypto/ssh/knownhosts"
)

// TestBenchTools is the speed benchmark a user can rerun: the ferry
// binary against OpenSSH's sftp (default cipher and AES-GCM), lftp and
// rclone where they are installed, all through their binaries, against
// one real sshd in one run, alternating the order every round, with the
// data on a disk-backed directory unless FERRY_BENCH_DIR says otherwise.
// The 10 and 50 ms cases go through the delay proxy. It prints, per case
// and tool, the median time, the ratio to ferry (tool time / ferry time,
// median of the per-round ratios, and each round's), the median CPU of
// the client (with the ssh it ran) and of the server, and the peak RSS.
// It runs only with FERRY_BENCH=1 (see the README's "Speed").
func TestBenchTools(t *testing.T) {
	if os.Getenv("FERRY_BENCH") != "1" {
		t.Skip("set FERRY_BENCH=1 to run the speed benchmark")
	}
	if raceEnabled {
		t.Skip("the speed benchmark measures a binary built without -race: run it without -race")
	}
	env, base := newToolEnv(t)
	tools := availableTools(t)
	rounds := benchEnvInt("FERRY_BENCH_ROUNDS", 3)
	var sel *regexp.Regexp
	if v := os.Getenv("FERRY_BENCH_CASES"); v != "" {
		sel = regexp.MustCompile(v)
	}
	var report strings.Builder
	fmt.Fprintf(&report, "data in %s (%s); %s; %d rounds; %s\n", base, fsType(base), sshVersionLine(), rounds, loadLine())
	fmt.Fprintf(&report, "tools: %s\n\n", strings.Join(toolNames(tools), ", "))
	for _, c := range benchCases() {
		if (sel != nil && !sel.MatchString(c.name)) || (c.proxied && sel == nil) {
			continue
		}
		env.setLink(t, c.rtt, c.proxied)
		src := env.prepare(t, c)
		res := runCase(t, env, c, tools, src, rounds)
		report.WriteString(res.table(c))
		fmt.Fprintf(&report, "\n%s\n\n", loadLine())
		t.Logf("\n%s", res.table(c))
		// Written after every case, so that a long run that is stopped
		// keeps what it measured.
		if out := os.Getenv("FERRY_BENCH_OUT"); out != "" {
			if err := os.WriteFile(out, []byte(report.String()), 0o644); err != nil {
				t.Error(err)
			}
		}
	}
	t.Logf("\n%s", report.String())
}

// toolCase is one benchmark case: files x size bytes, up or down, at a
// round trip.
type toolCase struct {
	name   string
	rtt    time.Duration
	files  int
	size   int
	upload bool
	// proxied sends a case with no delay through the delay proxy all the
	// same: what the proxy's own copying costs this machine's CPU, the
	// ceiling of the 10 and 50 ms cases. Such cases run only when
	// FERRY_BENCH_CASES names them ("proxy").
	proxied bool
}

// newToolEnv builds ferry and starts the benchmarks' sshd, with the
// server's, the home and the local directories below a fresh base
// directory (benchBase), which it returns too.
func newToolEnv(t *testing.T) (*toolEnv, string) {
	t.Helper()
	bin := ferryBinary(t)
	base := benchBase(t)
	for _, d := range []string{"server", "home", "local"} {
		if err := os.MkdirAll(filepath.Join(base, d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	// lftp and rclone open many connections at once: sshd's default
	// MaxStartups (10) would drop some.
	s := sshdtest.Start(t, sshdtest.WithDir(filepath.Join(base, "server")), sshdtest.WithConfig("MaxStartups 200", "MaxSessions 100"))
	return &toolEnv{s: s, ferry: bin, home: filepath.Join(base, "home"), local: filepath.Join(base, "local")}, base
}

// benchCases are the cases; FERRY_BENCH_MB sets the loopback
// large file (1024) and FERRY_BENCH_RTT_MB the one at 10 and 50 ms (256).
func benchCases() []toolCase {
	big, far := benchEnvInt("FERRY_BENCH_MB", 1024), benchEnvInt("FERRY_BENCH_RTT_MB", 256)
	var cs []toolCase
	for _, x := range []struct {
		rtt          time.Duration
		files, bigMB int
	}{{0, 2000, big}, {10 * time.Millisecond, 200, far}, {50 * time.Millisecond, 100, far}} {
		for _, up := range []bool{true, false} {
			dir := "down"
			if up {
				dir = "up"
			}
			cs = append(cs,
				toolCase{name: fmt.Sprintf("%v %d x 16 KiB %s", x.rtt, x.files, dir), rtt: x.rtt, files: x.files, size: 16 << 10, upload: up},
				toolCase{name: fmt.Sprintf("%v %d MiB %s", x.rtt, x.bigMB, dir), rtt: x.rtt, files: 1, size: x.bigMB << 20, upload: up})
		}
	}
	for _, up := range []bool{true, false} {
		dir := "down"
		if up {
			dir = "up"
		}
		cs = append(cs, toolCase{name: fmt.Sprintf("proxy 0s %d MiB %s", far, dir), files: 1, size: far << 20, upload: up, proxied: true})
	}
	return cs
}

// toolEnv is the server, the proxy in front of it and the files every
// tool is configured with.
type toolEnv struct {
	s           *sshdtest.Server
	proxy       *delayproxy.Proxy
	ferry       string
	home, local string
	cfg         string // ssh_config naming host "box"
	prepared    map[string]string
}

// setRTT puts a proxy adding rtt in front of the server (none for 0) and
// writes the ssh_config and known_hosts every tool uses.
func (e *toolEnv) setRTT(t *testing.T, rtt time.Duration) { e.setLink(t, rtt, false) }

// setLink is setRTT with a proxy also for 0 when proxied.
func (e *toolEnv) setLink(t *testing.T, rtt time.Duration, proxied bool) {
	t.Helper()
	if e.proxy != nil {
		e.proxy.Close()
		e.proxy = nil
	}
	addr := e.s.Addr
	if rtt > 0 || proxied {
		e.proxy = delayproxy.Start(t, e.s.Addr, rtt)
		addr = e.proxy.Addr
	}
	var kh strings.Builder
	for _, k := range e.s.HostKeys.All() {
		kh.WriteString(knownhosts.Line([]string{knownhosts.Normalize(addr)}, k) + "\n")
	}
	khPath := filepath.Join(e.home, "known_hosts")
	_, port, _ := strings.Cut(addr, ":")
	cfg := fmt.Sprintf("Host box\n  HostName 127.0.0.1\n  Port %s\n  User %s\n  IdentityFile %s\n  IdentitiesOnly yes\n  IdentityAgent none\n  BatchMode yes\n  UserKnownHostsFile %s\n  GlobalKnownHostsFile /dev/null\n  StrictHostKeyChecking yes\n  UpdateHostKeys no\n",
		port, e.s.User, e.s.ClientKeyPath, khPath)
	e.cfg = filepath.Join(e.home, "ssh_config")
	for p, b := range map[string]string{khPath: kh.String(), e.cfg: cfg} {
		if err := os.WriteFile(p, []byte(b), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// prepare writes c's source (a tree of small files or one file) on the
// side it is copied from, once per shape, and returns its path.
func (e *toolEnv) prepare(t *testing.T, c toolCase) string {
	t.Helper()
	side := e.local
	if !c.upload {
		side = e.s.Dir
	}
	name := fmt.Sprintf("src-%dx%d", c.files, c.size)
	p := filepath.Join(side, name)
	if e.prepared == nil {
		e.prepared = map[string]string{}
	}
	if e.prepared[p] != "" {
		return p
	}
	if c.files == 1 {
		writeRandom(t, p, c.size)
	} else {
		for i := range c.files {
			f := filepath.Join(p, fmt.Sprintf("d%02d", i%20), fmt.Sprintf("f%05d", i))
			if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
				t.Fatal(err)
			}
			writeRandom(t, f, c.size)
		}
	}
	e.prepared[p] = p
	return p
}

// writeRandom writes size pseudo-random bytes to p in 4 MiB pieces.
func writeRandom(t *testing.T, p string, size int) {
	t.Helper()
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, min(size, 4<<20))
	x := uint64(len(p)) * 0x9E3779B97F4A7C15
	for done := 0; done < size; {
		for i := 0; i+8 <= len(buf); i += 8 {
			x ^= x << 13
			x ^= x >> 7
			x ^= x << 17
			for k := range 8 {
				buf[i+k] = byte(x >> (8 * k))
			}
		}
		n := min(len(buf), size-done)
		if _, err := f.Write(buf[:n]); err != nil {
			t.Fatal(err)
		}
		done += n
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// benchBase returns a fresh directory for the data: below FERRY_BENCH_DIR,
// or the default temporary directory (a disk here; tmpfs hides fsync).
func benchBase(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp(os.Getenv("FERRY_BENCH_DIR"), "ferry-bench-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	dir, err = filepath.EvalSymlinks(dir)
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// fsType names the file system dir is on: "tmpfs" or "disk".
func fsType(dir string) string {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return "unknown"
	}
	if st.Type == 0x01021994 {
		return "tmpfs"
	}
	return fmt.Sprintf("disk, fs type %#x", st.Type)
}

// loadLine returns the load averages, which the table must be read with.
func loadLine() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "load unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "load unknown"
	}
	return "load " + strings.Join(f[:3], " ")
}

// sshVersionLine returns what `ssh -V` says.
func sshVersionLine() string {
	out, _ := exec.Command("ssh", "-V").CombinedOutput()
	return strings.TrimSpace(string(out))
}

// benchEnvInt returns the environment variable name as a positive
// integer, or def.
func benchEnvInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// countTree returns the number of regular files below root and their
// bytes, failing on a leftover temporary file.
func countTree(root string) (files int, bytes int64, err error) {
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if strings.Contains(d.Name(), ".ferry-") {
			return fmt.Errorf("left behind: %s", p)
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		files++
		bytes += fi.Size()
		return nil
	})
	return files, bytes, err
}

// serverCPU returns the CPU time of the sshd processes that served the
// connections so far: the listening sshd's reaped children (cutime and
// cstime in /proc/PID/stat). It first waits, up to two seconds, for the
// connection's processes to end and be reaped.
func serverCPU(pid int) time.Duration {
	kids := fmt.Sprintf("/proc/%d/task/%d/children", pid, pid)
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if b, err := os.ReadFile(kids); err != nil || len(strings.TrimSpace(string(b))) == 0 {
			break
		}
	}
	return statTicks(pid, 13, 14)
}

// statTicks returns the sum of fields i and j of /proc/PID/stat after the
// command (counted from 0 at the state), clock ticks of 10 ms, as a
// duration; 0 when it cannot be read.
func statTicks(pid, i, j int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	_, rest, _ := strings.Cut(string(b), ") ")
	f := strings.Fields(rest)
	if len(f) <= max(i, j) {
		return 0
	}
	a, _ := strconv.ParseInt(f[i], 10, 64)
	c, _ := strconv.ParseInt(f[j], 10, 64)
	return time.Duration(a+c) * 10 * time.Millisecond
}

// median returns the median of xs (the lower middle of an even count).
func median[T int64 | float64 | time.Duration](xs []T) T {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[(len(s)-1)/2]
}
