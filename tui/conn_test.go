package tui

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
)

// watchFS is a rootedFS whose connection states the test sends. While
// offline is set, listings wait until it is cleared (as a remote file
// system waits for its session to reconnect); lost makes that many
// listings fail as if the connection dropped under them.
type watchFS struct {
	*rootedFS
	ch      chan ConnState
	once    sync.Once
	stopped atomic.Bool

	mu      sync.Mutex
	online  chan struct{} // closed while online
	lost    int
	listing atomic.Int32 // listings started
}

var _ ConnWatcher = (*watchFS)(nil)

func newWatchFS(label, base string) *watchFS {
	on := make(chan struct{})
	close(on)
	return &watchFS{rootedFS: &rootedFS{label: label, base: base, linkTime: mtimeOld}, ch: make(chan ConnState, 16), online: on}
}

func (f *watchFS) WatchConn() (<-chan ConnState, func()) {
	return f.ch, func() {
		f.once.Do(func() {
			f.stopped.Store(true)
			close(f.ch)
		})
	}
}

// send reports a state change, as a session does.
func (f *watchFS) send(st ConnState) { f.ch <- st }

// setOffline makes listings wait until setOnline.
func (f *watchFS) setOffline() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.online = make(chan struct{})
}

func (f *watchFS) setOnline() {
	f.mu.Lock()
	defer f.mu.Unlock()
	select {
	case <-f.online:
	default:
		close(f.online)
	}
}

func (f *watchFS) ReadDir(ctx context.Context, name string) ([]fs.FileInfo, error) {
	f.listing.Add(1)
	f.mu.Lock()
	on := f.online
	lost := f.lost > 0
	if lost {
		f.lost--
	}
	f.mu.Unlock()
	if lost {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: lostErr{}}
	}
	select {
	case <-on:
	case <-ctx.Done():
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: ctx.Err()}
	}
	return f.rootedFS.ReadDir(ctx, name)
}

// lostErr says the connection was lost, as remote.StatusError does for
// SFTP status 7.
type lostErr struct{}

func (lostErr) Error() string        { return "connection lost (SFTP status 7)" }
func (lostErr) ConnectionLost() bool { return true }

// testClock is a clock the test moves.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// startWatched starts a model whose Cmds run concurrently (watching a
// connection blocks, so start's synchronous settle cannot be used) and
// waits for both panes' first listings.
func startWatched(t *testing.T, opts Options, width, height int) (*Model, *runner) {
	t.Helper()
	if opts.Now == nil {
		opts.Now = func() time.Time { return fixedNow }
	}
	m := New(opts)
	t.Cleanup(func() { m.quit() })
	r := newRunner(t, m)
	r.send(tea.WindowSizeMsg{Width: width, Height: height})
	r.run(m.Init())
	r.waitFor("the first listings", func() bool {
		return (opts.Left == nil || m.panes[leftSide].Loaded()) && (opts.Right == nil || m.panes[rightSide].Loaded())
	})
	return m, r
}

// statusText is the status line without styles.
func statusText(m *Model) string { return strings.TrimRight(ansi.Strip(m.statusLine()), " ") }

// header is the header line of the pane on side s, without styles.
func header(m *Model, s side) string { return ansi.Strip(m.panes[s].HeaderView(&m.styles)) }

// waitStatus waits until the status line reads want.
func waitStatus(r *runner, want string) {
	r.t.Helper()
	r.waitFor("status "+want, func() bool { return statusText(r.m) == want })
}

func TestConnReconnectingCountsDown(t *testing.T) {
	t.Parallel()
	right := makeTree(t, file{name: "a.txt", content: "a"})
	w := newWatchFS("web1", right)
	clk := &testClock{t: fixedNow}
	m, r := startWatched(t, Options{Left: &rootedFS{label: "local", base: t.TempDir()}, Right: w, Now: clk.now}, 120, 24)
	if got := statusText(m); got != "" {
		t.Fatalf("status while up: %q", got)
	}

	w.send(ConnState{Status: ConnUp, Host: "web1"})
	w.send(ConnState{Status: ConnLost, Host: "web1", Err: errors.New("EOF")})
	waitStatus(r, "connection to web1 lost: EOF; reconnecting…")
	if h := header(m, rightSide); !strings.Contains(h, "reconnecting…") {
		t.Errorf("right header %q does not say reconnecting", h)
	}
	if h := header(m, leftSide); strings.Contains(h, "reconnecting") {
		t.Errorf("left header %q says reconnecting", h)
	}

	w.send(ConnState{Status: ConnReconnecting, Host: "web1", Attempt: 3, MaxAttempts: 6,
		At: clk.now().Add(4 * time.Second), Err: errors.New("dial tcp: connection refused")})
	waitStatus(r, "reconnecting to web1, attempt 3 of 6, next in 4 s (last attempt: dial tcp: connection refused)")
	if !m.conns.ticking {
		t.Error("no countdown tick armed while reconnecting")
	}
	if d, ok := m.conns.nextTick(); !ok || d < time.Second || d > time.Second+50*time.Millisecond {
		t.Errorf("next tick in %v, %v; want about a second", d, ok)
	}

	// The countdown follows the clock; a key press does not hide it.
	clk.add(1500 * time.Millisecond)
	r.send(connTickMsg{})
	r.press("j")
	waitStatus(r, "reconnecting to web1, attempt 3 of 6, next in 3 s (last attempt: dial tcp: connection refused)")
	if d, ok := m.conns.nextTick(); !ok || d < 500*time.Millisecond || d > 550*time.Millisecond {
		t.Errorf("next tick in %v, %v; want when 3 s turns to 2 s", d, ok)
	}
	clk.add(3 * time.Second)
	r.send(connTickMsg{})
	waitStatus(r, "reconnecting to web1, attempt 3 of 6… (last attempt: dial tcp: connection refused)")
	if _, ok := m.conns.nextTick(); ok {
		t.Error("a tick is wanted with no countdown on screen")
	}

	w.send(ConnState{Status: ConnBack, Host: "web1"})
	waitStatus(r, "reconnected to web1")
	r.send(connTickMsg{})
	if m.conns.ticking {
		t.Error("the countdown ticks on after the connection is back")
	}
	if h := header(m, rightSide); strings.Contains(h, "reconnecting") || strings.Contains(h, "offline") {
		t.Errorf("right header %q after the connection is back", h)
	}
	r.press("j")
	if got := statusText(m); got != "" {
		t.Errorf("status after a key with every connection up: %q", got)
	}
}

func TestConnFailedSaysHowToRetry(t *testing.T) {
	t.Parallel()
	right := makeTree(t, file{name: "a.txt", content: "a"})
	w := newWatchFS("web1", right)
	m, r := startWatched(t, Options{Right: w}, 100, 24)
	// Every "press X" text comes from the key map.
	m.keys.Refresh = key.NewBinding(key.WithKeys("f9"), key.WithHelp("F9", "refresh"))

	w.send(ConnState{Status: ConnFailed, Host: "web1", Attempt: 6, MaxAttempts: 6, Err: errors.New("dial tcp: connection refused")})
	waitStatus(r, "connection to web1 lost: gave up after 6 attempts: dial tcp: connection refused; F9 tries again")
	if h := header(m, rightSide); !strings.Contains(h, "offline") {
		t.Errorf("right header %q does not say offline", h)
	}
	// Another message shows until the next key; then the line is back.
	m.status.setInfo("something else")
	if got := statusText(m); got != "something else" {
		t.Errorf("status %q", got)
	}
	r.press("j")
	waitStatus(r, "connection to web1 lost: gave up after 6 attempts: dial tcp: connection refused; F9 tries again")
}

func TestConnTextIsSanitised(t *testing.T) {
	t.Parallel()
	w := newWatchFS("web1", makeTree(t, file{name: "a.txt"}))
	m, r := startWatched(t, Options{Right: w}, 200, 10)
	w.send(ConnState{Status: ConnReconnecting, Host: "evil\x1b]0;title\a", Attempt: 1, MaxAttempts: 6,
		At: fixedNow.Add(time.Second), Err: errors.New("refused\x1b[2J\nnext\u202eline")})
	r.waitFor("the reconnecting line", func() bool { return strings.Contains(statusText(m), "reconnecting to") })
	raw := m.View().Content
	for _, bad := range []string{"\x1b]0;", "\x1b[2J", "\a", "\u202e", "\nnext"} {
		if strings.Contains(raw, bad) {
			t.Errorf("view contains raw %q", bad)
		}
	}
	want := `reconnecting to evil\x1b]0;title\x07, attempt 1 of 6, next in 1 s (last attempt: refused\x1b[2J\x0anext\u202eline)`
	if got := statusText(m); got != want {
		t.Errorf("status\n got %q\nwant %q", got, want)
	}
}

func TestGoldenConn(t *testing.T) {
	t.Parallel()
	left, right := goldenLeftTree(t), goldenRightTree(t)
	for _, tt := range []struct {
		name  string
		state ConnState
	}{
		{"80x24 reconnecting", ConnState{Status: ConnReconnecting, Host: "web1", Attempt: 3, MaxAttempts: 6,
			At: fixedNow.Add(4 * time.Second), Err: errors.New("dial tcp 192.0.2.1:22: connect: connection refused")}},
		{"80x24 gave up", ConnState{Status: ConnFailed, Host: "web1", Attempt: 6, MaxAttempts: 6,
			Err: errors.New("dial tcp 192.0.2.1:22: connect: connection refused")}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := newWatchFS("web1", right)
			m, r := startWatched(t, Options{Left: &rootedFS{label: "local", base: left, linkTime: mtimeOld}, Right: w}, 80, 24)
			w.send(tt.state)
			r.waitFor("the connection line", func() bool { return m.conns.line(80, m.keysToList()) != "" })
			golden.RequireEqual(t, screen(m))
		})
	}
}
