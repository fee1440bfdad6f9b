package tui

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/places"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/marks"
	"github.com/ferry-tui/ferry/tui/picker"
)

// markDirFS is a remote stand-in that starts where host:path said.
type markDirFS struct {
	*rootedFS
	dir string
}

func (s markDirFS) StartDir() string { return s.dir }

// fakeConnect "connects" to any alias, or alias:path, showing root under
// the alias's label, and records what it was asked for.
type fakeConnect struct {
	root string
	mu   sync.Mutex
	asks []string
}

func (f *fakeConnect) connect(_ context.Context, alias string, _ Asker) (transfer.FS, error) {
	f.mu.Lock()
	f.asks = append(f.asks, alias)
	f.mu.Unlock()
	host, dir, _ := strings.Cut(alias, ":")
	return markDirFS{&rootedFS{label: host, base: f.root}, dir}, nil
}

// placesModel starts a model over root in both panes (local on the
// left, "web1" on the right), keeping places in dir.
func placesModel(t *testing.T, root, dir string, fc *fakeConnect) *Model {
	t.Helper()
	return start(t, Options{
		Left: local.New(), LeftDir: root, Local: local.New(),
		Right: &rootedFS{label: "web1", base: root}, RightDir: "/srv",
		Hosts: testHosts, Connect: fc.connect, Places: places.NewStore(dir),
	}, 100, 24)
}

func TestBookmarksAddListJumpRenameDeletePersist(t *testing.T) {
	t.Parallel()
	root := makeTree(t, file{name: "srv/www/index.html", content: "x"}, file{name: "home/a.txt", content: "x"})
	state := filepath.Join(t.TempDir(), "ferry")
	fc := &fakeConnect{root: root}
	m := placesModel(t, root, state, fc)

	// B bookmarks the focused pane's directory: local first, then web1.
	settle(t, m, press(t, m, "B"))
	if !strings.Contains(m.status.text, "bookmarked local:"+root+" as "+filepath.Base(root)) {
		t.Fatalf("status %q", m.status.text)
	}
	settle(t, m, press(t, m, "tab"))
	settle(t, m, press(t, m, "enter")) // /srv/www
	settle(t, m, press(t, m, "B"))
	settle(t, m, press(t, m, "B"))
	if !strings.Contains(m.status.text, "bookmarked already, as www") {
		t.Fatalf("second B: status %q", m.status.text)
	}
	saved, err := places.NewStore(state).Load()
	if err != nil || len(saved.Bookmarks) != 2 || saved.Bookmarks[1] != (places.Bookmark{Name: "www", Host: "web1", Path: "/srv/www"}) {
		t.Fatalf("saved %+v, %v", saved, err)
	}

	// b lists them; enter on the first (local) jumps the focused (right)
	// pane there.
	settle(t, m, press(t, m, "b"))
	if _, ok := topIs[*marks.Model](&m.stack); !ok {
		t.Fatalf("b did not open the list: %T", m.stack.top())
	}
	if out := screen(m); !strings.Contains(out, "www") || !strings.Contains(out, "web1:/srv/www") {
		t.Fatalf("list:\n%s", out)
	}
	settle(t, m, press(t, m, "enter"))
	right := &m.panes[rightSide]
	if m.stack.top() != nil || right.FS().Label() != "local" || right.Path() != root {
		t.Fatalf("jump: top %T, right %s", m.stack.top(), right.Label())
	}

	// Rename the second, delete the first.
	settle(t, m, press(t, m, "b"))
	l, _ := topIs[*marks.Model](&m.stack)
	settle(t, m, press(t, m, "down", "r", "ctrl+u"))
	if !l.Renaming() {
		t.Fatal("r does not rename")
	}
	settle(t, m, typeText(t, m, "site"))
	settle(t, m, press(t, m, "enter"))
	settle(t, m, press(t, m, "up", "d"))
	if got := m.places.p.Bookmarks; len(got) != 1 || got[0].Name != "site" {
		t.Fatalf("bookmarks %+v", got)
	}
	settle(t, m, press(t, m, "esc"))

	// A new run reads them back; the picker shows the bookmark with the
	// hosts, and picking it shows web1, open in the right pane already,
	// at the path.
	m2 := placesModel(t, root, state, fc)
	if got := m2.places.p.Bookmarks; len(got) != 1 || got[0].Name != "site" || got[0].Path != "/srv/www" {
		t.Fatalf("new run read %+v", got)
	}
	settle(t, m2, press(t, m2, "tab", "o"))
	pk := openPicker(t, m2)
	if got := pk.Labels(); !slices.Equal(got[:2], []string{"★ site", "local"}) {
		t.Fatalf("picker %q", got)
	}
	settle(t, m2, press(t, m2, "enter"))
	r2 := &m2.panes[rightSide]
	if r2.FS().Label() != "web1" || r2.Path() != "/srv/www" {
		t.Fatalf("picked bookmark: right %s", r2.Label())
	}
	if len(fc.asks) != 0 {
		t.Fatalf("connected to %q", fc.asks)
	}
}

func TestBookmarkJumpReusesOrConnects(t *testing.T) {
	t.Parallel()
	root := makeTree(t, file{name: "srv/www/index.html", content: "x"}, file{name: "etc/x", content: "x"})
	state := t.TempDir()
	if err := places.NewStore(state).Save(places.Places{Bookmarks: []places.Bookmark{
		{Name: "www", Host: "web1", Path: "/srv/www"},
		{Name: "etc", Host: "db", Path: "/etc"},
	}}); err != nil {
		t.Fatal(err)
	}
	fc := &fakeConnect{root: root}
	m := placesModel(t, root, state, fc)
	left := &m.panes[leftSide]
	// web1 is open in the right pane: the left pane shows it too, with
	// no new connection.
	settle(t, m, press(t, m, "b", "enter"))
	if left.FS() != m.panes[rightSide].FS() || left.Path() != "/srv/www" || len(fc.asks) != 0 {
		t.Fatalf("left %s, asks %q", left.Label(), fc.asks)
	}
	// db is open nowhere: it is connected to at the path.
	settle(t, m, press(t, m, "b", "down", "enter"))
	if left.FS().Label() != "db" || left.Path() != "/etc" || !slices.Equal(fc.asks, []string{"db:/etc"}) {
		t.Fatalf("left %s, asks %q", left.Label(), fc.asks)
	}
	if _, ok := findOverlay[*picker.Model](&m.stack); ok {
		t.Fatal("the picker stayed open")
	}
}

func TestRecentHostsComeFirstInTheNextRun(t *testing.T) {
	t.Parallel()
	root := makeTree(t, file{name: "a.txt", content: "x"})
	state := t.TempDir()
	fc := &fakeConnect{root: root}
	m := placesModel(t, root, state, fc)
	for _, h := range []string{"db", "zeta"} {
		settle(t, m, press(t, m, "o"))
		settle(t, m, typeText(t, m, h))
		settle(t, m, press(t, m, "enter"))
		if m.focused().FS().Label() != h {
			t.Fatalf("did not open %s: %s", h, m.focused().Label())
		}
	}
	m2 := placesModel(t, root, state, fc)
	settle(t, m2, press(t, m2, "o"))
	pk := openPicker(t, m2)
	want := []string{"zeta", "db", "local", "web1", `backup\x1b[31m`}
	if got := pk.Labels(); !slices.Equal(got, want) {
		t.Fatalf("picker %q, want %q", got, want)
	}
	if !strings.Contains(screen(m2), "recent  postgres@10.0.0.5") {
		t.Fatalf("screen:\n%s", screen(m2))
	}
}

func TestTheHostOpenedAtStartIsRecent(t *testing.T) {
	t.Parallel()
	root := makeTree(t, file{name: "a.txt", content: "x"})
	state := t.TempDir()
	if err := places.NewStore(state).Save(places.Places{Recent: []string{"db", "web1"}}); err != nil {
		t.Fatal(err)
	}
	m := start(t, Options{Left: local.New(), LeftDir: root, Local: local.New(),
		Right: &rootedFS{label: "web1", base: root}, OpenedHost: "web1",
		Hosts: testHosts, Places: places.NewStore(state)}, 100, 24)
	if got := m.places.p.Recent; !slices.Equal(got, []string{"web1", "db"}) {
		t.Fatalf("recent %q", got)
	}
	saved, err := places.NewStore(state).Load()
	if err != nil || !slices.Equal(saved.Recent, []string{"web1", "db"}) {
		t.Fatalf("saved %+v, %v", saved, err)
	}
}

func TestPickingABookmarkOfAnOpenHostReusesIt(t *testing.T) {
	t.Parallel()
	root := makeTree(t, file{name: "srv/www/index.html", content: "x"})
	state := t.TempDir()
	if err := places.NewStore(state).Save(places.Places{Bookmarks: []places.Bookmark{
		{Name: "www", Host: "web1", Path: "/srv/www"}, {Name: "dbsrv", Host: "db", Path: "/srv"},
	}}); err != nil {
		t.Fatal(err)
	}
	fc := &fakeConnect{root: root}
	m := placesModel(t, root, state, fc)
	settle(t, m, press(t, m, "o"))
	settle(t, m, typeText(t, m, "www"))
	settle(t, m, press(t, m, "enter"))
	left := &m.panes[leftSide]
	if m.stack.top() != nil || left.FS() != m.panes[rightSide].FS() || left.Path() != "/srv/www" || len(fc.asks) != 0 {
		t.Fatalf("top %T, left %s, asks %q", m.stack.top(), left.Label(), fc.asks)
	}
	// A bookmark of a host open nowhere connects to host:path.
	settle(t, m, press(t, m, "o"))
	settle(t, m, typeText(t, m, "dbsrv"))
	settle(t, m, press(t, m, "enter"))
	if m.stack.top() != nil || left.FS().Label() != "db" || left.Path() != "/srv" || !slices.Equal(fc.asks, []string{"db:/srv"}) {
		t.Fatalf("top %T, left %s, asks %q", m.stack.top(), left.Label(), fc.asks)
	}
}

func TestTwoRunsKeepEachOthersBookmarks(t *testing.T) {
	t.Parallel()
	root := makeTree(t, file{name: "srv/www/index.html", content: "x"})
	state := t.TempDir()
	fc := &fakeConnect{root: root}
	m1 := placesModel(t, root, state, fc)
	m2 := placesModel(t, root, state, fc) // started before m1 bookmarks
	settle(t, m1, press(t, m1, "B"))
	settle(t, m2, press(t, m2, "tab", "enter")) // /srv/www on web1
	settle(t, m2, press(t, m2, "B"))
	saved, err := places.NewStore(state).Load()
	if err != nil || len(saved.Bookmarks) != 2 {
		t.Fatalf("saved %+v, %v", saved, err)
	}
	if len(m2.places.p.Bookmarks) != 2 {
		t.Fatalf("the second run does not see the first's bookmark: %+v", m2.places.p.Bookmarks)
	}
	// Deleting in one run deletes that bookmark only.
	for _, k := range []string{"b", "d", "esc"} {
		settle(t, m1, press(t, m1, k))
	}
	saved, _ = places.NewStore(state).Load()
	if len(saved.Bookmarks) != 1 || saved.Bookmarks[0].Host != "web1" {
		t.Fatalf("after the delete %+v", saved.Bookmarks)
	}
}
