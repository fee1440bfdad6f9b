package pane

import (
	"os"
	"path/filepath"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// altKey is the key press msg.String() reports as "alt+"+name.
func altKey(t *testing.T, code rune, want string) tea.KeyPressMsg {
	t.Helper()
	k := tea.KeyPressMsg{Code: code, Mod: tea.ModAlt}
	if k.String() != want {
		t.Fatalf("key %q, want %q", k.String(), want)
	}
	return k
}

func TestBackAndForward(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"a/deep", "b"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	p := listed(t, dir, 10)
	back, fwd := altKey(t, tea.KeyLeft, "alt+left"), altKey(t, tea.KeyRight, "alt+right")
	step := func(k tea.KeyPressMsg) {
		t.Helper()
		cmd, ok := p.Update(k)
		if !ok {
			t.Fatalf("%s was not the pane's", k)
		}
		apply(t, p, cmd)
	}
	if p.CanGoBack() {
		t.Fatal("history before any move")
	}
	if cmd, _ := p.Update(back); cmd != nil {
		t.Fatal("back with no history lists something")
	}
	// dir -> dir/a -> dir/a/deep, by opening.
	apply(t, p, press(t, p, "enter")) // a
	apply(t, p, press(t, p, "enter")) // deep
	if p.Path() != filepath.Join(dir, "a", "deep") {
		t.Fatalf("at %s", p.Path())
	}
	step(back)
	if p.Path() != filepath.Join(dir, "a") || cursorOn(p) != "deep" {
		t.Fatalf("back: at %s on %q", p.Path(), cursorOn(p))
	}
	step(back)
	if p.Path() != dir || cursorOn(p) != "a" {
		t.Fatalf("back twice: at %s on %q", p.Path(), cursorOn(p))
	}
	if p.CanGoBack() || !p.CanGoForward() {
		t.Fatal("history ends wrong")
	}
	step(fwd)
	if p.Path() != filepath.Join(dir, "a") {
		t.Fatalf("forward: at %s", p.Path())
	}
	// Going somewhere new clears the way forward.
	apply(t, p, press(t, p, "backspace"))
	if p.Path() != dir || p.CanGoForward() {
		t.Fatalf("parent: at %s, forward %v", p.Path(), p.CanGoForward())
	}
	step(altKey(t, 'y', "alt+y")) // mc's back
	if p.Path() != filepath.Join(dir, "a") {
		t.Fatalf("alt+y: at %s", p.Path())
	}
	// A refresh is no move.
	apply(t, p, p.Refresh(""))
	step(back)
	if p.Path() != dir || p.CanGoBack() {
		t.Fatalf("after refresh back went to %s", p.Path())
	}
}

// cursorOn is the name under p's cursor.
func cursorOn(p *Model) string {
	if e, ok := p.Current(); ok {
		return e.Name()
	}
	return ""
}
