package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/remote/sshdtest"
	"github.com/ferry-tui/ferry/remote/sshdtest/delayproxy"
	"golang.org/x/crypto/ssh/knownhosts"
)

// The speed benchmark of ferry sync (issue 12): the binary against
// `rsync -a` over ssh and `lftp mirror`, on the same sshd in the same
// run, alternating, through a delay proxy, data on disk. It is a
// benchmark, never a timed test: `go test ./...` skips it.
//
//	FERRY_BENCH=1 FERRY_REQUIRE_SSHD=1 go test ./cmd/ferry -run '^TestSyncSpeed$' -v -timeout 60m
//
// Knobs (environment): FERRY_BENCH_ROUNDS (default 3), FERRY_BENCH_RTT
// (default 10ms), FERRY_BENCH_FILES (default 10000, in 100 directories),
// FERRY_BENCH_DIR (default: the test's temporary directory, on disk),
// FERRY_BENCH_CASES=changed (only the changed tree), FERRY_BENCH_BASELINE
// (another ferry binary, such as the last release, timed beside this one
// on the changed tree).
//
// Cases: the unchanged tree uploaded and downloaded (every tool has
// nothing to copy), and the tree with 10% of its files changed (new
// contents, same size, a later time) uploaded, changed again before every
// run. Every run dials its own connection.

// syncBenchEnv is the server, the proxy and the two trees.
type syncBenchEnv struct {
	bin, cfg  string
	local     string // the local tree
	remoteRel string // the same tree on the server (an absolute path, as
	// rsync starts in the login directory, not in the SFTP server's)
	remote string // ... and where it is locally
	files  []string
	user   string
	rtt    time.Duration // added by the delay proxy
}

func benchInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func startSyncBench(t *testing.T) *syncBenchEnv {
	for _, tool := range []string{"rsync", "lftp", "ssh"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is not installed: %v", tool, err)
		}
	}
	root := os.Getenv("FERRY_BENCH_DIR")
	if root == "" {
		root = t.TempDir()
	} else {
		var err error
		if root, err = os.MkdirTemp(root, "ferry-sync-bench-"); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.RemoveAll(root) })
	}
	root, _ = filepath.EvalSymlinks(root)
	rtt := 10 * time.Millisecond
	if d, err := time.ParseDuration(os.Getenv("FERRY_BENCH_RTT")); err == nil {
		rtt = d
	}
	srvDir := filepath.Join(root, "server")
	if err := os.MkdirAll(srvDir, 0o755); err != nil {
		t.Fatal(err)
	}
	srv := sshdtest.Start(t, sshdtest.WithDir(srvDir))
	proxy := delayproxy.Start(t, srv.Addr, rtt)
	cfgPath := proxySSHConfig(t, srv, proxy.Addr, root)
	env := &syncBenchEnv{bin: ferryBinary(t), cfg: cfgPath, local: filepath.Join(root, "local", "tree"),
		remoteRel: filepath.Join(srvDir, "tree"), remote: filepath.Join(srvDir, "tree"), user: srv.User, rtt: rtt}
	n := benchInt("FERRY_BENCH_FILES", 10000)
	mtime := time.Now().Add(-24 * time.Hour).Truncate(time.Second)
	for i := range n {
		rel := filepath.Join(fmt.Sprintf("d%03d", i%100), fmt.Sprintf("f%05d.dat", i))
		env.files = append(env.files, rel)
		p := filepath.Join(env.local, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, randomData(uint64(i), 2048), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
	// The server starts with an exact copy, times and all.
	if out, err := exec.Command("cp", "-a", env.local, env.remote).CombinedOutput(); err != nil {
		t.Fatalf("cp -a: %v: %s", err, out)
	}
	return env
}

// proxySSHConfig writes, into dir, an ssh_config whose alias "bench"
// reaches srv through the delay proxy at proxyAddr, with a known_hosts
// file naming the proxy's address, and returns its path.
func proxySSHConfig(t *testing.T, srv *sshdtest.Server, proxyAddr, dir string) string {
	t.Helper()
	_, port, _ := strings.Cut(proxyAddr, ":")
	var kh strings.Builder
	for _, k := range srv.HostKeys.All() {
		kh.WriteString(knownhosts.Line([]string{knownhosts.Normalize(proxyAddr)}, k) + "\n")
	}
	khPath := filepath.Join(dir, "known_hosts")
	cfgPath := filepath.Join(dir, "ssh_config")
	cfg := fmt.Sprintf("Host bench\n  HostName 127.0.0.1\n  Port %s\n  User %s\n  IdentityFile %s\n  IdentitiesOnly yes\n  UserKnownHostsFile %s\n  StrictHostKeyChecking yes\n  BatchMode yes\n  IdentityAgent none\n  ControlMaster no\n",
		port, srv.User, srv.ClientKeyPath, khPath)
	if err := os.WriteFile(khPath, []byte(kh.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return cfgPath
}

func randomData(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// syncTool is one way of syncing: a command line for up or down.
type syncTool struct {
	name string
	cmd  func(env *syncBenchEnv, up bool) *exec.Cmd
}

func syncTools(withLftp bool) []syncTool {
	tools := []syncTool{
		{"ferry sync", func(env *syncBenchEnv, up bool) *exec.Cmd {
			if up {
				return exec.Command(env.bin, "sync", "-F", env.cfg, env.local, "bench:"+env.remoteRel)
			}
			return exec.Command(env.bin, "sync", "-F", env.cfg, "bench:"+env.remoteRel, env.local)
		}},
		{"rsync -a", func(env *syncBenchEnv, up bool) *exec.Cmd {
			e := "ssh -F " + env.cfg
			if up {
				return exec.Command("rsync", "-a", "-e", e, env.local+"/", "bench:"+env.remoteRel+"/")
			}
			return exec.Command("rsync", "-a", "-e", e, "bench:"+env.remoteRel+"/", env.local+"/")
		}},
	}
	if withLftp {
		tools = append(tools, syncTool{"lftp mirror", func(env *syncBenchEnv, up bool) *exec.Cmd {
			mirror := "mirror --parallel=1 " + env.remoteRel + " " + env.local
			if up {
				mirror = "mirror -R --parallel=1 " + env.local + " " + env.remoteRel
			}
			script := fmt.Sprintf("set sftp:connect-program 'ssh -a -x -F %s'; open -u %s, sftp://bench; %s; bye", env.cfg, env.user, mirror)
			return exec.Command("lftp", "-c", script)
		}})
	}
	return tools
}

// timeRun runs cmd and returns its wall time; a failure fails t.
func timeRun(t *testing.T, cmd *exec.Cmd) time.Duration {
	t.Helper()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, out.String())
	}
	return time.Since(start)
}

// change rewrites every tenth file with new contents of the same size and
// a later time, different in every round.
func (env *syncBenchEnv) change(t *testing.T, round int) {
	mtime := time.Now().Add(time.Duration(round) * time.Minute).Truncate(time.Second)
	for i := 0; i < len(env.files); i += 10 {
		p := filepath.Join(env.local, env.files[i])
		if err := os.WriteFile(p, randomData(uint64(round*1_000_000+i), 2048), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
}

// sameAsLocal checks a sample of the remote tree against the local one.
func (env *syncBenchEnv) sameAsLocal(t *testing.T, what string) {
	for i := 0; i < len(env.files); i += 10 {
		a, _ := os.ReadFile(filepath.Join(env.local, env.files[i]))
		b, _ := os.ReadFile(filepath.Join(env.remote, env.files[i]))
		if !bytes.Equal(a, b) {
			t.Fatalf("%s: %s differs after the sync", what, env.files[i])
		}
	}
}

// TestSyncSpeed is the benchmark; it runs only with FERRY_BENCH=1.
func TestSyncSpeed(t *testing.T) {
	if os.Getenv("FERRY_BENCH") != "1" {
		t.Skip("a benchmark: set FERRY_BENCH=1 to run it (see sync_bench_test.go)")
	}
	env := startSyncBench(t)
	lb, _ := os.ReadFile("/proc/loadavg")
	loadBefore := strings.TrimSpace(string(lb))
	rounds := benchInt("FERRY_BENCH_ROUNDS", 3)
	var table strings.Builder
	fmt.Fprintf(&table, "| case | tool | median | runs | vs ferry |\n|---|---|---|---|---|\n")
	record := func(name string, res map[string][]time.Duration, tools []syncTool) {
		base := median(res["ferry sync"])
		for _, tool := range tools {
			m := median(res[tool.name])
			runs := make([]string, len(res[tool.name]))
			for i, d := range res[tool.name] {
				runs[i] = d.Round(time.Millisecond).String()
			}
			fmt.Fprintf(&table, "| %s | %s | %v | %s | %.2fx |\n", name, tool.name, m.Round(time.Millisecond), strings.Join(runs, " "), float64(m)/float64(base))
		}
	}
	files := len(env.files)
	var login []time.Duration
	for range rounds {
		login = append(login, timeRun(t, exec.Command("ssh", "-F", env.cfg, "bench", "true")))
	}
	fmt.Fprintf(&table, "| connecting | ssh bench true | %v | | |\n", median(login).Round(time.Millisecond))
	for _, up := range []bool{true, false} {
		if os.Getenv("FERRY_BENCH_CASES") == "changed" {
			break
		}
		dir := "down"
		if up {
			dir = "up"
		}
		tools := syncTools(true)
		res := map[string][]time.Duration{}
		for range rounds {
			for _, tool := range tools {
				res[tool.name] = append(res[tool.name], timeRun(t, tool.cmd(env, up)))
			}
		}
		record(fmt.Sprintf("%d files unchanged, %s", files, dir), res, tools)
	}
	tools := syncTools(false)
	// More workers hide more round trips per file; the server, one
	// sftp-server process handling requests in turn, bounds the gain.
	tools = slices.Insert(tools, 1, syncTool{"ferry sync -j 256", func(env *syncBenchEnv, up bool) *exec.Cmd {
		return exec.Command(env.bin, "sync", "-j", "256", "-F", env.cfg, env.local, "bench:"+env.remoteRel)
	}})
	// The changed files replace existing ones, which --fsync=auto flushes
	// one by one on the server (rsync flushes none): this row shows what
	// that costs.
	tools = slices.Insert(tools, 2, syncTool{"ferry sync --fsync=never", func(env *syncBenchEnv, up bool) *exec.Cmd {
		return exec.Command(env.bin, "sync", "--fsync=never", "-F", env.cfg, env.local, "bench:"+env.remoteRel)
	}})
	if base := os.Getenv("FERRY_BENCH_BASELINE"); base != "" {
		tools = append(tools, syncTool{"baseline ferry sync", func(env *syncBenchEnv, up bool) *exec.Cmd {
			return exec.Command(base, "sync", "-F", env.cfg, env.local, "bench:"+env.remoteRel)
		}})
	}
	res := map[string][]time.Duration{}
	round := 0
	for range rounds {
		for _, tool := range tools {
			round++
			env.change(t, round)
			res[tool.name] = append(res[tool.name], timeRun(t, tool.cmd(env, true)))
			env.sameAsLocal(t, tool.name)
		}
	}
	record(fmt.Sprintf("%d files, 10%% changed, up", files), res, tools)
	load, _ := os.ReadFile("/proc/loadavg")
	t.Logf("%v round trip, %d rounds, alternating; load average before/after: %s / %s\n%s", env.rtt, rounds, loadBefore, strings.TrimSpace(string(load)), table.String())
}
