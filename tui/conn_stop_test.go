package tui

import (
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"charm.land/bubbles/v2/key"
	"github.com/charmbracelet/x/exp/golden"
)

// stopFS is a watchFS whose reconnect attempts can be stopped: like
// remote.FS, a stop reports ConnFailed (Stopped) through the watch.
type stopFS struct {
	*watchFS
	stops atomic.Int32
}

var _ ReconnectStopper = (*stopFS)(nil)

func newStopFS(label, base string) *stopFS { return &stopFS{watchFS: newWatchFS(label, base)} }

// StopReconnect counts the call and reports the stop without blocking.
func (f *stopFS) StopReconnect() {
	f.stops.Add(1)
	select {
	case f.ch <- ConnState{Status: ConnFailed, Host: f.label, Attempt: 2, MaxAttempts: 6, Stopped: true, Err: errors.New("reconnecting stopped by the user")}:
	default:
	}
}

// reconnectingAt is the state of attempt 3 of 6, due in 4 s.
func reconnectingAt(host string) ConnState {
	return ConnState{Status: ConnReconnecting, Host: host, Attempt: 3, MaxAttempts: 6, At: fixedNow.Add(4 * time.Second)}
}

func TestEscStopsReconnectingThenClearsSelection(t *testing.T) {
	t.Parallel()
	right := makeTree(t, file{name: "a.txt"}, file{name: "b.txt"})
	w := newStopFS("web1", right)
	m, r := startWatched(t, Options{Left: &rootedFS{label: "local", base: t.TempDir()}, Right: w}, 120, 24)
	r.press("tab")
	selectNames(t, r, "a.txt")

	w.send(reconnectingAt("web1"))
	waitStatus(r, "reconnecting to web1, attempt 3 of 6, next in 4 s; esc stops")
	r.press("esc")
	if n := w.stops.Load(); n != 1 {
		t.Fatalf("StopReconnect called %d times, want 1", n)
	}
	if p := &m.panes[rightSide]; p.NSel() != 1 {
		t.Errorf("esc stopped reconnecting and cleared the selection too (%d selected)", p.NSel())
	}
	waitStatus(r, "connection to web1 lost: reconnecting stopped; ^r tries again")
	if h := header(m, rightSide); !strings.Contains(h, "offline") {
		t.Errorf("header %q after stopping", h)
	}

	// With no host reconnecting, esc means what it meant before.
	r.press("esc")
	if n, p := w.stops.Load(), &m.panes[rightSide]; n != 1 || p.NSel() != 0 {
		t.Errorf("second esc: %d stops, %d selected; want 1 and 0", n, p.NSel())
	}
}

func TestEscStopsReconnectingOnlyWithNothingOnTop(t *testing.T) {
	t.Parallel()
	right := makeTree(t, file{name: "a.txt"})
	w := newStopFS("web1", right)
	m, r := startWatched(t, Options{Left: &rootedFS{label: "local", base: t.TempDir()}, Right: w}, 120, 24)
	w.send(ConnState{Status: ConnLost, Host: "web1", Err: errors.New("EOF")})
	waitStatus(r, "connection to web1 lost: EOF; reconnecting…; esc stops")

	// A dialog takes esc first, and the line does not offer it meanwhile.
	r.press("n") // mkdir
	if _, ok := m.stack.top().(*inputDialog); !ok {
		t.Fatalf("overlay %T, want the mkdir dialog", m.stack.top())
	}
	if got := statusText(m); got != "connection to web1 lost: EOF; reconnecting…" {
		t.Errorf("status under a dialog: %q", got)
	}
	r.press("esc")
	if m.stack.top() != nil || w.stops.Load() != 0 {
		t.Fatalf("esc on the dialog: overlay %T, %d stops", m.stack.top(), w.stops.Load())
	}

	// So does the filter input.
	r.press("/")
	r.typeText("a")
	r.press("esc")
	if m.filter.active || w.stops.Load() != 0 {
		t.Fatalf("esc in the filter: filtering %v, %d stops", m.filter.active, w.stops.Load())
	}

	w.send(reconnectingAt("web1"))
	waitStatus(r, "reconnecting to web1, attempt 3 of 6, next in 4 s; esc stops")
	r.press("esc")
	if n := w.stops.Load(); n != 1 {
		t.Fatalf("%d stops with nothing on top, want 1", n)
	}
}

func TestStopReconnectKeyComesFromKeyMap(t *testing.T) {
	t.Parallel()
	right := makeTree(t, file{name: "a.txt"})
	w := newStopFS("web1", right)
	m, r := startWatched(t, Options{Right: w}, 120, 24)
	m.keys.StopReconnect = key.NewBinding(key.WithKeys("ctrl+x"), key.WithHelp("^x", "stop reconnecting"))
	w.send(reconnectingAt("web1"))
	waitStatus(r, "reconnecting to web1, attempt 3 of 6, next in 4 s; ^x stops")
	r.press("esc")
	if w.stops.Load() != 0 {
		t.Fatal("esc stopped reconnecting with the key bound to ^x")
	}
	r.press("ctrl+x")
	if w.stops.Load() != 1 {
		t.Fatal("^x did not stop reconnecting")
	}
}

// TestEscStopsEveryReconnectingHost: the line offers esc for each host
// that is reconnecting, and esc stops them all; a file system that cannot
// stop is neither offered nor called.
func TestEscStopsEveryReconnectingHost(t *testing.T) {
	t.Parallel()
	a := newStopFS("web1", makeTree(t, file{name: "a.txt"}))
	b := newStopFS("web2", makeTree(t, file{name: "b.txt"}))
	_, r := startWatched(t, Options{Left: a, Right: b}, 200, 24)
	a.send(reconnectingAt("web1"))
	b.send(reconnectingAt("web2"))
	waitStatus(r, "reconnecting to web1, attempt 3 of 6, next in 4 s; esc stops · reconnecting to web2, attempt 3 of 6, next in 4 s; esc stops")
	r.press("esc")
	if a.stops.Load() != 1 || b.stops.Load() != 1 {
		t.Errorf("stops: web1 %d, web2 %d; want 1 each", a.stops.Load(), b.stops.Load())
	}

	plain := newWatchFS("web3", makeTree(t, file{name: "c.txt"}))
	m2, r2 := startWatched(t, Options{Right: plain}, 120, 24)
	r2.press("tab")
	selectNames(t, r2, "c.txt")
	plain.send(reconnectingAt("web3"))
	waitStatus(r2, "reconnecting to web3, attempt 3 of 6, next in 4 s")
	r2.press("esc")
	if p := &m2.panes[rightSide]; p.NSel() != 0 {
		t.Error("esc did not clear the selection beside a host that cannot stop")
	}
}

func TestGoldenConnStoppable(t *testing.T) {
	t.Parallel()
	left, right := goldenLeftTree(t), goldenRightTree(t)
	w := newStopFS("web1", right)
	m, r := startWatched(t, Options{Left: &rootedFS{label: "local", base: left, linkTime: mtimeOld}, Right: w}, 80, 24)
	st := reconnectingAt("web1")
	st.Err = errors.New("dial tcp 192.0.2.1:22: connect: connection refused")
	w.send(st)
	r.waitFor("the connection line", func() bool { return strings.HasSuffix(m.conns.line(80, m.keysToList()), "esc stops") })
	golden.RequireEqual(t, screen(m))
}
