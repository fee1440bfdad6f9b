package pane

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/tui/common"
	"github.com/ferry-tui/ferry/tui/internal/tuitest"
)

// listed returns a pane of height lines showing dir, listed.
func listed(t *testing.T, dir string, height int) *Model {
	t.Helper()
	km := common.DefaultKeyMap()
	p := New(t.Context(), local.New(), common.Left, &km)
	p.SetSize(60, height)
	apply(t, &p, p.Load(dir, ""))
	return &p
}

// apply runs cmd and gives p the listing or order it produced.
func apply(t *testing.T, p *Model, cmd tea.Cmd) {
	t.Helper()
	if cmd == nil {
		return
	}
	switch msg := cmd().(type) {
	case LoadedMsg:
		if _, err := p.HandleLoaded(msg); err != nil {
			t.Fatal(err)
		}
	case SortedMsg:
		p.HandleSorted(msg)
	default:
		t.Fatalf("unexpected %T", msg)
	}
}

// press sends k to p, failing when p does not take it.
func press(t *testing.T, p *Model, k string) tea.Cmd {
	t.Helper()
	cmd, ok := p.Update(tuitest.Key(k))
	if !ok {
		t.Fatalf("%s was not the pane's", k)
	}
	return cmd
}

func TestUpdateKeys(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"a.txt", "b.txt", ".hidden", "sub/c.txt"} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, n)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, n), []byte(n), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p := listed(t, dir, 10)
	if got := p.Names(); !slices.Equal(got, []string{"sub", ".hidden", "a.txt", "b.txt"}) {
		t.Fatalf("rows %q", got)
	}
	press(t, p, "j")
	press(t, p, "space") // selects .hidden, moves down
	press(t, p, "space")
	if got := p.SelectedNames(); !slices.Equal(got, []string{".hidden", "a.txt"}) || p.Cursor() != 3 {
		t.Errorf("selected %q, cursor %d", got, p.Cursor())
	}
	press(t, p, "esc")
	press(t, p, "*")
	if p.NSel() != 4 {
		t.Errorf("invert: %d selected", p.NSel())
	}
	press(t, p, "esc")
	press(t, p, ".")
	if got := p.Names(); p.ShowHidden() || slices.Contains(got, ".hidden") {
		t.Errorf("hidden files shown: %q", got)
	}
	press(t, p, "g")
	apply(t, p, press(t, p, "enter"))
	if p.Path() != filepath.Join(dir, "sub") || !slices.Equal(p.Names(), []string{"c.txt"}) {
		t.Fatalf("enter: %s %q", p.Path(), p.Names())
	}
	apply(t, p, press(t, p, "backspace"))
	if p.Path() != dir || p.Names()[p.Cursor()] != "sub" {
		t.Errorf("parent: %s, cursor on %q", p.Path(), p.Names()[p.Cursor()])
	}
	apply(t, p, press(t, p, "S"))
	if p.Sorted() != "name↓" || !slices.Equal(p.Names(), []string{"sub", "b.txt", "a.txt"}) {
		t.Errorf("reverse: %s %q", p.Sorted(), p.Names())
	}
	apply(t, p, press(t, p, "s"))
	if p.Sorted() != "size↑" {
		t.Errorf("sort: %s", p.Sorted())
	}
	press(t, p, "G")
	if p.Cursor() != p.Rows()-1 {
		t.Errorf("G: cursor %d of %d", p.Cursor(), p.Rows())
	}
	if _, ok := p.Update(tuitest.Key("f5")); ok {
		t.Error("the pane took the copy key")
	}
}
