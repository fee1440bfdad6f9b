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
// It fails when either takes half a round trip more than that.
func TestSSHDSmallFileRoundTrips(t *testing.T) {
	if testing.Short() {
		t.Skip("takes a few seconds of waiting on a slow link")
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
	base := t.TempDir()
	// timed copies one file and then more, the same way, and returns the
	// round trips each further file took.
	const more = 5
	timed := func(name string, req func(src, dst string) transfer.Request, src string, dst func(string) string) float64 {
		var took [2]time.Duration
		for i, k := range []string{"one", "more"} {
			start := time.Now()
			run(t, e, req(filepath.Join(src, k), dst(name+"-"+k)))
			took[i] = time.Since(start)
		}
		onlyDone(t, e)
		return float64(took[1]-took[0]) / float64(more) / float64(rtt)
	}
	smallFiles(t, filepath.Join(base, "one"), 1)
	smallFiles(t, filepath.Join(base, "more"), 1+more)
	up := timed("up", func(src, dst string) transfer.Request {
		return transfer.Request{Src: localFS(), Dst: rfs, Items: []transfer.Item{{Src: src, Dst: dst}}}
	}, base, func(n string) string { return path.Join(s.Dir, n) })
	for _, k := range []string{"one", "more"} {
		if err := os.Rename(filepath.Join(s.Dir, "up-"+k), filepath.Join(s.Dir, k)); err != nil {
			t.Fatal(err)
		}
	}
	down := timed("down", func(src, dst string) transfer.Request {
		return transfer.Request{Src: rfs, Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: dst}}}
	}, s.Dir, func(n string) string { return filepath.Join(base, n) })
	checkSmallFiles(t, filepath.Join(base, "down-more"), 1+more)
	t.Logf("round trips per small file: up %.2f, down %.2f", up, down)
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
