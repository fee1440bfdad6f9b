package tui

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/queue"
)

// flakyFS is the local file system under another label, so that copies
// to and from local.FS go through the engine; while fail is set, opening
// a file whose name contains "bad" fails.
type flakyFS struct {
	transfer.FS
	fail atomic.Bool
}

func newFlaky(fail bool) *flakyFS {
	f := &flakyFS{FS: local.New()}
	f.fail.Store(fail)
	return f
}

func (f *flakyFS) Label() string { return "flaky" }

func (f *flakyFS) Open(ctx context.Context, name string) (io.ReadCloser, error) {
	if f.fail.Load() && strings.Contains(filepath.Base(name), "bad") {
		return nil, &fs.PathError{Op: "open", Path: name, Err: errors.New("simulated I/O error")}
	}
	return f.FS.Open(ctx, name)
}

// engineModel starts a model with a real engine over left and right, and
// a runner that drives its Cmds concurrently.
func engineModel(t *testing.T, lfs, rfs transfer.FS, left, right string, width, height int) (*Model, *runner, *transfer.Engine) {
	t.Helper()
	e := transfer.New(transfer.Options{Workers: 4})
	t.Cleanup(func() { e.Close() })
	m := start(t, Options{Left: lfs, Right: rfs, LeftDir: left, RightDir: right, Engine: e}, width, height)
	return m, newRunner(t, m), e
}

// cursorTo puts the focused pane's cursor on name.
func cursorTo(t *testing.T, m *Model, name string) {
	t.Helper()
	p := m.focused()
	row := p.RowOf(name)
	if row < 0 {
		t.Fatalf("%q not listed: %q", name, names(p))
	}
	p.SetCursor(row)
}

// selectNames selects names in the focused pane.
func selectNames(t *testing.T, r *runner, names ...string) {
	t.Helper()
	for _, n := range names {
		cursorTo(t, r.m, n)
		r.press("space")
	}
}

// submit confirms the open copy dialog, optionally with another
// destination.
func submit(t *testing.T, r *runner, dst string) {
	t.Helper()
	if d, ok := r.m.stack.top().(*inputDialog); !ok || !strings.HasPrefix(d.Title(), "Copy ") && !strings.HasPrefix(d.Title(), "Move ") {
		t.Fatalf("overlay = %T %+v, want the copy or move dialog", r.m.stack.top(), r.m.stack.top())
	}
	if dst != "" {
		r.press("ctrl+u")
		r.typeText(dst)
	}
	r.press("enter")
}

// settled reports whether every batch the model submitted has finished,
// moves included, and the engine is idle.
func settled(m *Model) bool {
	if m.xfer.engine == nil || queue.Busy(m.xfer.engine.Snapshot()) {
		return false
	}
	for _, b := range m.xfer.batches {
		if b.open {
			return false
		}
	}
	return len(m.xfer.batches) > 0
}

// waitSettled waits until settled.
func waitSettled(r *runner) {
	r.t.Helper()
	r.waitFor("the transfers to settle", func() bool { return settled(r.m) })
}

// content reads a file, or returns "<missing>".
func content(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "<missing>"
	}
	return string(b)
}

// listed reports whether the pane on side s lists name.
func listed(m *Model, s side, name string) bool {
	return slices.Contains(names(&m.panes[s]), name)
}

func TestCopyFileAndTree(t *testing.T) {
	t.Parallel()
	for _, k := range []string{"f5", "c"} {
		t.Run(k, func(t *testing.T) {
			left := makeTree(t,
				file{name: "a.txt", content: "alpha"},
				file{name: "tree/"},
				file{name: "tree/x.txt", content: "ex"},
				file{name: "tree/sub/"},
				file{name: "tree/sub/y näme.txt", content: "why"},
				file{name: "tree/empty/"},
				file{name: "stay.txt", content: "not copied"},
			)
			right := t.TempDir()
			m, r, _ := engineModel(t, local.New(), local.New(), left, right, 100, 24)
			selectNames(t, r, "a.txt", "tree")
			r.press(k)
			if !strings.Contains(screen(m), "Copy 2 entries to local:/") {
				t.Fatalf("dialog:\n%s", screen(m))
			}
			submit(t, r, "")
			waitSettled(r)
			for rel, want := range map[string]string{
				"a.txt": "alpha", "tree/x.txt": "ex", "tree/sub/y näme.txt": "why",
				"stay.txt": "<missing>",
			} {
				if got := content(filepath.Join(right, rel)); got != want {
					t.Errorf("%s = %q, want %q", rel, got, want)
				}
			}
			if fi, err := os.Stat(filepath.Join(right, "tree", "empty")); err != nil || !fi.IsDir() {
				t.Errorf("empty directory not copied: %v", err)
			}
			if content(filepath.Join(left, "a.txt")) != "alpha" || !exists(filepath.Join(left, "tree", "x.txt")) {
				t.Error("a copy touched its sources")
			}
			if m.panes[leftSide].NSel() != 0 {
				t.Error("selection kept after the copy was submitted")
			}
			r.waitFor("the destination pane to list the copies", func() bool {
				return listed(m, rightSide, "a.txt") && listed(m, rightSide, "tree")
			})
			if !strings.Contains(m.status.text, "copy to local:"+right+" finished") {
				t.Errorf("status %q", m.status.text)
			}
		})
	}
}

func TestCopyToEditedDestination(t *testing.T) {
	t.Parallel()
	left := makeTree(t, file{name: "a.txt", content: "alpha"})
	right := makeTree(t, file{name: "sub/"})
	m, r, _ := engineModel(t, local.New(), local.New(), left, right, 100, 24)
	cursorTo(t, m, "a.txt")
	r.press("f5")
	submit(t, r, "sub/renamed.txt") // relative to the destination pane
	waitSettled(r)
	if got := content(filepath.Join(right, "sub", "renamed.txt")); got != "alpha" {
		t.Errorf("renamed.txt = %q", got)
	}
}

func TestCopyRefusesIntoItself(t *testing.T) {
	t.Parallel()
	root := makeTree(t, file{name: "tree/"}, file{name: "tree/a.txt", content: "a"})
	m, r, e := engineModel(t, local.New(), local.New(), root, root, 100, 24)
	cursorTo(t, m, "tree")
	r.press("f5")
	submit(t, r, "tree")
	r.waitFor("the refusal", func() bool { return m.status.isErr })
	if !strings.Contains(m.status.text, "into itself") || e.Snapshot().Jobs != 0 {
		t.Errorf("status %q, %d jobs", m.status.text, e.Snapshot().Jobs)
	}
}

func TestCopyRemoteToRemote(t *testing.T) {
	t.Parallel()
	left := makeTree(t, file{name: "tree/"}, file{name: "tree/a.txt", content: "from web1"})
	right := t.TempDir()
	lfs, rfs := &rootedFS{label: "web1", base: left}, &rootedFS{label: "web2", base: right}
	m, r, _ := engineModel(t, lfs, rfs, "", "", 100, 24)
	cursorTo(t, m, "tree")
	r.press("f5")
	if !strings.Contains(screen(m), "Copy tree to web2:/?") {
		t.Fatalf("dialog:\n%s", screen(m))
	}
	submit(t, r, "")
	waitSettled(r)
	if got := content(filepath.Join(right, "tree", "a.txt")); got != "from web1" {
		t.Errorf("copy = %q", got)
	}
}

func TestCopyWithoutEngine(t *testing.T) {
	t.Parallel()
	root := opsTree(t)
	m := localPair(t, root, root, 100, 24)
	press(t, m, "c")
	if m.stack.top() != nil || m.status.text != "copying needs the transfer engine" {
		t.Errorf("c: overlay %T status %q", m.stack.top(), m.status.text)
	}
	press(t, m, "f6")
	if m.stack.top() != nil || m.status.text != "moving needs the transfer engine" {
		t.Errorf("f6: overlay %T status %q", m.stack.top(), m.status.text)
	}
	press(t, m, "w")
	if m.stack.top() != nil || !strings.Contains(m.status.text, "transfer engine") {
		t.Errorf("w: overlay %T status %q", m.stack.top(), m.status.text)
	}
}

func TestCopyNeedsOtherPane(t *testing.T) {
	t.Parallel()
	e := transfer.New(transfer.Options{})
	t.Cleanup(func() { e.Close() })
	m := start(t, Options{Left: local.New(), LeftDir: opsTree(t), Engine: e}, 100, 24)
	press(t, m, "esc") // the start picker
	press(t, m, "c")
	if m.stack.top() != nil || !strings.Contains(m.status.text, "other pane") {
		t.Errorf("overlay %T status %q", m.stack.top(), m.status.text)
	}
}

func TestQuitAsksWhenTransfersRun(t *testing.T) {
	t.Parallel()
	for _, k := range []string{"q", "f10"} {
		t.Run(k, func(t *testing.T) {
			left, right := numberedFiles(t, 2), t.TempDir()
			m, r, e := engineModel(t, local.New(), local.New(), left, right, 100, 20)
			e.Pause()
			copyAll(t, r)
			planned(r, e, 2)
			if isQuit(press(t, m, k)) {
				t.Fatal("quit without asking")
			}
			if !strings.Contains(screen(m), "2 transfers are still queued or running and will be cancelled.") {
				t.Fatalf("no question:\n%s", screen(m))
			}
			if isQuit(press(t, m, "n")) || m.stack.top() != nil {
				t.Fatal("n did not keep ferry running")
			}
			press(t, m, k)
			if isQuit(press(t, m, "esc")) || m.stack.top() != nil {
				t.Fatal("esc did not keep ferry running")
			}
			if n := e.Snapshot().States[transfer.Queued]; n != 2 {
				t.Fatalf("%d jobs queued after saying no", n)
			}
			press(t, m, k)
			if !isQuit(press(t, m, "y")) {
				t.Fatal("y did not quit")
			}
			if m.ctx.Err() == nil {
				t.Error("requests not cancelled")
			}
			if n := e.Snapshot().States[transfer.Cancelled]; n != 2 {
				t.Errorf("%d jobs cancelled on quitting, want 2", n)
			}
		})
	}
	t.Run("one, enter confirms", func(t *testing.T) {
		m, r, e := engineModel(t, local.New(), local.New(), numberedFiles(t, 1), t.TempDir(), 100, 20)
		e.Pause()
		copyAll(t, r)
		planned(r, e, 1)
		press(t, m, "q")
		if !strings.Contains(screen(m), "1 transfer is still queued or running") {
			t.Errorf("question:\n%s", screen(m))
		}
		if !isQuit(press(t, m, "enter")) {
			t.Error("enter did not quit")
		}
	})
	t.Run("idle", func(t *testing.T) {
		m, r, _ := engineModel(t, local.New(), local.New(), numberedFiles(t, 1), t.TempDir(), 100, 20)
		copyAll(t, r)
		waitSettled(r)
		if !isQuit(press(t, m, "q")) {
			t.Error("asked with nothing left to do")
		}
	})
}
