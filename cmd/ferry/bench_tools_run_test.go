package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// benchTool is one client the benchmark runs: how to build its command
// line for a copy of src into the existing directory dst.
type benchTool struct {
	name string
	cmd  func(e *toolEnv, c toolCase, src, dst string) *exec.Cmd
}

// availableTools returns ferry and the other clients found on PATH, or
// those FERRY_BENCH_TOOLS names (comma-separated: sftp, lftp, rclone, and
// ferry-always for ferry with --fsync=always as well).
func availableTools(t *testing.T) []benchTool {
	t.Helper()
	all := []benchTool{
		{"ferry", ferryCmd},
		{"ferry --fsync=always", func(e *toolEnv, c toolCase, src, dst string) *exec.Cmd {
			cmd := ferryCmd(e, c, src, dst)
			cmd.Args = append(cmd.Args[:2], append([]string{"--fsync=always"}, cmd.Args[2:]...)...)
			return cmd
		}},
		{"sftp", func(e *toolEnv, c toolCase, src, dst string) *exec.Cmd { return sftpCmd(t, e, c, src, dst, false) }},
		{"sftp -c aes128-gcm", func(e *toolEnv, c toolCase, src, dst string) *exec.Cmd { return sftpCmd(t, e, c, src, dst, true) }},
		{"lftp", lftpCmd},
		{"rclone", rcloneCmd},
	}
	want := map[string]bool{}
	for n := range strings.SplitSeq(os.Getenv("FERRY_BENCH_TOOLS"), ",") {
		if n = strings.TrimSpace(n); n != "" {
			want[n] = true
		}
	}
	var out []benchTool
	for _, tl := range all {
		bin, _, _ := strings.Cut(tl.name, " ")
		if tl.name == "ferry --fsync=always" && !want["ferry-always"] {
			continue
		}
		if len(want) > 0 && !want[bin] && !want[tl.name] && bin != "ferry" {
			continue
		}
		if bin != "ferry" {
			if _, err := exec.LookPath(bin); err != nil {
				t.Logf("%s not installed: left out", bin)
				continue
			}
		}
		out = append(out, tl)
	}
	return out
}

func toolNames(ts []benchTool) []string {
	var n []string
	for _, tl := range ts {
		n = append(n, tl.name)
	}
	return n
}

// ferryCmd is `ferry put` or `ferry get` with the default options.
func ferryCmd(e *toolEnv, c toolCase, src, dst string) *exec.Cmd {
	args := []string{"get", "-F", e.cfg}
	if c.upload {
		args[0] = "put"
	}
	if c.files > 1 {
		args = append(args, "-r")
	}
	if c.upload {
		args = append(args, src, "box:"+dst)
	} else {
		args = append(args, "box:"+src, dst)
	}
	cmd := exec.Command(e.ferry, args...)
	cmd.Env = append(cleanEnv(), "HOME="+e.home, "XDG_CONFIG_HOME="+filepath.Join(e.home, "config"), "XDG_STATE_HOME="+filepath.Join(e.home, "state"))
	return cmd
}

// sftpCmd is OpenSSH's `sftp -b` with put -r or get -r.
func sftpCmd(t *testing.T, e *toolEnv, c toolCase, src, dst string, gcm bool) *exec.Cmd {
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
	args := []string{"-q", "-b", batch, "-F", e.cfg}
	if gcm {
		args = append(args, "-c", "aes128-gcm@openssh.com")
	}
	cmd := exec.Command("sftp", append(args, "box")...)
	cmd.Env = append(cleanEnv(), "HOME="+e.home)
	return cmd
}

// lftpCmd is lftp over ssh with the same ssh_config: `mirror -P 16` for a
// tree (as the issue measured it), put or get for one file.
func lftpCmd(e *toolEnv, c toolCase, src, dst string) *exec.Cmd {
	var op string
	switch {
	case c.files > 1 && c.upload:
		op = fmt.Sprintf("mirror -R -P 16 %q %q", src, filepath.Join(dst, filepath.Base(src)))
	case c.files > 1:
		op = fmt.Sprintf("mirror -P 16 %q %q", src, filepath.Join(dst, filepath.Base(src)))
	case c.upload:
		op = fmt.Sprintf("put -O %q %q", dst, src)
	default:
		op = fmt.Sprintf("get -O %q %q", dst, src)
	}
	script := fmt.Sprintf("set sftp:connect-program 'ssh -a -x -F %s'; set net:max-retries 1; set cmd:fail-exit yes; open -u %s, sftp://box; %s", e.cfg, e.s.User, op)
	cmd := exec.Command("lftp", "-c", script)
	cmd.Env = append(cleanEnv(), "HOME="+e.home)
	return cmd
}

// rcloneCmd is `rclone copy --transfers 16` with the options the issue
// used, so that it runs no remote command per file.
func rcloneCmd(e *toolEnv, c toolCase, src, dst string) *exec.Cmd {
	addr := e.s.Addr
	if e.proxy != nil {
		addr = e.proxy.Addr
	}
	host, port, _ := strings.Cut(addr, ":")
	remote := fmt.Sprintf(":sftp,host=%s,port=%s,user=%s,key_file=%s,known_hosts_file=%s:", host, port, e.s.User, e.s.ClientKeyPath, filepath.Join(e.home, "known_hosts"))
	from, to := src, dst
	if c.files > 1 {
		to = filepath.Join(dst, filepath.Base(src))
	}
	if c.upload {
		to = remote + to
	} else {
		from = remote + from
	}
	cmd := exec.Command("rclone", "copy", "--transfers", "16", "--sftp-disable-hashcheck", "--sftp-shell-type", "none", "--config", "/dev/null", from, to)
	cmd.Env = append(cleanEnv(), "HOME="+e.home)
	return cmd
}

// cleanEnv is the environment without an ssh agent or a HOME.
func cleanEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SSH_AUTH_SOCK=") && !strings.HasPrefix(kv, "HOME=") && !strings.HasPrefix(kv, "XDG_") {
			out = append(out, kv)
		}
	}
	return out
}

// toolRun is one measured run.
type toolRun struct {
	wall, cpu, server time.Duration
	rss               int64 // bytes
	round             int
}

// caseResult holds every tool's runs of one case, by round.
type caseResult struct {
	tools []string
	runs  map[string][]toolRun
	// failed counts the runs of a tool that failed (left out).
	failed map[string]int
}

// runCase runs every tool rounds times, rotating the order each round,
// each into a fresh directory, and checks what arrived.
func runCase(t *testing.T, e *toolEnv, c toolCase, tools []benchTool, src string, rounds int) *caseResult {
	t.Helper()
	res := &caseResult{tools: toolNames(tools), runs: map[string][]toolRun{}, failed: map[string]int{}}
	dstSide := e.s.Dir
	if !c.upload {
		dstSide = e.local
	}
	for r := range rounds {
		for i := range tools {
			tl := tools[(i+r)%len(tools)]
			dst, err := os.MkdirTemp(dstSide, "dst-")
			if err != nil {
				t.Fatal(err)
			}
			before := serverCPU(e.s.PID)
			cmd, rssFile := withTime(t, tl.cmd(e, c, src, dst))
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			start := time.Now()
			err = cmd.Run()
			wall := time.Since(start)
			if err != nil {
				// One tool failing must not lose the others' numbers.
				t.Errorf("%s: %s: %v\n%s", c.name, strings.Join(cmd.Args, " "), err, out.String())
				res.failed[tl.name]++
				_ = os.RemoveAll(dst)
				continue
			}
			run := toolRun{wall: wall, cpu: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}
			run.rss = peakOf(cmd, rssFile)
			run.server = serverCPU(e.s.PID) - before
			files, n, err := countTree(dst)
			if err != nil || files != c.files || n != int64(c.files)*int64(c.size) {
				t.Errorf("%s: %s left %d files, %d bytes in %s (%v); want %d files", c.name, tl.name, files, n, dst, err, c.files)
				res.failed[tl.name]++
				_ = os.RemoveAll(dst)
				continue
			}
			run.round = r
			res.runs[tl.name] = append(res.runs[tl.name], run)
			if err := os.RemoveAll(dst); err != nil {
				t.Fatal(err)
			}
		}
	}
	return res
}

// table renders res as a Markdown table.
func (res *caseResult) table(c toolCase) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n| tool | median | tool / ferry (median) | per round | client CPU | server CPU | peak RSS |\n|---|---|---|---|---|---|---|\n", c.name)
	ferry := map[int]time.Duration{}
	for _, r := range res.runs["ferry"] {
		ferry[r.round] = r.wall
	}
	for _, name := range res.tools {
		runs := res.runs[name]
		var walls, cpus, servers []time.Duration
		var ratios []float64
		var rounds []string
		var rss int64
		for _, r := range runs {
			walls, cpus, servers = append(walls, r.wall), append(cpus, r.cpu), append(servers, r.server)
			rss = max(rss, r.rss)
			if f, ok := ferry[r.round]; ok {
				q := r.wall.Seconds() / f.Seconds()
				ratios = append(ratios, q)
				rounds = append(rounds, fmt.Sprintf("%.2f", q))
			}
		}
		speed := ""
		if m := median(walls); m > 0 {
			if c.files > 1 {
				speed = fmt.Sprintf(" (%.0f files/s)", float64(c.files)/m.Seconds())
			} else {
				speed = fmt.Sprintf(" (%.0f MB/s)", float64(c.size)/1e6/m.Seconds())
			}
		}
		if n := res.failed[name]; n > 0 {
			rounds = append(rounds, fmt.Sprintf("(%d failed)", n))
		}
		fmt.Fprintf(&b, "| %s | %.2f s%s | %.2fx | %s | %.2f s | %.2f s | %d MB |\n", name, median(walls).Seconds(), speed,
			median(ratios), strings.Join(rounds, " "), median(cpus).Seconds(), median(servers).Seconds(), rss>>20)
	}
	return b.String()
}

// withTime runs cmd under /usr/bin/time, where it is installed, so that
// the peak RSS is the tool's own: a child this process starts reports
// this process's RSS as its peak (Go starts children with CLONE_VM, and
// exec keeps the shared memory's high-water mark). It returns the file
// the peak (in KiB) is written to, or "".
func withTime(t *testing.T, cmd *exec.Cmd) (*exec.Cmd, string) {
	const timeBin = "/usr/bin/time"
	if _, err := os.Stat(timeBin); err != nil {
		return cmd, ""
	}
	out := filepath.Join(t.TempDir(), "rss")
	w := exec.Command(timeBin, append([]string{"-f", "%M", "-o", out, cmd.Path}, cmd.Args[1:]...)...)
	w.Env = cmd.Env
	return w, out
}

// peakOf returns the peak RSS in bytes of the tool cmd ran: what
// /usr/bin/time wrote to rssFile, or else what wait reported.
func peakOf(cmd *exec.Cmd, rssFile string) int64 {
	if rssFile != "" {
		b, _ := os.ReadFile(rssFile)
		f := strings.Fields(string(b))
		if len(f) > 0 {
			if kb, err := strconv.ParseInt(f[len(f)-1], 10, 64); err == nil {
				return kb << 10
			}
		}
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss << 10
	}
	return 0
}
