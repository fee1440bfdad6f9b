package transfer_test

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/remote/sshdtest"
	"golang.org/x/crypto/ssh/knownhosts"
)

// Helpers of the speed benchmark (bench_sshd_test.go).

// envInt returns the environment variable name as a positive integer, or
// def.
func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// benchRTT is the round trip the delay proxy adds (FERRY_BENCH_RTT).
func benchRTT() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("FERRY_BENCH_RTT")); err == nil && d >= 0 {
		return d
	}
	return 10 * time.Millisecond
}

// benchWorkers are the worker counts tried on small files and at high
// latency (FERRY_BENCH_WORKERS, comma-separated).
func benchWorkers() []int {
	var ws []int
	for f := range strings.SplitSeq(os.Getenv("FERRY_BENCH_WORKERS"), ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil && n > 0 {
			ws = append(ws, n)
		}
	}
	if len(ws) == 0 {
		ws = []int{16, 32, 64}
	}
	return ws
}

func numCPU() int { return runtime.GOMAXPROCS(0) }

// benchDir returns a fresh directory on tmpfs (/dev/shm, or
// FERRY_BENCH_DIR), removed when t ends.
func benchDir(t testing.TB) string {
	t.Helper()
	base := os.Getenv("FERRY_BENCH_DIR")
	if base == "" {
		base = "/dev/shm"
	}
	if fi, err := os.Stat(base); err != nil || !fi.IsDir() {
		t.Logf("%s is not a directory; the data goes to the default temporary directory", base)
		base = ""
	}
	dir, err := os.MkdirTemp(base, "ferry-bench-")
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

// benchTree writes n files of size bytes in 20 directories below dir.
func benchTree(t testing.TB, dir string, n, size int) {
	t.Helper()
	for i := range n {
		p := filepath.Join(dir, fmt.Sprintf("d%02d", i%20), fmt.Sprintf("f%05d", i))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, randBytes(uint64(i), size), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// writeChunked writes size pseudo-random bytes to path without holding
// them all in memory, which would distort the peak RSS reported.
func writeChunked(t testing.TB, path string, size int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const chunk = 4 << 20
	for off, i := 0, uint64(0); off < size; off, i = off+chunk, i+1 {
		if _, err := f.Write(randBytes(i, min(chunk, size-off))); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// checkCopy checks that dst holds c's files with their sizes and no
// temporary file, and compares samples of the contents with src: 16
// spread 64 KiB pieces and the end of a single file, or the first files
// of a tree.
func checkCopy(t testing.TB, src, dst string, c benchCase) {
	t.Helper()
	var files int
	var bytes int64
	var compared int
	err := filepath.WalkDir(dst, func(p string, d fs.DirEntry, err error) error {
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
		if c.files == 1 {
			return sameSamples(src, p, fi.Size())
		}
		if compared < 3 {
			compared++
			rel, err := filepath.Rel(dst, p)
			if err != nil {
				return err
			}
			return sameSamples(filepath.Join(src, rel), p, fi.Size())
		}
		return nil
	})
	if err != nil {
		t.Fatalf("%s: %v", c.name, err)
	}
	if files != c.files || bytes != int64(c.files)*int64(c.size) {
		t.Fatalf("%s: %s holds %d files of %d bytes, want %d of %d", c.name, dst, files, bytes, c.files, int64(c.files)*int64(c.size))
	}
}

// sameSamples compares 64 KiB pieces of a and b at 16 spread offsets and
// at the end.
func sameSamples(a, b string, size int64) error {
	fa, err := os.Open(a)
	if err != nil {
		return err
	}
	defer fa.Close()
	fb, err := os.Open(b)
	if err != nil {
		return err
	}
	defer fb.Close()
	const piece = 64 << 10
	ba, bb := make([]byte, piece), make([]byte, piece)
	offs := []int64{max(size-piece, 0)}
	for i := range int64(16) {
		offs = append(offs, size*i/16)
	}
	for _, off := range offs {
		na, ea := fa.ReadAt(ba, off)
		nb, eb := fb.ReadAt(bb, off)
		if na != nb || string(ba[:na]) != string(bb[:nb]) || (ea != nil) != (eb != nil) {
			return fmt.Errorf("%s differs from %s at offset %d", b, a, off)
		}
	}
	return nil
}

// peakRSS returns the process's peak resident set size in bytes (VmHWM),
// or 0 where /proc does not say.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for l := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// resetPeakRSS sets VmHWM back to the current RSS (Linux), so that
// peakRSS reports the peak of what follows.
func resetPeakRSS() {
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// needSFTP returns the path of OpenSSH's sftp, or skips t (fails it with
// FERRY_REQUIRE_SSHD=1).
func needSFTP(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("sftp")
	if err != nil {
		if os.Getenv("FERRY_REQUIRE_SSHD") == "1" {
			t.Fatal("OpenSSH sftp not found")
		}
		t.Skip("OpenSSH sftp not found")
	}
	return p
}

// sshVersion returns what `ssh -V` says, or "".
func sshVersion() string {
	out, _ := exec.Command("ssh", "-V").CombinedOutput()
	return strings.TrimSpace(string(out))
}

// writeBenchKnownHosts writes a known_hosts file naming s's host keys for
// s's address and for the proxy in front of it.
func writeBenchKnownHosts(t testing.TB, s *sshdtest.Server, proxyAddr string) string {
	t.Helper()
	var b strings.Builder
	for _, k := range s.HostKeys.All() {
		b.WriteString(knownhosts.Line([]string{knownhosts.Normalize(s.Addr), knownhosts.Normalize(proxyAddr)}, k) + "\n")
	}
	p := filepath.Join(t.TempDir(), "known_hosts")
	if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// sftpCopy copies src to dst with `sftp -b` (put or get, -r for a tree)
// and returns the time the sftp process took and the CPU time it and
// the ssh it ran used. It reads nothing from
// ~/.ssh and uses no agent: -F /dev/null, the test key only, the test's
// known_hosts, strict host key checking.
func sftpCopy(t testing.TB, env *benchEnv, sftpPath string, c benchCase, gcm bool, src, dst string) (time.Duration, time.Duration) {
	t.Helper()
	verb := "get"
	if c.upload {
		verb = "put"
	}
	if c.files > 1 {
		verb += " -r"
	}
	batch := filepath.Join(t.TempDir(), "batch")
	if err := os.WriteFile(batch, fmt.Appendf(nil, "%s \"%s\" \"%s\"\n", verb, src, dst), 0o600); err != nil {
		t.Fatal(err)
	}
	_, port, _ := strings.Cut(env.addr(c), ":")
	args := []string{"-q", "-b", batch, "-F", "/dev/null", "-P", port,
		"-i", env.s.ClientKeyPath,
		"-o", "IdentitiesOnly=yes",
		"-o", "IdentityAgent=none",
		"-o", "BatchMode=yes",
		"-o", "UserKnownHostsFile=" + env.kh,
		"-o", "GlobalKnownHostsFile=/dev/null",
		"-o", "StrictHostKeyChecking=yes",
		"-o", "UpdateHostKeys=no",
	}
	if gcm {
		args = append(args, "-c", "aes128-gcm@openssh.com")
	}
	args = append(args, env.s.User+"@"+env.s.Host)
	cmd := exec.Command(sftpPath, args...)
	var env2 []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SSH_AUTH_SOCK=") {
			env2 = append(env2, kv)
		}
	}
	cmd.Env = env2
	start := time.Now()
	out, err := cmd.CombinedOutput()
	d := time.Since(start)
	if err != nil {
		t.Fatalf("sftp %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	// sftp's usage includes that of the ssh it ran and waited for.
	return d, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
}

// selfCPU returns the user and system CPU time this process has used.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
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
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The fields after the command name, which is in parentheses.
	_, rest, _ := strings.Cut(string(b), ") ")
	f := strings.Fields(rest)
	// cutime and cstime are fields 16 and 17 of stat, 14 and 15 after
	// the name, in clock ticks (100 per second on Linux).
	if len(f) < 15 {
		return 0
	}
	cu, _ := strconv.ParseInt(f[13], 10, 64)
	cs, _ := strconv.ParseInt(f[14], 10, 64)
	return time.Duration(cu+cs) * 10 * time.Millisecond
}
