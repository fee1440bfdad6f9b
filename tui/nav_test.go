package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ferry-tui/ferry/local"
)

// manyFiles makes n files named "file NN.txt" (sizes and times rising).
func manyFiles(t *testing.T, n int) string {
	t.Helper()
	var files []file
	for i := range n {
		files = append(files, file{name: fmt.Sprintf("file %02d.txt", i), size: int64(i)})
	}
	return makeTree(t, files...)
}

func TestMoveKeys(t *testing.T) {
	t.Parallel()
	// 10 lines: 8 for the panes (header and 7 rows), status, help; a page
	// is 6 rows.
	m := localPair(t, manyFiles(t, 30), t.TempDir(), 80, 10)
	p := &m.panes[leftSide]
	steps := []struct {
		key  string
		want int
	}{
		{"j", 1}, {"down", 2}, {"k", 1}, {"up", 0}, {"k", 0},
		{"G", 29}, {"j", 29}, {"g", 0}, {"end", 29}, {"home", 0},
		{"pgdown", 6}, {"ctrl+d", 12}, {"pgup", 6}, {"ctrl+u", 0}, {"ctrl+u", 0},
		{"G", 29}, {"ctrl+d", 29},
	}
	for i, s := range steps {
		if cmd := press(t, m, s.key); cmd != nil {
			t.Fatalf("step %d: %q returned a Cmd", i, s.key)
		}
		if p.Cursor() != s.want {
			t.Fatalf("step %d: after %q cursor = %d, want %d", i, s.key, p.Cursor(), s.want)
		}
		if rows := p.VisibleRows(); p.Cursor() < p.Offset() || p.Cursor() >= p.Offset()+rows {
			t.Fatalf("step %d: cursor %d outside the viewport %d+%d", i, p.Cursor(), p.Offset(), rows)
		}
	}
}

func TestOpenAndParentKeys(t *testing.T) {
	t.Parallel()
	for _, keys := range [][2]string{{"enter", "backspace"}, {"l", "h"}, {"right", "left"}} {
		t.Run(keys[0]+" "+keys[1], func(t *testing.T) {
			root := navTree(t)
			m := localPair(t, root, root, 100, 20)
			p := &m.panes[leftSide]
			press(t, m, "j", "j") // Gamma dir
			settle(t, m, press(t, m, keys[0]))
			if want := filepath.Join(root, "Gamma dir"); p.Path() != want {
				t.Fatalf("after %s path = %q, want %q", keys[0], p.Path(), want)
			}
			settle(t, m, press(t, m, keys[1]))
			if p.Path() != root || cursorName(p) != "Gamma dir" {
				t.Errorf("after %s: %q, cursor on %q; want %q on Gamma dir", keys[1], p.Path(), cursorName(p), root)
			}
		})
	}
}

func TestShiftTabSwitchesPane(t *testing.T) {
	t.Parallel()
	m := localPair(t, t.TempDir(), t.TempDir(), 100, 20)
	press(t, m, "shift+tab")
	if m.focus != rightSide {
		t.Fatalf("focus = %v after shift+tab", m.focus)
	}
	press(t, m, "shift+tab")
	if m.focus != leftSide {
		t.Errorf("focus = %v after a second shift+tab", m.focus)
	}
}

func TestHomeKey(t *testing.T) {
	t.Parallel()
	root := navTree(t)
	m := start(t, Options{Left: &rootedFS{label: "h", base: root}, Right: local.New(), RightDir: root}, 100, 20)
	p := &m.panes[leftSide]
	settle(t, m, press(t, m, "j", "enter"))
	if p.Path() != "/beta" {
		t.Fatalf("path = %q", p.Path())
	}
	settle(t, m, press(t, m, "~"))
	if p.Path() != "/" {
		t.Errorf("after ~ path = %q, want the home /", p.Path())
	}
}

func TestRefreshKey(t *testing.T) {
	t.Parallel()
	root := navTree(t)
	m := localPair(t, root, root, 100, 20)
	if err := os.WriteFile(filepath.Join(root, "new.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	p := &m.panes[leftSide]
	if slices.Contains(names(p), "new.txt") {
		t.Fatal("new.txt listed before the refresh")
	}
	settle(t, m, press(t, m, "ctrl+r"))
	if !slices.Contains(names(p), "new.txt") {
		t.Errorf("ctrl+r did not list new.txt: %q", names(p))
	}
}

func TestHiddenKey(t *testing.T) {
	t.Parallel()
	root := makeTree(t, file{name: ".dot"}, file{name: "a"}, file{name: "b"})
	m := localPair(t, root, root, 100, 20)
	p := &m.panes[leftSide]
	press(t, m, "G") // b
	press(t, m, ".")
	if got := names(p); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("after . rows = %q", got)
	}
	if cursorName(p) != "b" {
		t.Errorf("cursor on %q, want b", cursorName(p))
	}
	if !strings.Contains(screen(m), "-hidden") {
		t.Error("the header does not say dot files are hidden")
	}
	press(t, m, ".")
	if got := names(p); !slices.Equal(got, []string{".dot", "a", "b"}) {
		t.Errorf("after a second . rows = %q", got)
	}
	if m.panes[rightSide].ShowHidden() != true {
		t.Error("the other pane's setting changed")
	}
}

func TestSortKeys(t *testing.T) {
	t.Parallel()
	root := makeTree(t,
		file{name: "a.txt", size: 1, mtime: mtimeOld},
		file{name: "b.txt", size: 300, mtime: mtimeRecent},
		file{name: "c.txt", size: 20, mtime: fixedNow},
	)
	m := localPair(t, root, root, 100, 20)
	p := &m.panes[leftSide]
	press(t, m, "j") // b.txt
	steps := []struct {
		key, label string
		want       []string
	}{
		{"s", "size↓", []string{"b.txt", "c.txt", "a.txt"}},
		{"s", "time↓", []string{"c.txt", "b.txt", "a.txt"}},
		{"S", "time↑", []string{"a.txt", "b.txt", "c.txt"}},
		{"s", "name↓", []string{"c.txt", "b.txt", "a.txt"}},
		{"S", "name↑", []string{"a.txt", "b.txt", "c.txt"}},
	}
	for i, s := range steps {
		before := names(p)
		cmd := press(t, m, s.key)
		if cmd == nil {
			t.Fatalf("step %d: %s returned no Cmd: sorting must run off the Update path", i, s.key)
		}
		if !slices.Equal(names(p), before) {
			t.Fatalf("step %d: the order changed before the sort Cmd ran", i)
		}
		settle(t, m, cmd)
		if got := names(p); !slices.Equal(got, s.want) {
			t.Errorf("step %d: after %s order = %q, want %q", i, s.key, got, s.want)
		}
		if !strings.Contains(screen(m), s.label) {
			t.Errorf("step %d: header does not show %s", i, s.label)
		}
		if cursorName(p) != "b.txt" {
			t.Errorf("step %d: cursor on %q, want it to stay on b.txt", i, cursorName(p))
		}
	}
}

func TestStaleSortIsDropped(t *testing.T) {
	t.Parallel()
	root := makeTree(t, file{name: "a", size: 1}, file{name: "b", size: 2})
	m := localPair(t, root, root, 100, 20)
	p := &m.panes[leftSide]
	first := drain(press(t, m, "s"))  // size
	second := drain(press(t, m, "s")) // time
	m.Update(second[0])
	m.Update(first[0]) // late
	if p.Sorted() != "time↓" {
		t.Errorf("sorted by %s, want time: the stale size sort was applied", p.Sorted())
	}
}

func TestHelpKeys(t *testing.T) {
	t.Parallel()
	for _, k := range []string{"?", "f1"} {
		t.Run(k, func(t *testing.T) {
			m := localPair(t, navTree(t), t.TempDir(), 100, 30)
			rows := m.panes[leftSide].Height()
			press(t, m, k)
			if !m.help.ShowAll || m.panes[leftSide].Height() >= rows {
				t.Fatalf("%s: full help %v, pane height %d (was %d)", k, m.help.ShowAll, m.panes[leftSide].Height(), rows)
			}
			for _, want := range []string{"F5/c", "copy", "F8/d", "delete", "chmod", "go to", "force quit"} {
				if !strings.Contains(screen(m), want) {
					t.Errorf("full help lacks %q", want)
				}
			}
			press(t, m, k)
			if m.help.ShowAll || m.panes[leftSide].Height() != rows {
				t.Errorf("%s did not toggle the full help off", k)
			}
		})
	}
}
