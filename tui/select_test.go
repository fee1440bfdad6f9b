package tui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ferry-tui/ferry/tui/pane"
)

// selTree has two directories and four files with distinct names.
func selTree(t *testing.T) string {
	return makeTree(t,
		file{name: "dir one/"},
		file{name: "dir two/"},
		file{name: "apple.txt", size: 100},
		file{name: "banana.txt", size: 200},
		file{name: "cherry pie.txt", size: 300},
		file{name: "dátil.txt", size: 400},
	)
}

func TestSelectKeys(t *testing.T) {
	t.Parallel()
	root := selTree(t)
	m := localPair(t, root, root, 100, 20)
	p := &m.panes[leftSide]

	press(t, m, "j", "j", "space") // apple
	if got := selectedNames(p); !slices.Equal(got, []string{"apple.txt"}) || cursorName(p) != "banana.txt" {
		t.Fatalf("after space: selected %q, cursor on %q", got, cursorName(p))
	}
	press(t, m, "insert") // banana
	if got := selectedNames(p); !slices.Equal(got, []string{"apple.txt", "banana.txt"}) || cursorName(p) != "cherry pie.txt" {
		t.Fatalf("after insert: selected %q, cursor on %q", got, cursorName(p))
	}
	if !strings.Contains(screen(m), "2 sel 300") {
		t.Errorf("header does not show the selection:\n%s", screen(m))
	}
	press(t, m, "k", "space") // banana off
	if got := selectedNames(p); !slices.Equal(got, []string{"apple.txt"}) {
		t.Fatalf("toggling off: selected %q", got)
	}
	press(t, m, "*")
	want := []string{"dir one", "dir two", "banana.txt", "cherry pie.txt", "dátil.txt"}
	if got := selectedNames(p); !slices.Equal(got, want) {
		t.Fatalf("after *: selected %q, want %q", got, want)
	}
	press(t, m, "esc")
	if got := selectedNames(p); len(got) != 0 || p.NSel() != 0 {
		t.Fatalf("after esc: selected %q (%d)", got, p.NSel())
	}
	press(t, m, "ctrl+a")
	if got := selectedNames(p); len(got) != 6 || p.NSel() != 6 {
		t.Fatalf("after ctrl+a: selected %q (%d)", got, p.NSel())
	}
	lines := strings.Split(screen(m), "\n")
	for _, l := range lines[1:7] {
		if !strings.HasPrefix(l, "*") {
			t.Errorf("selected row not marked: %q", l)
		}
	}
	if m.panes[rightSide].NSel() != 0 {
		t.Error("the other pane's selection changed")
	}
}

func TestSelectionSurvivesRefreshAndClearsOnCd(t *testing.T) {
	t.Parallel()
	root := selTree(t)
	m := localPair(t, root, root, 100, 20)
	p := &m.panes[leftSide]
	press(t, m, "j", "j", "space", "space") // apple, banana
	if err := os.WriteFile(filepath.Join(root, "aaa.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	settle(t, m, press(t, m, "ctrl+r"))
	if got := selectedNames(p); !slices.Equal(got, []string{"apple.txt", "banana.txt"}) {
		t.Errorf("after refresh: selected %q", got)
	}
	settle(t, m, press(t, m, "g", "enter"))
	if p.NSel() != 0 {
		t.Errorf("selection kept into another directory: %d", p.NSel())
	}
}

func TestTargetsAreSelectionOrCursor(t *testing.T) {
	t.Parallel()
	root := selTree(t)
	m := localPair(t, root, root, 100, 20)
	p := &m.panes[leftSide]
	press(t, m, "j", "j", "j")
	if got := pane.RawNames(p.Targets()); !slices.Equal(got, []string{"banana.txt"}) {
		t.Errorf("targets without selection = %q", got)
	}
	press(t, m, "space", "space") // banana, cherry
	press(t, m, "g")
	if got := pane.RawNames(p.Targets()); !slices.Equal(got, []string{"banana.txt", "cherry pie.txt"}) {
		t.Errorf("targets with selection = %q", got)
	}
}

func TestFilter(t *testing.T) {
	t.Parallel()
	root := selTree(t)
	m := localPair(t, root, root, 100, 20)
	p := &m.panes[leftSide]
	press(t, m, "G") // dátil
	if cmd := press(t, m, "/"); cmd != nil || !m.filter.active {
		t.Fatalf("/ did not start the filter")
	}
	typeText(t, m, "AN")
	if got := names(p); !slices.Equal(got, []string{"banana.txt"}) {
		t.Fatalf("live filter AN: rows %q", got)
	}
	press(t, m, "backspace")
	if got := names(p); !slices.Equal(got, []string{"apple.txt", "banana.txt"}) {
		t.Fatalf("live filter A: rows %q", got)
	}
	if !strings.Contains(screen(m), "/a") {
		t.Error("the filter is not shown")
	}
	press(t, m, "down")
	if cursorName(p) != "banana.txt" {
		t.Fatalf("down while filtering: cursor on %q", cursorName(p))
	}
	press(t, m, "enter")
	if m.filter.active || p.Filter() != "a" {
		t.Fatalf("enter: filtering %v, filter %q", m.filter.active, p.Filter())
	}
	if cursorName(p) != "apple.txt" {
		t.Errorf("enter left the cursor on %q, want the first match", cursorName(p))
	}
	if !strings.Contains(screen(m), "/a") {
		t.Error("the kept filter is not shown in the header")
	}
	// Keys act on the list again; a kept filter goes with esc.
	press(t, m, "j")
	if cursorName(p) != "banana.txt" {
		t.Errorf("j in the filtered list: cursor on %q", cursorName(p))
	}
	press(t, m, "esc")
	if p.Filter() != "" || len(names(p)) != 6 || cursorName(p) != "banana.txt" {
		t.Errorf("esc: filter %q, rows %q, cursor on %q", p.Filter(), names(p), cursorName(p))
	}

	// Esc while typing clears it.
	press(t, m, "/")
	typeText(t, m, "cherry")
	press(t, m, "esc")
	if m.filter.active || p.Filter() != "" || len(names(p)) != 6 {
		t.Errorf("esc while typing: filtering %v, filter %q, %d rows", m.filter.active, p.Filter(), len(names(p)))
	}

	// Changing directory clears it.
	press(t, m, "/")
	typeText(t, m, "dir")
	press(t, m, "enter")
	settle(t, m, press(t, m, "enter")) // dir one
	if p.Filter() != "" || p.Path() != filepath.Join(root, "dir one") {
		t.Errorf("after cd: filter %q, path %q", p.Filter(), p.Path())
	}
}

func TestFilterWithNoMatch(t *testing.T) {
	t.Parallel()
	root := selTree(t)
	m := localPair(t, root, root, 100, 20)
	press(t, m, "/")
	typeText(t, m, "zzz")
	if m.panes[leftSide].Rows() != 0 || !strings.Contains(screen(m), "nothing matches") {
		t.Errorf("no match:\n%s", screen(m))
	}
	if cmd := press(t, m, "enter"); cmd != nil {
		t.Error("enter with nothing shown returned a Cmd")
	}
	if cmd := press(t, m, "f8"); cmd != nil || m.stack.top() != nil {
		t.Error("delete with nothing shown opened something")
	}
}
