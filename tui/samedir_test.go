package tui

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/transfer"
)

// twinFS is the local disk under a value of its own, as two sessions to
// one host alias are: the panes share a label, not a value.
type twinFS struct {
	transfer.FS
	_ byte // a non-zero size, so that two values are never one
}

// twinPair starts a model with an engine whose panes show left and right
// on the local disk through two distinct file system values.
func twinPair(t *testing.T, left, right string) (*Model, *runner) {
	t.Helper()
	m, r, _ := engineModel(t, &twinFS{FS: local.New()}, &twinFS{FS: local.New()}, left, right, 120, 24)
	if sameFS(m.panes[leftSide].FS(), m.panes[rightSide].FS()) {
		t.Fatal("the panes share one file system value; the test would prove nothing")
	}
	return m, r
}

// modeOf returns the mode the pane on side s lists for name.
func modeOf(t *testing.T, m *Model, s side, name string) fs.FileMode {
	t.Helper()
	p := &m.panes[s]
	row := p.RowOf(name)
	if row < 0 {
		t.Fatalf("%q not listed in %s", name, p.Path())
	}
	keep := p.Cursor()
	p.SetCursor(row)
	defer p.SetCursor(keep)
	e, _ := p.Current()
	return e.Mode()
}

// act focuses the left pane, puts its cursor on name (if not empty),
// presses key, replaces the dialog's input with typed (if the dialog has
// one) and confirms with confirm.
func act(t *testing.T, r *runner, name, key, typed, confirm string) {
	t.Helper()
	if r.m.focus != leftSide {
		r.press("tab")
	}
	if name != "" {
		cursorTo(t, r.m, name)
	}
	r.press(key)
	if d, ok := r.m.stack.top().(*deleteDialog); ok {
		r.waitFor("the delete dialog to count", func() bool { return !d.Busy() })
	}
	if typed != "" {
		r.press("ctrl+u")
		r.typeText(typed)
	}
	r.press(confirm)
}

func TestOpsRefreshTheOtherPaneOnTheSameDirectory(t *testing.T) {
	t.Parallel()
	root := makeTree(t,
		file{name: "a.txt", content: "alpha"},
		file{name: "b.txt", content: "beta"},
		file{name: "c.txt", content: "gamma"},
		file{name: "d.txt", content: "delta"},
		file{name: "sub/"},
	)
	m, r := twinPair(t, root, root)
	right := func(what string, cond func() bool) { r.waitFor("the right pane to "+what, cond) }

	act(t, r, "", "f7", "made", "enter")
	right("list the new directory", func() bool { return listed(m, rightSide, "made") })

	act(t, r, "a.txt", "r", "renamed.txt", "enter")
	right("list the new name", func() bool { return listed(m, rightSide, "renamed.txt") && !listed(m, rightSide, "a.txt") })

	act(t, r, "b.txt", "p", "600", "enter")
	right("show the new mode", func() bool { return modeOf(t, m, rightSide, "b.txt").Perm() == 0o600 })

	act(t, r, "b.txt", "f8", "", "y")
	right("drop the deleted file", func() bool { return !listed(m, rightSide, "b.txt") })

	act(t, r, "c.txt", "f5", "c copy.txt", "enter")
	right("list the copy", func() bool { return listed(m, rightSide, "c copy.txt") })

	act(t, r, "d.txt", "f6", "sub/", "enter")
	right("drop the moved file", func() bool { return !listed(m, rightSide, "d.txt") })
	if content(filepath.Join(root, "sub", "d.txt")) != "delta" {
		t.Error("d.txt did not move into sub")
	}
}

func TestOpsRefreshTheOtherPaneInASubdirectory(t *testing.T) {
	t.Parallel()
	root := makeTree(t,
		file{name: "gone/"},
		file{name: "gone/x.txt", content: "x"},
		file{name: "old/"},
		file{name: "old/inner/"},
		file{name: "old/inner/y.txt", content: "y"},
		file{name: "moved/"},
		file{name: "moved/z.txt", content: "z"},
		file{name: "dest/"},
		file{name: "src.txt", content: "s"},
	)
	m, r := twinPair(t, root, filepath.Join(root, "gone"))
	rp := &m.panes[rightSide]
	at := func(what, dir string) {
		t.Helper()
		r.waitFor("the right pane to "+what, func() bool { return rp.Path() == dir && !rp.Loading() })
	}

	// Deleting the directory the other pane shows sends it up.
	act(t, r, "gone", "f8", "", "y")
	at("leave the deleted directory", root)
	if listed(m, rightSide, "gone") {
		t.Error("the deleted directory is still listed")
	}

	// Renaming a directory above it makes it follow.
	settle(t, m, rp.Load(filepath.Join(root, "old", "inner"), ""))
	act(t, r, "old", "r", "new", "enter")
	at("follow the rename", filepath.Join(root, "new", "inner"))
	if !listed(m, rightSide, "y.txt") {
		t.Errorf("listing after the rename: %q", names(rp))
	}

	// Making nested directories refreshes the one it made them in.
	r.waitFor("the left pane to list the new name", func() bool { return listed(m, leftSide, "new") })
	act(t, r, "new", "f7", "new/inner/made/deeper", "enter")
	r.waitFor("the nested directory to be listed", func() bool { return listed(m, rightSide, "made") })

	// Copying into it refreshes it; chmod of it lists it again.
	act(t, r, "src.txt", "f5", filepath.Join(root, "new", "inner")+"/", "enter")
	r.waitFor("the copy to be listed", func() bool { return listed(m, rightSide, "src.txt") })
	if err := os.WriteFile(filepath.Join(root, "new", "inner", "unseen.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	act(t, r, "new", "p", "755", "enter")
	settle(t, m, rp.Load(filepath.Join(root, "new"), ""))
	act(t, r, "new", "p", "700", "enter")
	r.waitFor("the chmodded directory to be listed again", func() bool { return listed(m, rightSide, "inner") && modeOf(t, m, rightSide, "inner").Perm() == 0o755 })

	// Moving away the directory the other pane shows sends it up.
	settle(t, m, rp.Load(filepath.Join(root, "moved"), ""))
	act(t, r, "moved", "f6", filepath.Join(root, "dest")+"/", "enter")
	at("leave the moved directory", root)
	if content(filepath.Join(root, "dest", "moved", "z.txt")) != "z" {
		t.Error("the directory did not move")
	}
	if !strings.Contains(cursorName(rp), "dest") && cursorName(rp) != "moved" {
		t.Logf("cursor on %q", cursorName(rp))
	}
}
