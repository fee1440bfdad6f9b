package tui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// opsTree is a small tree for operations, with awkward names.
func opsTree(t *testing.T) string {
	return makeTree(t,
		file{name: "keep/"},
		file{name: "tree/"},
		file{name: "tree/a.txt", size: 1000},
		file{name: "tree/sub/"},
		file{name: "tree/sub/b.txt", size: 24},
		file{name: "tree/sub/deeper/"},
		file{name: "name with spaces.txt", size: 5},
		file{name: "ünïcödé.txt", size: 7},
		file{name: "esc\x1b[7mape.txt", size: 3},
	)
}

// inputOpen returns the open input dialog whose title starts with
// title, failing the test if there is none.
func inputOpen(t *testing.T, m *Model, title string) *inputDialog {
	t.Helper()
	d, ok := m.stack.top().(*inputDialog)
	if !ok || !strings.HasPrefix(d.Title(), title) {
		t.Fatalf("overlay = %T %+v, want an input dialog titled %q…", m.stack.top(), m.stack.top(), title)
	}
	return d
}

// clearInput empties the input of the open dialog.
func clearInput(t *testing.T, m *Model) { press(t, m, "ctrl+u") }

func TestMkdir(t *testing.T) {
	t.Parallel()
	for _, k := range []string{"f7", "n"} {
		t.Run(k, func(t *testing.T) {
			root := opsTree(t)
			m := localPair(t, root, root, 100, 20)
			if cmd := press(t, m, k); cmd != nil {
				t.Fatal("opening the dialog returned a Cmd")
			}
			inputOpen(t, m, "New directory")
			typeText(t, m, "new dir ü")
			settle(t, m, press(t, m, "enter"))
			if m.stack.top() != nil {
				t.Fatalf("dialog still open: %+v", m.stack.top())
			}
			if fi, err := os.Stat(filepath.Join(root, "new dir ü")); err != nil || !fi.IsDir() {
				t.Fatalf("directory not made: %v", err)
			}
			if got := cursorName(&m.panes[leftSide]); got != "new dir ü" {
				t.Errorf("cursor on %q, want the new directory", got)
			}
			// The right pane shows the same directory and is refreshed too.
			if !slices.Contains(names(&m.panes[rightSide]), "new dir ü") {
				t.Error("the other pane showing the same directory was not refreshed")
			}
		})
	}
}

func TestMkdirErrorKeepsListing(t *testing.T) {
	t.Parallel()
	root := opsTree(t)
	m := localPair(t, root, root, 100, 20)
	p := &m.panes[leftSide]
	press(t, m, "j") // tree
	before := names(p)
	press(t, m, "n")
	typeText(t, m, "keep")
	settle(t, m, press(t, m, "enter"))
	if !m.status.isErr || !strings.Contains(m.status.text, "keep") || !strings.Contains(m.status.text, "exists") {
		t.Errorf("status = %q (error %v)", m.status.text, m.status.isErr)
	}
	if !slices.Equal(names(p), before) || cursorName(p) != "tree" {
		t.Errorf("listing changed: %q, cursor %q", names(p), cursorName(p))
	}
}

func TestNameValidation(t *testing.T) {
	t.Parallel()
	for _, k := range []string{"n", "r"} {
		bads := []string{"", ".", "..", "a/b", "/"}
		if k == "n" {
			bads = []string{"", ".", "..", "/", "/abs", "a//b", "a/../b"} // a/b makes nested directories
		}
		for _, bad := range bads {
			t.Run(k+" "+bad, func(t *testing.T) {
				root := opsTree(t)
				m := localPair(t, root, root, 100, 20)
				press(t, m, "G", k)
				d := m.stack.top().(*inputDialog)
				clearInput(t, m)
				typeText(t, m, bad)
				if cmd := press(t, m, "enter"); cmd != nil {
					t.Fatalf("%q was accepted", bad)
				}
				if m.stack.top() != d || d.Err() == "" {
					t.Fatalf("%q: dialog closed or no reason given", bad)
				}
				if !strings.Contains(screen(m), d.Err()) {
					t.Errorf("%q: reason %q not on screen", bad, d.Err())
				}
				press(t, m, "esc")
				if m.stack.top() != nil {
					t.Error("esc did not close the dialog")
				}
			})
		}
	}
}

func TestRename(t *testing.T) {
	t.Parallel()
	for _, k := range []string{"f2", "r"} {
		t.Run(k, func(t *testing.T) {
			root := opsTree(t)
			m := localPair(t, root, root, 100, 20)
			p := &m.panes[leftSide]
			p.SetCursor(p.RowOf("name with spaces.txt"))
			press(t, m, k)
			d := inputOpen(t, m, "Rename")
			if d.Typed() != "name with spaces.txt" {
				t.Errorf("prefilled with %q", d.Typed())
			}
			clearInput(t, m)
			typeText(t, m, "renamed ü.txt")
			settle(t, m, press(t, m, "enter"))
			if exists(filepath.Join(root, "name with spaces.txt")) || !exists(filepath.Join(root, "renamed ü.txt")) {
				t.Fatal("not renamed on disk")
			}
			if cursorName(p) != "renamed ü.txt" {
				t.Errorf("cursor on %q, want the new name", cursorName(p))
			}
		})
	}
}

func TestRenameKeepsRawNameWhenUnchanged(t *testing.T) {
	t.Parallel()
	root := opsTree(t)
	m := localPair(t, root, root, 100, 20)
	p := &m.panes[leftSide]
	p.SetCursor(p.RowOf("esc\x1b[7mape.txt"))
	press(t, m, "r")
	d := inputOpen(t, m, "Rename")
	if d.Typed() != `esc\x1b[7mape.txt` {
		t.Errorf("prefilled with %q, want the sanitised name", d.Typed())
	}
	if strings.Contains(m.View().Content, "\x1b[7mape") {
		t.Error("the raw name reached the screen")
	}
	if cmd := press(t, m, "enter"); cmd != nil || m.stack.top() != nil {
		t.Fatal("an unchanged name did something")
	}
	if !exists(filepath.Join(root, "esc\x1b[7mape.txt")) {
		t.Error("the file was renamed")
	}
	// Editing it renames the raw name.
	press(t, m, "r", "ctrl+u")
	typeText(t, m, "plain.txt")
	settle(t, m, press(t, m, "enter"))
	if exists(filepath.Join(root, "esc\x1b[7mape.txt")) || !exists(filepath.Join(root, "plain.txt")) {
		t.Error("not renamed")
	}
}

func TestRenameRefusesExistingNames(t *testing.T) {
	t.Parallel()
	root := opsTree(t)
	m := localPair(t, root, root, 100, 20)
	p := &m.panes[leftSide]
	p.SetCursor(p.RowOf("ünïcödé.txt"))
	press(t, m, "r", "ctrl+u")
	typeText(t, m, "name with spaces.txt")
	if cmd := press(t, m, "enter"); cmd != nil {
		t.Fatal("renaming onto an existing name was accepted")
	}
	if d := m.stack.top().(*inputDialog); !strings.Contains(d.Err(), "already exists") {
		t.Errorf("reason %q", d.Err())
	}
	// A name that appeared after the listing is refused by the Cmd.
	press(t, m, "ctrl+u")
	typeText(t, m, "late.txt")
	if err := os.WriteFile(filepath.Join(root, "late.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	settle(t, m, press(t, m, "enter"))
	if !m.status.isErr || !strings.Contains(m.status.text, "late.txt") || !strings.Contains(m.status.text, "exists") {
		t.Errorf("status = %q", m.status.text)
	}
	if b, _ := os.ReadFile(filepath.Join(root, "late.txt")); string(b) != "x" {
		t.Error("late.txt was overwritten")
	}
	if !exists(filepath.Join(root, "ünïcödé.txt")) {
		t.Error("the source is gone")
	}
}

func TestRenameWithSelection(t *testing.T) {
	t.Parallel()
	root := opsTree(t)
	m := localPair(t, root, root, 100, 20)
	press(t, m, "space", "space", "r")
	if m.stack.top() != nil || !strings.Contains(m.status.text, "one entry") {
		t.Errorf("rename with two selected: overlay %T, status %q", m.stack.top(), m.status.text)
	}
	press(t, m, "esc", "g", "space") // one selected: keep
	press(t, m, "G", "r")
	d := inputOpen(t, m, "Rename")
	if d.names[0] != "keep" {
		t.Errorf("renaming %q, want the selected keep", d.names[0])
	}
}

func TestChmod(t *testing.T) {
	t.Parallel()
	root := opsTree(t)
	m := localPair(t, root, root, 120, 20)
	p := &m.panes[leftSide]
	p.SetCursor(p.RowOf("ünïcödé.txt"))
	press(t, m, "p")
	d := inputOpen(t, m, "Permissions")
	if d.Typed() != "644" {
		t.Errorf("prefilled with %q, want 644", d.Typed())
	}
	for _, bad := range []string{"", "9", "abc", "77777", "-1"} {
		clearInput(t, m)
		typeText(t, m, bad)
		if cmd := press(t, m, "enter"); cmd != nil || d.Err() == "" {
			t.Errorf("%q accepted", bad)
		}
	}
	clearInput(t, m)
	typeText(t, m, "0600")
	settle(t, m, press(t, m, "enter"))
	fi, err := os.Stat(filepath.Join(root, "ünïcödé.txt"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, %v; want 0600", fi.Mode(), err)
	}
	if !strings.Contains(screen(m), "-rw-------") {
		t.Error("the new mode is not shown")
	}

	// On a selection, every entry changes.
	press(t, m, "g", "space", "space", "p", "ctrl+u")
	typeText(t, m, "700")
	settle(t, m, press(t, m, "enter"))
	for _, n := range []string{"keep", "tree"} {
		if fi, err := os.Stat(filepath.Join(root, n)); err != nil || fi.Mode().Perm() != 0o700 {
			t.Errorf("%s: mode %v, %v", n, fi.Mode(), err)
		}
	}
	if p.NSel() != 0 {
		t.Error("selection kept after chmod")
	}
}
