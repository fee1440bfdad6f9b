package tui

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/transfer"
)

func TestConnBackRelistsKeepingPlace(t *testing.T) {
	t.Parallel()
	right := makeTree(t,
		file{name: "sub/"}, file{name: "sub/a.txt"}, file{name: "sub/b.txt"},
		file{name: "sub/c.txt"}, file{name: "sub/d.txt"}, file{name: "top.txt"})
	w := newWatchFS("web1", right)
	m, r := startWatched(t, Options{Left: &rootedFS{label: "local", base: t.TempDir()}, Right: w}, 100, 24)
	r.press("tab")
	cursorTo(t, m, "sub")
	r.press("enter")
	p := &m.panes[rightSide]
	r.waitFor("sub listed", func() bool { return p.Path() == "/sub" && !p.Loading() })
	selectNames(t, r, "b.txt", "d.txt")
	cursorTo(t, m, "c.txt")

	w.send(ConnState{Status: ConnLost, Host: "web1", Err: errors.New("EOF")})
	w.send(ConnState{Status: ConnReconnecting, Host: "web1", Attempt: 1, MaxAttempts: 6, At: fixedNow.Add(time.Second)})
	r.waitFor("reconnecting", func() bool { return strings.Contains(statusText(m), "attempt 1 of 6") })
	// While the host was down, the directory changed.
	if err := os.Remove(filepath.Join(right, "sub", "b.txt")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(right, "sub", "new.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	before := w.listing.Load()
	w.send(ConnState{Status: ConnBack, Host: "web1"})
	r.waitFor("the pane listed again", func() bool { return listed(m, rightSide, "new.txt") && !p.Loading() })
	if n := w.listing.Load() - before; n != 1 {
		t.Errorf("%d listings after the connection came back, want 1", n)
	}
	if p.Path() != "/sub" || cursorName(p) != "c.txt" || !slices.Equal(selectedNames(p), []string{"d.txt"}) || p.NSel() != 1 {
		t.Errorf("after relisting: path %q, cursor %q, selection %q (%d)", p.Path(), cursorName(p), selectedNames(p), p.NSel())
	}
	if got := statusText(m); got != "reconnected to web1" {
		t.Errorf("status %q", got)
	}
	if m.focus != rightSide {
		t.Error("the focus moved")
	}
}

func TestConnBackRelistsBothPanesOfOneHost(t *testing.T) {
	t.Parallel()
	root := makeTree(t, file{name: "a.txt"})
	w := newWatchFS("web1", root)
	m, r := startWatched(t, Options{Left: w, Right: w}, 100, 24)
	if len(m.conns.list) != 1 {
		t.Fatalf("%d watches for one file system", len(m.conns.list))
	}
	w.send(ConnState{Status: ConnLost, Host: "web1"})
	r.waitFor("lost", func() bool {
		return strings.Contains(header(m, leftSide), "reconnecting") && strings.Contains(header(m, rightSide), "reconnecting")
	})
	if err := os.WriteFile(filepath.Join(root, "new.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	w.send(ConnState{Status: ConnBack, Host: "web1"})
	r.waitFor("both panes listed again", func() bool { return listed(m, leftSide, "new.txt") && listed(m, rightSide, "new.txt") })
}

func TestConnRefreshWhileOfflineDialsAgain(t *testing.T) {
	t.Parallel()
	right := makeTree(t, file{name: "a.txt"})
	w := newWatchFS("web1", right)
	m, r := startWatched(t, Options{Left: &rootedFS{label: "local", base: t.TempDir()}, Right: w}, 100, 24)
	p := &m.panes[rightSide]
	w.send(ConnState{Status: ConnLost, Host: "web1", Err: errors.New("EOF")})
	w.send(ConnState{Status: ConnFailed, Host: "web1", Attempt: 6, MaxAttempts: 6, Err: errors.New("connection refused")})
	waitStatus(r, "connection to web1 lost: gave up after 6 attempts: connection refused; ^r tries again")

	// The file system waits for the connection, as remote.FS does once
	// its session has given up: the listing makes it dial again.
	w.setOffline()
	before := w.listing.Load()
	r.press("tab", "ctrl+r")
	if !p.Loading() {
		t.Fatal("ctrl+r started no listing")
	}
	waitStatus(r, "reconnecting to web1…")
	if h := header(m, rightSide); !strings.Contains(h, "reconnecting…") {
		t.Errorf("header %q while the listing waits", h)
	}
	r.waitFor("the listing to wait", func() bool { return w.listing.Load() == before+1 })
	w.send(ConnState{Status: ConnReconnecting, Host: "web1", Attempt: 1, MaxAttempts: 6, At: fixedNow.Add(time.Second)})
	waitStatus(r, "reconnecting to web1, attempt 1 of 6, next in 1 s")
	if !p.Loading() || !listed(m, rightSide, "a.txt") {
		t.Fatal("the old listing went away while the host is down")
	}

	if err := os.WriteFile(filepath.Join(right, "new.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	w.setOnline()
	w.send(ConnState{Status: ConnBack, Host: "web1"})
	r.waitFor("the new listing", func() bool { return listed(m, rightSide, "new.txt") && !p.Loading() })
	waitStatus(r, "reconnected to web1")
	if h := header(m, rightSide); strings.Contains(h, "reconnecting") || strings.Contains(h, "offline") {
		t.Errorf("header %q after the connection is back", h)
	}
}

func TestConnListingLostIsAskedAgainOnce(t *testing.T) {
	t.Parallel()
	right := makeTree(t, file{name: "a.txt"})
	w := newWatchFS("web1", right)
	w.lost = 1
	m, r := startWatched(t, Options{Right: w}, 100, 24)
	if n := w.listing.Load(); n != 2 {
		t.Errorf("%d listings, want the lost one and its repeat", n)
	}
	if got := statusText(m); got != "" || !listed(m, rightSide, "a.txt") {
		t.Errorf("status %q, rows %q", got, names(&m.panes[rightSide]))
	}

	// Lost twice running, with the connection said to be up: the error
	// shows rather than a loop.
	w.mu.Lock()
	w.lost = 2
	w.mu.Unlock()
	r.press("tab", "ctrl+r")
	r.waitFor("the error", func() bool { return strings.Contains(statusText(m), "connection lost") })
	if n := w.listing.Load(); n != 4 {
		t.Errorf("%d listings, want 4", n)
	}

	// Lost while the connection is down: the connection line tells it.
	w.mu.Lock()
	w.lost = 2
	w.mu.Unlock()
	w.send(ConnState{Status: ConnLost, Host: "web1", Err: errors.New("EOF")})
	waitStatus(r, "connection to web1 lost: EOF; reconnecting…")
	r.press("ctrl+r")
	r.waitFor("both listings", func() bool { return w.listing.Load() == 6 && !m.panes[rightSide].Loading() })
	if got := statusText(m); got != "connection to web1 lost: EOF; reconnecting…" {
		t.Errorf("status %q", got)
	}
}

func TestConnWatchesFollowThePanes(t *testing.T) {
	t.Parallel()
	w := newWatchFS("web1", makeTree(t, file{name: "a.txt"}))
	other := newWatchFS("web2", makeTree(t, file{name: "b.txt"}))
	m, r := startWatched(t, Options{Left: &rootedFS{label: "local", base: t.TempDir()}, Right: w}, 100, 24)
	if len(m.conns.list) != 1 {
		t.Fatalf("%d watches", len(m.conns.list))
	}
	oldID := m.conns.list[0].id
	r.run(m.replaceFS(rightSide, other, false))
	r.waitFor("web2 listed", func() bool { return listed(m, rightSide, "b.txt") })
	if !w.stopped.Load() || len(m.conns.list) != 1 || m.conns.list[0].fs != transfer.FS(other) {
		t.Errorf("after replacing: web1 stopped %v, %d watches", w.stopped.Load(), len(m.conns.list))
	}
	// A late state of the file system no pane shows is dropped.
	m.Update(connStateMsg{id: oldID, state: ConnState{Status: ConnFailed}})
	if l := m.conns.line(100, m.keysToList()); l != "" {
		t.Errorf("connection line %q for a file system no pane shows", l)
	}
	m.quit()
	if !other.stopped.Load() || len(m.conns.list) != 0 {
		t.Error("quitting did not stop the watches")
	}
}
