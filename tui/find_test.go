package tui

import (
	"context"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/config"
	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/remote"
	"github.com/ferry-tui/ferry/remote/sshdtest"
	"github.com/ferry-tui/ferry/remote/sshdtest/delayproxy"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/find"
	"golang.org/x/crypto/ssh/knownhosts"
)

// findTop returns the find overlay on top of m's stack.
func findTop(t testing.TB, m *Model) *find.Model {
	t.Helper()
	f, ok := topIs[*find.Model](&m.stack)
	if !ok {
		t.Fatalf("the find overlay is not on top; screen:\n%s", screen(m))
	}
	return f
}

func TestFindGoesToTheMatch(t *testing.T) {
	t.Parallel()
	root := makeTree(t,
		file{name: "a/b/Report-2024.TXT", content: "x"},
		file{name: "a/notes.md", content: "x"},
		file{name: "c/report/", mtime: mtimeOld},
		file{name: "zz.txt", content: "x"},
	)
	m := localPair(t, root, root, 100, 20)
	r := newRunner(t, m)
	r.press("ctrl+f")
	findTop(t, m)
	r.typeText("REPORT")
	r.press("enter")
	f := findTop(t, m)
	r.waitFor("the search to end", func() bool { return !f.Running() })
	got := screen(m)
	for _, want := range []string{"a/b/Report-2024.TXT", "c/report/", "done: 2 matches in 5 directories"} {
		if !strings.Contains(got, want) {
			t.Fatalf("screen lacks %q:\n%s", want, got)
		}
	}
	// Go to the file: its directory, the cursor on it, the overlay gone.
	for i, mt := range f.Matches() {
		if mt.Name == "Report-2024.TXT" {
			f.Update(keyMsg("home"))
			for range i {
				f.Update(keyMsg("down"))
			}
		}
	}
	r.press("enter")
	p := &m.panes[leftSide]
	r.waitFor("the match's directory", func() bool { return p.Path() == filepath.Join(root, "a", "b") && !p.Loading() })
	if cursorName(p) != "Report-2024.TXT" || m.stack.top() != nil {
		t.Fatalf("cursor on %q, top %T", cursorName(p), m.stack.top())
	}
	// A glob, from the other pane.
	r.press("tab", "ctrl+f")
	r.typeText("*.md")
	r.press("enter")
	f = findTop(t, m)
	r.waitFor("the glob search", func() bool { return !f.Running() })
	if ms := f.Matches(); len(ms) != 1 || ms[0].Name != "notes.md" {
		t.Fatalf("glob matches %+v", ms)
	}
	// "/" edits the pattern; esc closes.
	r.press("/")
	if !strings.Contains(screen(m), "name: *.md") {
		t.Fatalf("not editing:\n%s", screen(m))
	}
	r.press("esc")
	if m.stack.top() != nil {
		t.Fatal("esc did not close the find overlay")
	}
}

func TestFindSaysAHiddenMatchIsHidden(t *testing.T) {
	t.Parallel()
	root := makeTree(t, file{name: "sub/.dotfile", content: "x"}, file{name: "sub/z", content: "x"})
	m := localPair(t, root, root, 100, 20)
	r := newRunner(t, m)
	r.press(".") // hide dot files
	if m.focused().ShowHidden() {
		t.Fatal(". did not hide dot files")
	}
	r.press("ctrl+f")
	r.typeText("dotf")
	r.press("enter")
	f := findTop(t, m)
	r.waitFor("the search", func() bool { return !f.Running() })
	r.press("enter")
	r.waitFor("the listing", func() bool { return m.focused().Path() == filepath.Join(root, "sub") && !m.focused().Loading() })
	if !strings.Contains(m.status.text, ".dotfile is hidden: . shows hidden files") {
		t.Fatalf("status %q", m.status.text)
	}
}

// countingFS counts the listings a search starts and holds them, once
// armed, until their context ends.
type countingFS struct {
	transfer.FS
	hold            atomic.Bool
	calls, inFlight atomic.Int64
}

func (c *countingFS) ReadDir(ctx context.Context, name string) ([]fs.FileInfo, error) {
	c.calls.Add(1)
	c.inFlight.Add(1)
	defer c.inFlight.Add(-1)
	if c.hold.Load() {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	return c.FS.ReadDir(ctx, name)
}

func TestFindEscStopsTheWalk(t *testing.T) {
	t.Parallel()
	root := makeTree(t, file{name: "a/b/c.txt", content: "x"}, file{name: "d/e.txt", content: "x"})
	cfs := &countingFS{FS: local.New()}
	m := start(t, Options{Left: cfs, LeftDir: root, Right: local.New(), RightDir: root}, 100, 20)
	r := newRunner(t, m)
	cfs.hold.Store(true)
	before := cfs.calls.Load()
	r.press("ctrl+f")
	r.typeText("c")
	r.press("enter")
	f := findTop(t, m)
	r.waitFor("the root's listing to start", func() bool { return cfs.inFlight.Load() > 0 })
	r.press("esc")
	if f.Running() || !f.Stopped() || m.stack.top() != f {
		t.Fatal("esc did not stop the search, or closed the overlay")
	}
	r.waitFor("the listing to give up", func() bool { return cfs.inFlight.Load() == 0 })
	if n := cfs.calls.Load() - before; n != 1 {
		t.Fatalf("%d listings after esc; only the root's had started", n)
	}
	if !strings.Contains(screen(m), "stopped: 0 matches") {
		t.Fatalf("screen does not say stopped:\n%s", screen(m))
	}
	r.press("esc")
	if m.stack.top() != nil {
		t.Fatal("a second esc did not close")
	}
}

// dialSSHD connects to addr (sshd, or a proxy in front of it) as ferry
// does and returns the remote file system, closed when t ends.
func dialSSHD(t testing.TB, s *sshdtest.Server, addr string) *remote.FS {
	t.Helper()
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	port, _ := strconv.Atoi(portStr)
	var lines []string
	for _, k := range s.HostKeys.All() {
		lines = append(lines, knownhosts.Line([]string{"ferry-find"}, k))
	}
	kh := filepath.Join(t.TempDir(), "known_hosts")
	if err := os.WriteFile(kh, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	sess, err := remote.Dial(context.Background(), config.Host{
		Alias: "sshd", HostName: host, Port: port, User: s.User, HostKeyAlias: "ferry-find",
		IdentityFiles: []string{s.ClientKeyPath}, IdentitiesOnly: true, IdentityAgent: "none",
		UserKnownHostsFiles: []string{kh}, StrictHostKeyChecking: "yes", BatchMode: true,
	})
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	t.Cleanup(func() { sess.Close() })
	return sess.FS
}

// wideTree makes dirs directories of files files each, under dir/tree.
func wideTree(t testing.TB, dir string, dirs, files int) string {
	t.Helper()
	root := filepath.Join(dir, "tree")
	for d := range dirs {
		sub := filepath.Join(root, "g"+strconv.Itoa(d%10), "d"+strconv.Itoa(d))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		for f := range files {
			if err := os.WriteFile(filepath.Join(sub, "file"+strconv.Itoa(f)+".dat"), nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return root
}

func TestFindOverSSHDStreamsAndStops(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	root := wideTree(t, dir, 200, 20)
	s := sshdtest.Start(t, sshdtest.WithDir(dir))
	// A round trip of 20 ms keeps the walk going long enough to stop it.
	p := delayproxy.Start(t, s.Addr, 20*time.Millisecond)
	cfs := &countingFS{FS: dialSSHD(t, s, p.Addr)}
	m := start(t, Options{Left: local.New(), LeftDir: dir, Right: cfs, RightDir: root}, 100, 20)
	r := newRunner(t, m)
	r.press("tab", "ctrl+f")
	r.typeText("FILE1")
	r.press("enter")
	f := findTop(t, m)
	r.waitFor("matches to stream in", func() bool { return len(f.Matches()) > 0 })
	if !f.Running() {
		t.Fatal("the search ended before it could be stopped; make the tree bigger")
	}
	r.press("esc")
	r.waitFor("the listings to end", func() bool { return cfs.inFlight.Load() == 0 })
	after := cfs.calls.Load()
	dirs := f.Dirs()
	if dirs >= 211 {
		t.Fatalf("all %d directories were listed: the walk did not stop", dirs)
	}
	// Nothing more is listed, however long we wait for a stray request.
	time.Sleep(100 * time.Millisecond)
	if cfs.calls.Load() != after {
		t.Fatalf("listings went on after the stop: %d then %d", after, cfs.calls.Load())
	}
	// Searching again finds everything: 11 matches per directory.
	r.press("/")
	r.press("enter")
	r.waitFor("the whole search", func() bool { return !f.Running() && !f.Stopped() })
	if n := len(f.Matches()); n != 200*11 {
		t.Fatalf("%d matches, want %d", n, 200*11)
	}
	r.press("enter")
	pane := &m.panes[rightSide]
	want := f.Matches()[0]
	r.waitFor("the first match's directory", func() bool { return pane.Path() == want.Dir && !pane.Loading() })
	if cursorName(pane) != want.Name {
		t.Fatalf("cursor on %q, want %q", cursorName(pane), want.Name)
	}
}

// TestFindBenchmark20kAt10ms measures a search of a 20,000-entry remote
// tree at a 10 ms round trip. It is opt-in:
//
//	FERRY_BENCH=1 FERRY_REQUIRE_SSHD=1 go test ./tui -run TestFindBenchmark20kAt10ms -v
func TestFindBenchmark20kAt10ms(t *testing.T) {
	t.Parallel()
	if os.Getenv("FERRY_BENCH") != "1" {
		t.Skip("set FERRY_BENCH=1 to measure")
	}
	dir := t.TempDir()
	root := wideTree(t, dir, 1000, 19) // 1,000 directories + 19,000 files (+10 groups)
	s := sshdtest.Start(t, sshdtest.WithDir(dir))
	p := delayproxy.Start(t, s.Addr, 10*time.Millisecond)
	fsys := dialSSHD(t, s, p.Addr)
	for _, workers := range []int{8, find.DefaultWorkers, 32} {
		start := time.Now()
		var n int
		var last find.Batch
		for b := range find.Walk(context.Background(), fsys, root, find.NewMatcher("file7"), workers, find.Interval) {
			n += len(b.Matches)
			last = b
		}
		t.Logf("%2d directories at once: %d directories, %d matches in %v", workers, last.Dirs, n, time.Since(start).Round(time.Millisecond))
		if n != 1000 {
			t.Fatalf("%d matches", n)
		}
	}
}
