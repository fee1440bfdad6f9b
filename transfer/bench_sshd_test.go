package transfer_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/remote/sshdtest"
	"github.com/ferry-tui/ferry/transfer"
)

// The benchmarks below run ferry's engine and OpenSSH's sftp against the
// same sshd in the same run, alternating, with the data on tmpfs
// (/dev/shm, or FERRY_BENCH_DIR), and report both speeds and their ratio
// (the median of the rounds). They are benchmarks, never timed tests:
//
//	FERRY_REQUIRE_SSHD=1 go test ./transfer -run '^$' -bench SSHD -benchtime 5x
//
// FERRY_BENCH_MB sets the large file's size (default 256),
// FERRY_BENCH_WORKERS the engine's workers (default DefaultWorkers), and
// FERRY_BENCH_NO_SFTP=1 leaves sftp out (for profiling ferry alone).

// benchDir returns a fresh directory on tmpfs for b.
func benchDir(b *testing.B) string {
	b.Helper()
	base := os.Getenv("FERRY_BENCH_DIR")
	if base == "" {
		base = "/dev/shm"
	}
	if fi, err := os.Stat(base); err != nil || !fi.IsDir() {
		base = ""
	}
	dir, err := os.MkdirTemp(base, "ferry-bench-")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// sftpBatch runs OpenSSH's sftp client with the given batch commands
// against s, with a 255 KiB buffer and 64 requests as ferry's nearest
// equivalent.
func sftpBatch(b *testing.B, s *sshdtest.Server, knownHosts, commands string) {
	b.Helper()
	batch := filepath.Join(b.TempDir(), "batch")
	if err := os.WriteFile(batch, []byte(commands), 0o600); err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command("sftp", "-q", "-b", batch, "-i", s.ClientKeyPath, "-P", strconv.Itoa(s.Port),
		"-o", "BatchMode=yes", "-o", "UserKnownHostsFile="+knownHosts, "-o", "StrictHostKeyChecking=yes",
		s.User+"@"+s.Host)
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("sftp: %v\n%s", err, out)
	}
}

// round is one ferry-vs-sftp measurement.
type round struct{ ferry, sftp time.Duration }

// report prints the medians of rounds as metrics.
func report(b *testing.B, rounds []round, bytes int64) {
	b.Helper()
	med := func(get func(round) time.Duration) time.Duration {
		ds := make([]time.Duration, len(rounds))
		for i, r := range rounds {
			ds[i] = get(r)
		}
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		return ds[len(ds)/2]
	}
	f, s := med(func(r round) time.Duration { return r.ferry }), med(func(r round) time.Duration { return r.sftp })
	mb := float64(bytes) / (1 << 20)
	b.ReportMetric(mb/f.Seconds(), "ferry-MB/s")
	b.ReportMetric(mb/s.Seconds(), "sftp-MB/s")
	b.ReportMetric(s.Seconds()/f.Seconds(), "x-sftp")
	for i, r := range rounds {
		b.Logf("round %d: ferry %v, sftp %v, ratio %.2f", i+1, r.ferry, r.sftp, r.sftp.Seconds()/r.ferry.Seconds())
	}
}

// copyOnce runs one batch on a fresh engine and fails b unless it all
// arrived.
func copyOnce(b *testing.B, req transfer.Request) time.Duration {
	b.Helper()
	w, _ := strconv.Atoi(os.Getenv("FERRY_BENCH_WORKERS"))
	e := transfer.New(transfer.Options{Workers: w})
	defer e.Close()
	start := time.Now()
	if _, err := e.Submit(req); err != nil {
		b.Fatal(err)
	}
	if err := e.Wait(context.Background()); err != nil {
		b.Fatal(err)
	}
	d := time.Since(start)
	if s := e.Snapshot(); s.States[transfer.Done] != s.Jobs {
		b.Fatalf("not all done: %+v", s)
	}
	return d
}

// benchTree writes n files of size bytes below dir.
func benchTree(b *testing.B, dir string, n, size int) {
	b.Helper()
	for i := range n {
		p := filepath.Join(dir, fmt.Sprintf("d%02d", i%20), fmt.Sprintf("f%05d", i))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, randBytes(uint64(i), size), 0o644); err != nil {
			b.Fatal(err)
		}
	}
}

func benchmarkSSHD(b *testing.B, upload bool, n, size int) {
	root := benchDir(b)
	s := sshdtest.Start(b, sshdtest.WithDir(root))
	rfs, _ := dialFS(b, s)
	kh := s.WriteKnownHosts(b)
	local := filepath.Join(root, "local")
	remoteSide := filepath.Join(root, "remote")
	src := filepath.Join(local, "src")
	if !upload {
		src = filepath.Join(remoteSide, "src")
	}
	if n == 1 {
		if err := os.MkdirAll(src, 0o755); err != nil {
			b.Fatal(err)
		}
		writeChunked(b, filepath.Join(src, "big"), size)
	} else {
		benchTree(b, src, n, size)
	}
	if err := os.MkdirAll(filepath.Join(remoteSide), 0o755); err != nil {
		b.Fatal(err)
	}
	var rounds []round
	b.ResetTimer()
	for i := range b.N {
		dstF := filepath.Join(root, "dst-ferry-"+strconv.Itoa(i))
		dstS := filepath.Join(root, "dst-sftp-"+strconv.Itoa(i))
		req := transfer.Request{Src: localFS(), Dst: rfs, Items: []transfer.Item{{Src: src, Dst: dstF}}}
		cmd := fmt.Sprintf("put -r %s %s\n", src, dstS)
		if !upload {
			req = transfer.Request{Src: rfs, Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: dstF}}}
			cmd = fmt.Sprintf("get -r %s %s\n", src, dstS)
		}
		var r round
		r.ferry = copyOnce(b, req)
		start := time.Now()
		if os.Getenv("FERRY_BENCH_NO_SFTP") == "" {
			sftpBatch(b, s, kh, cmd)
		}
		r.sftp = time.Since(start)
		rounds = append(rounds, r)
		b.StopTimer()
		os.RemoveAll(dstF)
		os.RemoveAll(dstS)
		b.StartTimer()
	}
	b.StopTimer()
	report(b, rounds, int64(n)*int64(size))
	if hwm := peakRSS(); hwm > 0 {
		b.ReportMetric(float64(hwm)/(1<<20), "peak-RSS-MB")
	}
}

// writeChunked writes size pseudo-random bytes to path without holding
// them all in memory, which would distort the peak RSS reported.
func writeChunked(b *testing.B, path string, size int) {
	b.Helper()
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	const chunk = 4 << 20
	for off, i := 0, uint64(0); off < size; off, i = off+chunk, i+1 {
		if _, err := f.Write(randBytes(i, min(chunk, size-off))); err != nil {
			b.Fatal(err)
		}
	}
}

// peakRSS returns the test process's peak resident set size in bytes
// (VmHWM), or 0 where /proc does not say.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

func BenchmarkSSHDUploadSmallFiles(b *testing.B)   { benchmarkSSHD(b, true, 2000, 16<<10) }
func BenchmarkSSHDDownloadSmallFiles(b *testing.B) { benchmarkSSHD(b, false, 2000, 16<<10) }

func largeSize() int {
	if mb, err := strconv.Atoi(os.Getenv("FERRY_BENCH_MB")); err == nil && mb > 0 {
		return mb << 20
	}
	return 256 << 20
}

func BenchmarkSSHDUploadLarge(b *testing.B)   { benchmarkSSHD(b, true, 1, largeSize()) }
func BenchmarkSSHDDownloadLarge(b *testing.B) { benchmarkSSHD(b, false, 1, largeSize()) }
