package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/transfer"
)

// TestNoDeleteConfirmDeletesAtOnce: with Options.NoDeleteConfirm, F8
// deletes a file, and a directory once counted, without a question.
func TestNoDeleteConfirmDeletesAtOnce(t *testing.T) {
	t.Parallel()
	dir := makeTree(t, file{name: "a.txt", content: "a", mtime: mtimeRecent}, file{name: "d/", mtime: mtimeRecent}, file{name: "d/b.txt", content: "b", mtime: mtimeRecent})
	m, r, _ := engineModel(t, local.New(), local.New(), dir, t.TempDir(), 100, 20)
	m.opts.NoDeleteConfirm = true
	cursorTo(t, m, "a.txt")
	r.press("f8")
	r.waitFor("a.txt to go from the disk and the pane", func() bool {
		_, err := os.Stat(filepath.Join(dir, "a.txt"))
		return os.IsNotExist(err) && m.stack.top() == nil && m.focused().RowOf("a.txt") < 0 && m.focused().RowOf("d") >= 0
	})
	cursorTo(t, m, "d")
	r.press("f8")
	r.waitFor("d to go", func() bool { _, err := os.Stat(filepath.Join(dir, "d")); return os.IsNotExist(err) })
	if strings.Contains(screen(m), "cannot be undone") {
		t.Errorf("asked anyway:\n%s", screen(m))
	}
}

// TestOverwriteWithoutAsking: with Options.OverwriteWithoutAsking, F5
// onto an existing file replaces it with no conflict question.
func TestOverwriteWithoutAsking(t *testing.T) {
	t.Parallel()
	left := makeTree(t, file{name: "a.txt", content: "new", mtime: mtimeRecent})
	right := makeTree(t, file{name: "a.txt", content: "old", mtime: mtimeRecent})
	m, r, e := engineModel(t, local.New(), local.New(), left, right, 100, 20)
	m.xfer.overwrite = true
	cursorTo(t, m, "a.txt")
	r.press("f5")
	r.press("enter")
	// The file is in place a moment before its job reports done.
	r.waitFor("the copy", func() bool {
		return readOr(filepath.Join(right, "a.txt")) == "new" && len(e.Snapshot().Active) == 0
	})
	for _, j := range e.Jobs(0, 0) {
		if j.State != transfer.Done {
			t.Errorf("job %s: %v %v", j.Src, j.State, j.Err)
		}
	}
}
