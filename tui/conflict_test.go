package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/dialog"
	"github.com/ferry-tui/ferry/tui/queue"
)

// waitConflict waits until the conflict dialog is open and takes keys.
func waitConflict(r *runner) *conflictDialog {
	r.t.Helper()
	var d *conflictDialog
	r.waitFor("a conflict dialog ready for keys", func() bool {
		d, _ = r.m.stack.top().(*conflictDialog)
		return d != nil && d.IsReady()
	})
	return d
}

// conflictTrees makes four new files on the left and older, shorter ones
// of the same names on the right.
func conflictTrees(t *testing.T) (left, right string) {
	var l, r []file
	for _, n := range []string{"a", "b", "c", "d"} {
		l = append(l, file{name: n + ".txt", content: "new content " + n, mtime: mtimeRecent})
		r = append(r, file{name: n + ".txt", content: "old", mtime: mtimeOld})
	}
	return makeTree(t, l...), makeTree(t, r...)
}

// copyAll starts copying every entry of the left pane to the right one.
func copyAll(t *testing.T, r *runner) {
	t.Helper()
	r.press("ctrl+a", "f5")
	submit(t, r, "")
}

func TestConflictAnswersOneByOne(t *testing.T) {
	t.Parallel()
	left, right := conflictTrees(t)
	m, r, e := engineModel(t, local.New(), local.New(), left, right, 100, 30)
	copyAll(t, r)

	// The dialog ignores keys for a moment after it pops up.
	r.waitFor("the conflict dialog", func() bool { _, ok := m.stack.top().(*conflictDialog); return ok })
	d := m.stack.top().(*conflictDialog)
	if d.IsReady() {
		t.Fatal("the dialog took keys at once")
	}
	r.press("o")
	if j, ok := e.Job(d.cur.job); !ok || j.Conflict == nil {
		t.Fatal("a key typed before the dialog was ready answered it")
	}

	answers := map[string]string{"a.txt": "o", "b.txt": "s", "c.txt": "b", "d.txt": "esc"}
	for range len(answers) {
		d := waitConflict(r)
		name := dialog.BaseName(d.cur.c.Dst)
		k, ok := answers[name]
		if !ok {
			t.Fatalf("asked twice about %s", name)
		}
		delete(answers, name)
		out := screen(m)
		for _, want := range []string{
			name + " already exists",
			"copy from   ", filepath.Join(filepath.Base(left), name) + " ",
			"13 bytes, 2025-03-01 09:30:00  (newer)",
			"over        ", filepath.Join(filepath.Base(right), name) + " ",
			"3 bytes, 2019-11-05 18:45:00",
			"o overwrite   s/esc skip   r resume   b keep both   u if newer",
			"[ ] a: for all conflicts of this copy (or O S R B U)",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("dialog lacks %q:\n%s", want, out)
			}
		}
		r.press(k)
	}
	waitSettled(r)
	for rel, want := range map[string]string{
		"a.txt": "new content a", "b.txt": "old", "c.txt": "old", "c (1).txt": "new content c", "d.txt": "old",
	} {
		if got := content(filepath.Join(right, rel)); got != want {
			t.Errorf("%s = %q, want %q", rel, got, want)
		}
	}
	if m.stack.top() != nil || len(m.xfer.conflicts) != 0 {
		t.Errorf("overlay %T, %d conflicts left", m.stack.top(), len(m.xfer.conflicts))
	}
}

func TestConflictForAll(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		keys []string
		want map[string]string
	}{
		{"overwrite all", []string{"O"}, map[string]string{"a.txt": "new content a", "d.txt": "new content d"}},
		{"toggle then skip", []string{"a", "s"}, map[string]string{"a.txt": "old", "b.txt": "old", "d.txt": "old"}},
		{"toggle twice then skip one", []string{"a", "a", "s"}, nil},
		{"keep both for all", []string{"B"}, map[string]string{"a.txt": "old", "a (1).txt": "new content a", "d (1).txt": "new content d"}},
		{"newer for all", []string{"U"}, map[string]string{"b.txt": "new content b", "c.txt": "new content c"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			left, right := conflictTrees(t)
			m, r, e := engineModel(t, local.New(), local.New(), left, right, 100, 30)
			copyAll(t, r)
			waitConflict(r)
			r.press(tt.keys...)
			if tt.want == nil {
				// Only one was answered: the next conflict is asked.
				waitConflict(r)
				r.press("O")
				waitSettled(r)
				if n := e.Snapshot().States[transfer.Skipped]; n != 1 {
					t.Errorf("%d skipped, want 1", n)
				}
				return
			}
			waitSettled(r)
			for rel, want := range tt.want {
				if got := content(filepath.Join(right, rel)); got != want {
					t.Errorf("%s = %q, want %q", rel, got, want)
				}
			}
			if _, ok := m.stack.top().(*conflictDialog); ok || len(m.xfer.conflicts) != 0 {
				t.Errorf("still asking: %d conflicts", len(m.xfer.conflicts))
			}
		})
	}
}

func TestConflictOverQueueViewAndAfterDialogs(t *testing.T) {
	t.Parallel()
	left := makeTree(t, file{name: "a.txt", content: "new"})
	right := makeTree(t, file{name: "a.txt", content: "old"})
	m, r, e := engineModel(t, local.New(), local.New(), left, right, 100, 30)
	e.Pause()
	copyAll(t, r)
	r.waitFor("the job", func() bool { return e.Snapshot().Jobs == 1 && !e.Snapshot().Counting })

	r.press("w")
	e.Resume()
	d := waitConflict(r)
	if len(m.stack.items) != 2 || m.stack.items[0] != overlay(m.xfer.queue) || m.stack.items[1] != overlay(d) {
		t.Fatalf("the dialog is not over the queue view: stack %v", m.stack.items)
	}
	if out := screen(m); !strings.Contains(out, "Transfer queue") || !strings.Contains(out, "a.txt already exists") {
		t.Errorf("dialog over the queue view:\n%s", out)
	}
	r.press("o")
	if _, ok := m.stack.top().(*queue.Model); !ok {
		t.Errorf("back to %T, want the queue view", m.stack.top())
	}
	waitSettled(r)

	// A conflict waits while another dialog has the keys.
	r.press("w") // close the queue view
	if err := writeFileContent(filepath.Join(left, "b.txt"), "new b"); err != nil {
		t.Fatal(err)
	}
	if err := writeFileContent(filepath.Join(right, "b.txt"), "old b"); err != nil {
		t.Fatal(err)
	}
	e.Pause()
	r.press("ctrl+r") // list the new file
	r.waitFor("b.txt", func() bool { return listed(m, leftSide, "b.txt") })
	cursorTo(t, m, "b.txt")
	r.press("f5")
	submit(t, r, "")
	r.waitFor("the job", func() bool { return e.Snapshot().Jobs == 2 && !e.Snapshot().Counting })
	r.press("n") // mkdir dialog
	e.Resume()
	r.waitFor("the conflict event", func() bool { return len(m.xfer.conflicts) == 1 })
	inputOpen(t, m, "New directory")
	r.press("esc")
	waitConflict(r)
	r.press("s")
	waitSettled(r)
	if content(filepath.Join(right, "b.txt")) != "old b" || content(filepath.Join(right, "a.txt")) != "new" {
		t.Error("wrong answers applied")
	}
}

// writeFileContent writes a file.
func writeFileContent(path, data string) error { return os.WriteFile(path, []byte(data), 0o644) }
