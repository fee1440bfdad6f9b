package transfer_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/config"
	"github.com/ferry-tui/ferry/remote"
	"github.com/ferry-tui/ferry/remote/sshdtest"
	"github.com/ferry-tui/ferry/remote/sshdtest/delayproxy"
	"github.com/ferry-tui/ferry/transfer"
	"golang.org/x/crypto/ssh/knownhosts"
)

// The speed benchmark of issue 5: ferry's engine against OpenSSH's sftp,
// on the same sshd in the same run, alternating, data on tmpfs. It is a
// benchmark, never a timed test: `go test ./...` skips it.
//
//	FERRY_BENCH=1 FERRY_REQUIRE_SSHD=1 go test ./transfer -run '^TestSpeedVsSFTP$' -v -timeout 60m
//
// prints a Markdown table per case. Knobs (environment):
//
//	FERRY_BENCH_MB       size of the large file (default 1024)
//	FERRY_BENCH_ROUNDS   rounds per case (default 5)
//	FERRY_BENCH_WORKERS  worker counts tried on small files and at high
//	                     latency (default "16,32,64")
//	FERRY_BENCH_CASES    regular expression choosing cases by name (the
//	                     optional "100 x 3 MiB" cases run only when named)
//	FERRY_BENCH_RTT      round trip added by the delay proxy (default 10ms)
//	FERRY_BENCH_DIR      where the data goes (default /dev/shm)
//	FERRY_BENCH_OUT      also write the tables to this file
//	FERRY_BENCH_RANGES   add the byte-range prototype to the single-file
//	                     cases, e.g. "conn2,chan4" (bench_ranges_test.go)
//
// Every ferry run dials its own SSH connection (remote.SFTPOptions, as
// remote.Dial does), runs one batch on a fresh engine with the safe-write
// path (temporary file, fsync as Options.Fsync says, rename) and closes; every sftp run is
// `sftp -b` with its own connection too, so both pay the handshake.
// A second table gives the CPU time each side used. BenchmarkFerry runs
// ferry alone, for profiling.

// benchCase is one row group of the table.
type benchCase struct {
	name    string
	upload  bool
	files   int  // 1: a single file
	size    int  // bytes per file
	delayed bool // through the delay proxy
	gcm     bool // also against sftp -c aes128-gcm@openssh.com
	workers bool // try FERRY_BENCH_WORKERS instead of the default
	goal    float64
	goalVs  string // the sftp variant the goal is against
	// optional cases run only when FERRY_BENCH_CASES names them.
	optional bool
}

func benchCases() []benchCase {
	big := envInt("FERRY_BENCH_MB", 1024) << 20
	bigName := fmt.Sprintf("%d MiB", big>>20)
	if big%(1<<30) == 0 {
		bigName = fmt.Sprintf("%d GiB", big>>30)
	}
	rtt := benchRTT().String()
	return []benchCase{
		{name: bigName + " up", upload: true, files: 1, size: big, gcm: true, goal: 1.0, goalVs: sftpGCM},
		{name: bigName + " down", files: 1, size: big, gcm: true, goal: 1.0, goalVs: sftpGCM},
		{name: "2000 x 16 KiB up", upload: true, files: 2000, size: 16 << 10, workers: true, goal: 2.5, goalVs: sftpDefault},
		{name: "2000 x 16 KiB down", files: 2000, size: 16 << 10, workers: true, goal: 2.5, goalVs: sftpDefault},
		{name: rtt + " 200 x 16 KiB up", upload: true, files: 200, size: 16 << 10, delayed: true, workers: true, goal: 8, goalVs: sftpDefault},
		{name: rtt + " 200 x 16 KiB down", files: 200, size: 16 << 10, delayed: true, workers: true, goal: 8, goalVs: sftpDefault},
		{name: rtt + " 64 MiB up", upload: true, files: 1, size: 64 << 20, delayed: true, gcm: true, goal: 1.2, goalVs: sftpDefault},
		{name: rtt + " 64 MiB down", files: 1, size: 64 << 20, delayed: true, gcm: true, goal: 1.2, goalVs: sftpDefault},
		// Medium files are streamed by every worker at once, with no cap
		// like the one on large files: the worst case for memory.
		{name: "100 x 3 MiB up", upload: true, files: 100, size: 3 << 20, workers: true, optional: true},
		{name: "100 x 3 MiB down", files: 100, size: 3 << 20, workers: true, optional: true},
	}
}

// The sftp variants.
const (
	sftpDefault = "sftp"
	sftpGCM     = "sftp -c aes128-gcm"
)

// benchEnv is the sshd, the delay proxy and the data shared by all cases.
type benchEnv struct {
	s     *sshdtest.Server
	proxy *delayproxy.Proxy
	kh    string // known_hosts naming sshd and the proxy
	root  string // on tmpfs; sshd's directory too
	data  map[string]string
}

// addr returns where to connect for c.
func (env *benchEnv) addr(c benchCase) string {
	if c.delayed {
		return env.proxy.Addr
	}
	return env.s.Addr
}

// source returns c's source, written on first use: a file, or a tree of
// c.files files in 20 directories. Upload and download read the same
// data: local and remote are the same tmpfs.
func (env *benchEnv) source(t testing.TB, c benchCase) string {
	key := fmt.Sprintf("%dx%d", c.files, c.size)
	if p, ok := env.data[key]; ok {
		return p
	}
	dir := filepath.Join(env.root, "data", key)
	var p string
	if c.files == 1 {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		p = filepath.Join(dir, "big")
		writeChunked(t, p, c.size)
	} else {
		p = dir
		benchTree(t, p, c.files, c.size)
	}
	env.data[key] = p
	return p
}

func startBenchEnv(t testing.TB) *benchEnv {
	root := benchDir(t)
	for _, d := range []string{"local", "remote", "data"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	s := sshdtest.Start(t, sshdtest.WithDir(root))
	p := delayproxy.Start(t, s.Addr, benchRTT())
	return &benchEnv{s: s, proxy: p, kh: writeBenchKnownHosts(t, s, p.Addr), root: root, data: map[string]string{}}
}

// variant is one way of doing a case's copy.
type variant struct {
	name    string
	ferry   bool
	workers int // ferry only; 0 is the engine's default
	gcm     bool
	ranges  rangeVariant // set: the byte-range prototype (bench_ranges_test.go)
}

func (c benchCase) variants() []variant {
	var vs []variant
	if c.workers {
		for _, w := range benchWorkers() {
			vs = append(vs, variant{name: fmt.Sprintf("ferry -j %d", w), ferry: true, workers: w})
		}
	} else {
		vs = append(vs, variant{name: "ferry", ferry: true})
	}
	if c.files == 1 {
		for _, r := range benchRanges() {
			vs = append(vs, variant{name: r.name(), ferry: true, ranges: r})
		}
	}
	vs = append(vs, variant{name: sftpDefault})
	if c.gcm {
		vs = append(vs, variant{name: sftpGCM, gcm: true})
	}
	return vs
}

// runResult is one variant's measurements over the rounds.
type runResult struct {
	times   []time.Duration
	connect []time.Duration // ferry: the part spent connecting
	peakRSS int64           // ferry: the highest peak of any round
	cpu     []time.Duration // client CPU: ferry's process, or sftp and its ssh
	server  []time.Duration // sshd's CPU: the processes serving the connections
}

// TestSpeedVsSFTP is the benchmark; it runs only with FERRY_BENCH=1.
func TestSpeedVsSFTP(t *testing.T) {
	if os.Getenv("FERRY_BENCH") != "1" {
		t.Skip("a benchmark: set FERRY_BENCH=1 to run it (see bench_sshd_test.go)")
	}
	sftpPath := needSFTP(t)
	env := startBenchEnv(t)
	rounds := envInt("FERRY_BENCH_ROUNDS", 5)
	var filter *regexp.Regexp
	if f := os.Getenv("FERRY_BENCH_CASES"); f != "" {
		filter = regexp.MustCompile(f)
	}
	var out, cpu strings.Builder
	fmt.Fprintf(&out, "ferry vs OpenSSH sftp, %d rounds, medians; ratio = sftp time / ferry time; %s; GOMAXPROCS %d\n\n",
		rounds, sshVersion(), numCPU())
	out.WriteString(tableHeader)
	for _, c := range benchCases() {
		if filter != nil && !filter.MatchString(c.name) || filter == nil && c.optional {
			continue
		}
		src := env.source(t, c)
		res := runCase(t, env, sftpPath, c, src, rounds)
		out.WriteString(caseRows(c, res))
		cpu.WriteString(cpuRows(c, res))
	}
	out.WriteString("\nPeak RSS: the test process's VmHWM over a ferry run (reset before each), " +
		"including the in-process delay proxy's queues in the delayed cases.\n\n")
	out.WriteString(cpuHeader)
	out.WriteString(cpu.String())
	out.WriteString("\nCPU: medians of user+system time. Client: ferry's test process (with the delay proxy in the " +
		"delayed cases), or sftp with the ssh it runs. Server: the sshd processes that served the run's connections " +
		"(including internal-sftp).\n")
	fmt.Println()
	fmt.Print(out.String())
	if p := os.Getenv("FERRY_BENCH_OUT"); p != "" {
		if err := os.WriteFile(p, []byte(out.String()), 0o644); err != nil {
			t.Error(err)
		}
	}
}

// runCase runs every variant of c once per round, starting each round
// with a different variant, and returns the measurements by variant name.
func runCase(t *testing.T, env *benchEnv, sftpPath string, c benchCase, src string, rounds int) map[string]*runResult {
	vs := c.variants()
	res := make(map[string]*runResult, len(vs))
	for _, v := range vs {
		res[v.name] = &runResult{}
	}
	for r := range rounds {
		for k := range vs {
			v := vs[(r+k)%len(vs)]
			dst := env.dst(c, v)
			rr := res[v.name]
			var d, cpu time.Duration
			server := serverCPU(env.s.PID)
			if v.ferry {
				cpu = selfCPU()
				var conn time.Duration
				var peak int64
				if v.ranges.n > 0 {
					d, conn, peak = rangesCopy(t, env, c, v.ranges, src, dst)
				} else {
					d, conn, peak = ferryCopy(t, env, c, v.workers, src, dst)
				}
				cpu = selfCPU() - cpu
				rr.connect = append(rr.connect, conn)
				rr.peakRSS = max(rr.peakRSS, peak)
			} else {
				d, cpu = sftpCopy(t, env, sftpPath, c, v.gcm, src, dst)
			}
			rr.times = append(rr.times, d)
			rr.cpu = append(rr.cpu, cpu)
			rr.server = append(rr.server, serverCPU(env.s.PID)-server)
			checkCopy(t, src, dst, c)
			if err := os.RemoveAll(dst); err != nil {
				t.Fatal(err)
			}
			t.Logf("%s, round %d, %s: %v", c.name, r+1, v.name, d.Round(time.Millisecond))
		}
	}
	return res
}

// dst returns where variant v of c writes; it must not exist yet.
func (env *benchEnv) dst(c benchCase, v variant) string {
	side := "local"
	if c.upload {
		side = "remote"
	}
	return filepath.Join(env.root, side, strings.NewReplacer(" ", "_", "@", "_").Replace(v.name))
}

// ferryCopy copies src to dst with a fresh connection and engine, and
// returns the time taken (connecting included), the part spent connecting
// and the process's peak RSS during the copy.
func ferryCopy(t testing.TB, env *benchEnv, c benchCase, workers int, src, dst string) (total, connect time.Duration, peak int64) {
	t.Helper()
	debug.FreeOSMemory()
	resetPeakRSS()
	start := time.Now()
	rfs, closeFS := benchDial(t, env.s, env.addr(c))
	connect = time.Since(start)
	e := transfer.New(transfer.Options{Workers: workers})
	req := transfer.Request{Src: localFS(), Dst: rfs, Items: []transfer.Item{{Src: src, Dst: dst}}}
	if !c.upload {
		req.Src, req.Dst = rfs, localFS()
	}
	if _, err := e.Submit(req); err != nil {
		t.Fatal(err)
	}
	err := e.Wait(context.Background())
	s := e.Snapshot()
	e.Close()
	closeFS()
	total = time.Since(start)
	peak = peakRSS()
	if err != nil {
		t.Fatal(err)
	}
	if s.States[transfer.Done] != s.Jobs || s.Jobs < c.files {
		t.Fatalf("%s: not all done: %d jobs, states %v", c.name, s.Jobs, s.States)
	}
	return total, connect, peak
}

// benchDial connects to addr (sshd or the proxy in front of it) through
// remote.Dial, exactly as ferry does (SFTP options, extra channels for
// byte ranges), and returns the file system and a function closing it.
func benchDial(t testing.TB, s *sshdtest.Server, addr string) (*remote.FS, func()) {
	t.Helper()
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	port, _ := strconv.Atoi(portStr)
	// One known_hosts name for sshd and the proxy alike.
	var lines []string
	for _, k := range s.HostKeys.All() {
		lines = append(lines, knownhosts.Line([]string{"ferry-bench"}, k))
	}
	kh := filepath.Join(t.TempDir(), "known_hosts")
	if err := os.WriteFile(kh, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	sess, err := remote.Dial(context.Background(), config.Host{
		Alias: "bench", HostName: host, Port: port, User: s.User, HostKeyAlias: "ferry-bench",
		IdentityFiles: []string{s.ClientKeyPath}, IdentitiesOnly: true, IdentityAgent: "none",
		UserKnownHostsFiles: []string{kh}, StrictHostKeyChecking: "yes", BatchMode: true,
	})
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	return sess.FS, func() { sess.Close() }
}

// BenchmarkFerry runs ferry alone on each case, for profiling:
//
//	go test ./transfer -run '^$' -bench 'Ferry/2000.*up.*j_32' -benchtime 5x -cpuprofile cpu.out
//
// Sub-benchmarks are named after the case and the variant ("ferry",
// "ferry -j 32", "ranges x4 conns").
func BenchmarkFerry(b *testing.B) {
	env := startBenchEnv(b)
	for _, c := range benchCases() {
		for _, v := range c.variants() {
			if !v.ferry {
				continue
			}
			name := c.name + " " + v.name
			b.Run(name, func(b *testing.B) {
				src := env.source(b, c)
				dst := env.dst(c, v)
				b.SetBytes(int64(c.files) * int64(c.size))
				var peak int64
				b.ResetTimer()
				for range b.N {
					var p int64
					if v.ranges.n > 0 {
						_, _, p = rangesCopy(b, env, c, v.ranges, src, dst)
					} else {
						_, _, p = ferryCopy(b, env, c, v.workers, src, dst)
					}
					peak = max(peak, p)
					b.StopTimer()
					checkCopy(b, src, dst, c)
					if err := os.RemoveAll(dst); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
				}
				b.ReportMetric(float64(peak)/(1<<20), "peak-RSS-MB")
			})
		}
	}
}

const tableHeader = "| Case | ferry | ferry median (connecting) | vs | sftp median | ratio per round | median ratio | goal | ferry peak RSS |\n" +
	"|---|---|---|---|---|---|---|---|---|\n"

// caseRows formats c's results: one row per ferry variant and sftp
// variant.
func caseRows(c benchCase, res map[string]*runResult) string {
	var b strings.Builder
	vs := c.variants()
	for _, f := range vs {
		if !f.ferry {
			continue
		}
		fr := res[f.name]
		for _, s := range vs {
			if s.ferry {
				continue
			}
			sr := res[s.name]
			ratios := make([]float64, len(fr.times))
			parts := make([]string, len(fr.times))
			for i := range fr.times {
				ratios[i] = sr.times[i].Seconds() / fr.times[i].Seconds()
				parts[i] = fmt.Sprintf("%.2f", ratios[i])
			}
			med := median(ratios)
			goal := ""
			if c.goal > 0 && s.name == c.goalVs {
				mark := "met"
				if med < c.goal {
					mark = "MISSED"
				}
				goal = fmt.Sprintf(">= %.1fx: %s", c.goal, mark)
			}
			fmt.Fprintf(&b, "| %s | %s | %s (%.2fs) | %s | %s | %s | **%.2fx** | %s | %.0f MB |\n",
				c.name, f.name, c.speed(medianDur(fr.times)), medianDur(fr.connect).Seconds(),
				s.name, c.speed(medianDur(sr.times)), strings.Join(parts, " "), med, goal, float64(fr.peakRSS)/(1<<20))
		}
	}
	return b.String()
}

const cpuHeader = "| Case | tool | wall | client CPU | server CPU |\n|---|---|---|---|---|\n"

// cpuRows formats the CPU time each variant of c used.
func cpuRows(c benchCase, res map[string]*runResult) string {
	var b strings.Builder
	for _, v := range c.variants() {
		r := res[v.name]
		fmt.Fprintf(&b, "| %s | %s | %.2fs | %.2fs | %.2fs |\n", c.name, v.name,
			medianDur(r.times).Seconds(), medianDur(r.cpu).Seconds(), medianDur(r.server).Seconds())
	}
	return b.String()
}

// speed formats a median time with the throughput it means.
func (c benchCase) speed(d time.Duration) string {
	if c.files == 1 {
		return fmt.Sprintf("%.2fs (%.0f MB/s)", d.Seconds(), float64(c.size)/(1<<20)/d.Seconds())
	}
	return fmt.Sprintf("%.2fs (%.0f files/s)", d.Seconds(), float64(c.files)/d.Seconds())
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 0 {
		return (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return s[len(s)/2]
}

func medianDur(ds []time.Duration) time.Duration {
	xs := make([]float64, len(ds))
	for i, d := range ds {
		xs[i] = float64(d)
	}
	return time.Duration(median(xs))
}
