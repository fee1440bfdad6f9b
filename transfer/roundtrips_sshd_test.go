package transfer_test

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/remote"
	"github.com/ferry-tui/ferry/remote/servertest"
	"github.com/ferry-tui/ferry/remote/sshdtest"
	"github.com/ferry-tui/ferry/remote/sshdtest/delayproxy"
	"github.com/ferry-tui/ferry/transfer"
	"golang.org/x/crypto/ssh"
)

// smallFiles writes n files of 16 KiB named f0, f1, ... in dir.
func smallFiles(t *testing.T, dir string, n int) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	mt := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	for i := range n {
		writeFile(t, filepath.Join(dir, fmt.Sprintf("f%d", i)), []byte(strings.Repeat(fmt.Sprint(i), 16<<10)), 0o640, mt)
	}
}

// checkSmallFiles checks that dir holds n files as smallFiles wrote them,
// mode and time included.
func checkSmallFiles(t *testing.T, dir string, n int) {
	t.Helper()
	mt := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	for i := range n {
		p := filepath.Join(dir, fmt.Sprintf("f%d", i))
		b, err := os.ReadFile(p)
		if err != nil || string(b) != strings.Repeat(fmt.Sprint(i), 16<<10) {
			t.Errorf("%s: %d bytes, %v", p, len(b), err)
			continue
		}
		fi, err := os.Stat(p)
		if err != nil || fi.Mode().Perm() != 0o640 || !fi.ModTime().Equal(mt) {
			t.Errorf("%s: mode %v, time %v, %v", p, fi.Mode(), fi.ModTime(), err)
		}
	}
}

// TestSSHDSmallFileRequests counts, in OpenSSH's sftp-server log, the
// requests a small file costs each way: an upload is the open (with the
// mode in it), one write, one fsetstat for the mode and one for the
// times, the close and the rename, with no stat of any kind; a download
// the open, one read, the probe past the end and the close.
func TestSSHDSmallFileRequests(t *testing.T) {
	t.Parallel()
	const n = 6
	s, logPath := startLoggingSSHD(t)
	rfs, _ := dialFS(t, s)
	src := filepath.Join(t.TempDir(), "src")
	smallFiles(t, src, n)
	e, _ := newEngine(t, transfer.Options{})
	run(t, e, transfer.Request{Src: localFS(), Dst: rfs, Items: []transfer.Item{{Src: src, Dst: path.Join(s.Dir, "up")}}})
	onlyDone(t, e)
	checkSmallFiles(t, filepath.Join(s.Dir, "up"), n)
	up := requestCounts(t, logPath)

	back := filepath.Join(t.TempDir(), "back")
	run(t, e, transfer.Request{Src: rfs, Dst: localFS(), Items: []transfer.Item{{Src: path.Join(s.Dir, "up"), Dst: back}}})
	onlyDone(t, e)
	checkSmallFiles(t, back, n)
	all := requestCounts(t, logPath)
	down := map[string]int{}
	for k, v := range all {
		if d := v - up[k]; d != 0 {
			down[k] = d
		}
	}

	// Per file; the directory costs a few requests of its own (mkdir,
	// opendir, readdir, its close and its times), one of a kind at most.
	check := func(dir string, got map[string]int, want map[string]int) {
		t.Helper()
		for k, w := range want {
			if got[k] < w*n || got[k] > w*n+1 {
				t.Errorf("%s: %d %s requests for %d files, want %d per file\nall: %v", dir, got[k], k, n, w, got)
			}
		}
		for _, k := range []string{"stat", "lstat", "fstat"} {
			if got[k] > 2 {
				t.Errorf("%s: %d %s requests for %d files, want none per file\nall: %v", dir, got[k], k, n, got)
			}
		}
	}
	check("up", up, map[string]int{"open": 1, "write": 1, "fsetstat": 2, "setstat": 0, "close": 1, "posix-rename": 1})
	check("down", down, map[string]int{"open": 1, "read": 2, "close": 1, "write": 0})
}

// requestCounts counts the requests sftp-server logged, by name.
func requestCounts(t *testing.T, logPath string) map[string]int {
	t.Helper()
	b, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	// sftp-server -l DEBUG3 logs "request N: NAME" for every request,
	// and "request N: extended NAME" for an extension.
	re := regexp.MustCompile(`request \d+: (?:extended )?([a-z@.-]+)`)
	out := map[string]int{}
	for _, m := range re.FindAllStringSubmatch(string(b), -1) {
		name, _, _ := strings.Cut(m[1], "@")
		out[name]++
	}
	return out
}

// TestSSHDSmallFileRoundTrips measures, through a proxy that adds 100 ms
// to every round trip, what one small file costs with one worker: an
// upload three round trips (the open; mode, data, times and close at
// once; the rename), a download two (the open; reads and close at once).
// Files go one after the other, so the time between two of them
// finishing is what the second cost; a loaded machine only adds to it,
// so the quickest file of the batch is what is compared. It fails when
// that takes half a round trip more than the count above.
//
// It is a measurement, so it is opt-in (a loaded machine, or the race
// detector, can add half a round trip): TestSSHDSmallFileRequests checks
// the requests each file costs in every run.
//
//	FERRY_BENCH=1 FERRY_REQUIRE_SSHD=1 go test ./transfer -run '^TestSSHDSmallFileRoundTrips$' -v
func TestSSHDSmallFileRoundTrips(t *testing.T) {
	if os.Getenv("FERRY_BENCH") != "1" {
		t.Skip("a measurement: set FERRY_BENCH=1")
	}
	t.Parallel()
	const rtt = 100 * time.Millisecond
	s := sshdtest.Start(t)
	p := delayproxy.Start(t, s.Addr, rtt)
	c, err := ssh.Dial("tcp", p.Addr, s.ClientConfig())
	if err != nil {
		t.Fatal(err)
	}
	rfs, err := remote.NewFSOn("slow", c, remote.SFTPOptions(string(c.ServerVersion()))...)
	if err != nil {
		c.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		rfs.Client().Close()
		c.Close()
	})
	e, _ := newEngine(t, transfer.Options{Workers: 1})
	const n = 8
	// quickest runs req and returns, in round trips, the shortest time
	// between two files finishing.
	quickest := func(req transfer.Request) float64 {
		b, err := e.Submit(req)
		if err != nil {
			t.Fatal(err)
		}
		sub := b.Subscribe()
		defer sub.Close()
		var last time.Time
		best := time.Duration(1 << 62)
		for finished := 0; finished < n; {
			select {
			case ev := <-sub.Events():
				if ev.Kind != transfer.JobFinished || ev.Path == req.Items[0].Dst {
					continue
				}
				now := time.Now()
				if finished > 0 {
					best = min(best, now.Sub(last))
				}
				last = now
				finished++
			case <-time.After(waitTimeout):
				t.Fatalf("%d of %d files finished within %v", finished, n, waitTimeout)
			}
		}
		wait(t, e)
		onlyDone(t, e)
		return float64(best) / float64(rtt)
	}
	base := t.TempDir()
	smallFiles(t, filepath.Join(base, "src"), n)
	up := quickest(transfer.Request{Src: localFS(), Dst: rfs, Items: []transfer.Item{{Src: filepath.Join(base, "src"), Dst: path.Join(s.Dir, "up")}}})
	down := quickest(transfer.Request{Src: rfs, Dst: localFS(), Items: []transfer.Item{{Src: path.Join(s.Dir, "up"), Dst: filepath.Join(base, "down")}}})
	checkSmallFiles(t, filepath.Join(base, "down"), n)
	t.Logf("round trips of the quickest small file: up %.2f, down %.2f", up, down)
	if up > 3.5 {
		t.Errorf("an upload of a small file took %.2f round trips, want 3", up)
	}
	if down > 2.5 {
		t.Errorf("a download of a small file took %.2f round trips, want 2", down)
	}
}

// TestServersSmallFiles copies small files up and down with every kind
// of server servertest has, through remote.Dial as ferry does: content,
// mode and time must arrive whether the server gets the pipelined
// requests (OpenSSH) or one at a time (servers that may run a write and
// a later time change out of order, such as ferry demo's).
func TestServersSmallFiles(t *testing.T) {
	t.Parallel()
	for _, kind := range servertest.Kinds() {
		t.Run(kind.String(), func(t *testing.T) {
			t.Parallel()
			s := servertest.Start(t, kind)
			sess := dialServer(t, s)
			const n = 12
			src := filepath.Join(t.TempDir(), "src")
			smallFiles(t, src, n)
			e, _ := newEngine(t, transfer.Options{})
			up := path.Join(s.Dir, "small")
			run(t, e, transfer.Request{Src: localFS(), Dst: sess.FS, Items: []transfer.Item{{Src: src, Dst: up}}})
			onlyDone(t, e)
			checkSmallFiles(t, filepath.FromSlash(up), n)
			back := filepath.Join(t.TempDir(), "back")
			run(t, e, transfer.Request{Src: sess.FS, Dst: localFS(), Items: []transfer.Item{{Src: up, Dst: back}}})
			onlyDone(t, e)
			checkSmallFiles(t, back, n)
		})
	}
}
