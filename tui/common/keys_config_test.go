package common

import (
	"errors"
	"slices"
	"testing"

	"charm.land/lipgloss/v2"
)

func TestActionsNameEveryBinding(t *testing.T) {
	t.Parallel()
	acts := Actions()
	for _, want := range []string{"copy", "page_up", "queue_more_workers", "conflict_overwrite_all", "force_quit"} {
		if !slices.Contains(acts, want) {
			t.Errorf("Actions() lacks %q: %v", want, acts)
		}
	}
	k := DefaultKeyMap()
	for _, a := range acts {
		if k.binding(a) == nil {
			t.Errorf("action %q has no binding", a)
		}
	}
}

func TestPresetsHaveNoConflicts(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"mc", "vim"} {
		k, err := PresetKeyMap(name)
		if err != nil {
			t.Fatal(err)
		}
		if errs := k.Conflicts(); len(errs) > 0 {
			t.Errorf("preset %s: %v", name, errs)
		}
	}
	if _, err := PresetKeyMap("emacs"); err == nil {
		t.Error("unknown preset accepted")
	}
}

func TestRebindAndConflict(t *testing.T) {
	t.Parallel()
	k := DefaultKeyMap()
	if err := k.Rebind("mkdir", []string{"f7", "c"}); err != nil {
		t.Fatal(err)
	}
	if got := k.Mkdir.Help().Key; got != "F7/c" {
		t.Errorf("help key %q, want F7/c", got)
	}
	errs := k.Conflicts()
	var ce *KeyConflictError
	if len(errs) != 1 || !errors.As(errs[0], &ce) || ce.Key != "c" || ce.A != "copy" || ce.B != "mkdir" {
		t.Fatalf("conflicts %v, want c on copy and mkdir", errs)
	}
	if want := `key "c" is bound to both copy and mkdir`; errs[0].Error() != want {
		t.Errorf("message %q, want %q", errs[0], want)
	}
	// The queue view's x and the panes' x do not meet.
	k = DefaultKeyMap()
	if err := k.Rebind("delete", []string{"x"}); err != nil || len(k.Conflicts()) != 0 {
		t.Errorf("delete on x (the queue's cancel): %v, %v", err, k.Conflicts())
	}
	// Within the queue view they do.
	if err := k.Rebind("queue_pause", []string{"x"}); err != nil || len(k.Conflicts()) != 1 {
		t.Errorf("queue_pause on x: %v, %v", err, k.Conflicts())
	}
}

func TestRebindRefusesUnknown(t *testing.T) {
	t.Parallel()
	k := DefaultKeyMap()
	if err := k.Rebind("teleport", []string{"t"}); err == nil {
		t.Error("unknown action accepted")
	}
	for _, bad := range []string{"ctrl+", "F5", "pageup", "f99", "hyper+x"} {
		if err := k.Rebind("copy", []string{bad}); err == nil {
			t.Errorf("key %q accepted", bad)
		}
	}
	for _, good := range []string{"ctrl+x", "alt+shift+up", "f12", "é", "space", "+"} {
		if err := k.Rebind("copy", []string{good}); err != nil {
			t.Errorf("key %q: %v", good, err)
		}
	}
}

func TestSetColor(t *testing.T) {
	t.Parallel()
	th := NewTheme(true)
	if err := th.SetColor("on_accent", "#123456"); err != nil {
		t.Fatal(err)
	}
	if th.OnAccent != lipgloss.Color("#123456") {
		t.Errorf("OnAccent = %v", th.OnAccent)
	}
	if err := th.SetColor("glow", "#fff"); err == nil {
		t.Error("unknown colour accepted")
	}
	if !slices.Contains(ThemeColors(), "on_selection") {
		t.Errorf("ThemeColors() = %v", ThemeColors())
	}
}
