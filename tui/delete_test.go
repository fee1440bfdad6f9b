package tui

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/transfer"
)

func TestDeleteFileConfirmKeys(t *testing.T) {
	t.Parallel()
	for _, k := range []string{"f8", "d", "delete"} {
		for _, yes := range []string{"y", "Y", "enter"} {
			t.Run(k+" "+yes, func(t *testing.T) {
				root := opsTree(t)
				m := localPair(t, root, root, 100, 20)
				p := &m.panes[leftSide]
				p.SetCursor(p.RowOf("name with spaces.txt"))
				if cmd := press(t, m, k); cmd != nil {
					t.Fatal("a file needs no count")
				}
				d := m.stack.top().(*deleteDialog)
				if d.Busy() || !strings.Contains(screen(m), "1 file, 5 bytes") {
					t.Fatalf("confirmation:\n%s", screen(m))
				}
				settle(t, m, press(t, m, yes))
				if exists(filepath.Join(root, "name with spaces.txt")) {
					t.Fatal("not deleted")
				}
				if m.stack.top() != nil {
					t.Errorf("overlay %T still open", m.stack.top())
				}
				if got := cursorName(p); got != "ünïcödé.txt" {
					t.Errorf("cursor on %q, want the next entry", got)
				}
			})
		}
	}
}

func TestDeleteCancelKeys(t *testing.T) {
	t.Parallel()
	for _, no := range []string{"n", "N", "esc"} {
		t.Run(no, func(t *testing.T) {
			root := opsTree(t)
			m := localPair(t, root, root, 100, 20)
			press(t, m, "j")               // tree
			settle(t, m, press(t, m, "d")) // counted
			if cmd := press(t, m, no); cmd != nil || m.stack.top() != nil {
				t.Fatalf("%s did not just close the dialog", no)
			}
			if !exists(filepath.Join(root, "tree", "sub", "b.txt")) {
				t.Error("something was deleted")
			}
		})
	}
}

func TestDeleteRecursiveCountsAndRemoves(t *testing.T) {
	t.Parallel()
	root := opsTree(t)
	if err := os.Symlink(filepath.Join(root, "keep"), filepath.Join(root, "tree", "link to keep")); err != nil {
		t.Fatal(err)
	}
	m := localPair(t, root, root, 100, 20)
	press(t, m, "j") // tree
	cmd := press(t, m, "d")
	d := m.stack.top().(*deleteDialog)
	if !d.Busy() || !strings.Contains(screen(m), "counting") {
		t.Fatalf("not counting:\n%s", screen(m))
	}
	if c := press(t, m, "y"); c != nil || m.stack.top() != d {
		t.Fatal("yes accepted before the count")
	}
	settle(t, m, cmd)
	// a.txt, b.txt and the link; tree, sub, deeper.
	if d.files != 3 || d.dirs != 3 || d.bytes != 1024+int64(len(filepath.Join(root, "keep"))) {
		t.Errorf("counted %d files, %d dirs, %d bytes", d.files, d.dirs, d.bytes)
	}
	if !strings.Contains(screen(m), "3 files and 3 directories") {
		t.Errorf("count not shown:\n%s", screen(m))
	}
	settle(t, m, press(t, m, "y"))
	if exists(filepath.Join(root, "tree")) {
		t.Fatal("tree not deleted")
	}
	if !exists(filepath.Join(root, "keep")) {
		t.Fatal("the link was followed: keep is gone")
	}
	if !strings.Contains(m.status.text, "deleted 6 entries") {
		t.Errorf("status %q", m.status.text)
	}
}

func TestDeleteSelection(t *testing.T) {
	t.Parallel()
	root := opsTree(t)
	m := localPair(t, root, root, 100, 20)
	p := &m.panes[leftSide]
	p.SetCursor(p.RowOf("name with spaces.txt"))
	press(t, m, "space", "space") // and ünïcödé
	settle(t, m, press(t, m, "f8"))
	if !strings.Contains(screen(m), "Delete 2 files") {
		t.Errorf("title:\n%s", screen(m))
	}
	settle(t, m, press(t, m, "enter"))
	if exists(filepath.Join(root, "name with spaces.txt")) || exists(filepath.Join(root, "ünïcödé.txt")) {
		t.Error("selection not deleted")
	}
	if !exists(filepath.Join(root, "esc\x1b[7mape.txt")) {
		t.Error("the entry under the cursor was deleted too")
	}
	if p.NSel() != 0 {
		t.Error("selection kept")
	}
}

// blockingFS lets one Remove through per signal, so a test can watch a
// delete's progress and stop it midway.
type blockingFS struct {
	transfer.FS
	mu      sync.Mutex
	removed []string
	gate    chan struct{}
}

func (b *blockingFS) Remove(ctx context.Context, name string) error {
	select {
	case <-b.gate:
	case <-ctx.Done():
		return ctx.Err()
	}
	b.mu.Lock()
	b.removed = append(b.removed, name)
	b.mu.Unlock()
	return b.FS.Remove(ctx, name)
}

func TestDeleteProgressAndCancel(t *testing.T) {
	t.Parallel()
	root := opsTree(t)
	bfs := &blockingFS{FS: local.New(), gate: make(chan struct{})}
	m := start(t, Options{Left: bfs, Right: local.New(), LeftDir: root, RightDir: root}, 100, 20)
	press(t, m, "j")                // tree
	settle(t, m, press(t, m, "f8")) // counted: 5 entries
	r := newRunner(t, m)
	r.press("y")
	pd, ok := m.stack.top().(*progressDialog)
	if !ok || pd.Total() != 5 {
		t.Fatalf("overlay %T %+v", m.stack.top(), m.stack.top())
	}
	bfs.gate <- struct{}{}
	bfs.gate <- struct{}{}
	r.waitFor("two removals shown", func() bool { return strings.Contains(screen(m), "removed 2 of 5") })
	r.press("esc")
	r.waitFor("the delete to stop", func() bool { return m.stack.top() == nil })
	if !strings.Contains(m.status.text, "stopped after removing 2 entries") || m.status.isErr {
		t.Errorf("status %q (error %v)", m.status.text, m.status.isErr)
	}
	if !exists(filepath.Join(root, "tree")) || len(bfs.removed) != 2 {
		t.Errorf("removed %q; tree exists %v", bfs.removed, exists(filepath.Join(root, "tree")))
	}
}

// evilFS lists ".." inside every directory, as a hostile server might. It
// is a sandbox: any call outside root fails (and is recorded), so a broken
// guard cannot delete anything outside the test's directory.
type evilFS struct {
	transfer.FS
	root    string
	escaped *atomic.Bool
}

// inside fails for paths outside the sandbox.
func (e evilFS) inside(name string) error {
	name = filepath.Clean(name)
	if name != e.root && !strings.HasPrefix(name, e.root+string(filepath.Separator)) {
		e.escaped.Store(true)
		return errors.New("escaped the sandbox: " + name)
	}
	return nil
}

func (e evilFS) ReadDir(ctx context.Context, name string) ([]fs.FileInfo, error) {
	if err := e.inside(name); err != nil {
		return nil, err
	}
	infos, err := e.FS.ReadDir(ctx, name)
	parent, _ := os.Lstat(filepath.Dir(name))
	return append(infos, renamedInfo{parent, ".."}), err
}

func (e evilFS) Lstat(ctx context.Context, name string) (fs.FileInfo, error) {
	if err := e.inside(name); err != nil {
		return nil, err
	}
	return e.FS.Lstat(ctx, name)
}

func (e evilFS) Remove(ctx context.Context, name string) error {
	if err := e.inside(name); err != nil {
		return err
	}
	if strings.Count(name, string(filepath.Separator)) > strings.Count(e.root, string(filepath.Separator))+8 {
		return errors.New("too deep")
	}
	return e.FS.Remove(ctx, name)
}

type renamedInfo struct {
	fs.FileInfo
	name string
}

func (r renamedInfo) Name() string { return r.name }

func TestDeleteRefusesDotDotFromServer(t *testing.T) {
	t.Parallel()
	root := opsTree(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	// The sandbox is the tree itself: leaving it fails.
	sandbox := evilFS{FS: local.New(), root: filepath.Join(root, "tree"), escaped: &atomic.Bool{}}
	_, err := deleteAll(ctx, sandbox, root, []string{"tree"}, &atomic.Int64{})
	if err == nil || !strings.Contains(err.Error(), "invalid name") {
		t.Fatalf("err = %v", err)
	}
	if _, _, _, err := countTree(ctx, sandbox, root, []string{"tree"}); err == nil || !strings.Contains(err.Error(), "invalid name") {
		t.Errorf("counting: %v", err)
	}
	if sandbox.escaped.Load() {
		t.Error("a walk followed ..")
	}
}

// failFS refuses to remove one name, as a server might.
type failFS struct {
	transfer.FS
	refuse string
}

func (f failFS) Remove(ctx context.Context, name string) error {
	if filepath.Base(name) == f.refuse {
		return &fs.PathError{Op: "remove", Path: name, Err: fs.ErrPermission}
	}
	return f.FS.Remove(ctx, name)
}

func TestDeleteErrorIsReported(t *testing.T) {
	t.Parallel()
	root := opsTree(t)
	m := start(t, Options{Left: failFS{local.New(), "b.txt"}, Right: local.New(), LeftDir: root, RightDir: root}, 100, 20)
	p := &m.panes[leftSide]
	press(t, m, "j") // tree
	settle(t, m, press(t, m, "d"))
	settle(t, m, press(t, m, "y"))
	want := "delete stopped after removing "
	if !m.status.isErr || !strings.Contains(m.status.text, want) || !strings.Contains(m.status.text, "b.txt: permission denied") {
		t.Errorf("status %q", m.status.text)
	}
	if !exists(filepath.Join(root, "tree", "sub", "b.txt")) || cursorName(p) != "tree" {
		t.Errorf("b.txt gone, or the cursor moved to %q", cursorName(p))
	}
}
