package common

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ferry-tui/ferry/tui/internal/tuitest"
)

func TestLineInputEditing(t *testing.T) {
	var in LineInput
	in.SetValue("hello world")
	steps := []struct {
		key  string
		want string
		pos  int
	}{
		{"left", "hello world", 10},
		{"backspace", "hello word", 9},
		{"home", "hello word", 0},
		{"delete", "ello word", 0},
		{"ctrl+e", "ello word", 9},
		{"ctrl+w", "ello ", 5},
		{"ctrl+a", "ello ", 0},
		{"ctrl+k", "", 0},
	}
	for i, s := range steps {
		in.Update(tuitest.Key(s.key))
		if in.Value() != s.want || in.pos != s.pos {
			t.Fatalf("step %d %s: %q at %d, want %q at %d", i, s.key, in.Value(), in.pos, s.want, s.pos)
		}
	}
	in.SetValue("abc")
	in.Update(tuitest.Key("left"))
	in.Update(tuitest.Key("ctrl+u"))
	if in.Value() != "c" || in.pos != 0 {
		t.Errorf("ctrl+u: %q at %d", in.Value(), in.pos)
	}
	in.Update(tea.KeyPressMsg{Code: 'x', Text: "x", Mod: tea.ModAlt})
	in.Update(tea.KeyPressMsg{Code: 'Z', Text: "Z", Mod: tea.ModShift})
	if in.Value() != "Zc" {
		t.Errorf("modified keys: %q", in.Value())
	}
}

func TestLineInputDropsControls(t *testing.T) {
	var in LineInput
	in.Update(tea.PasteMsg{Content: "a\x1b[2Jb\tc\u202ed\ne\x07"})
	if got := in.Value(); got != "a[2Jb cd e" {
		t.Errorf("pasted %q", got)
	}
	in.SetValue("x\x00y")
	if in.Value() != "xy" {
		t.Errorf("SetValue kept a NUL: %q", in.Value())
	}
}

func TestLineInputViewScrollsAndMasks(t *testing.T) {
	st := MonoStyles().Input
	in := LineInput{Prompt: "> "}
	in.SetWidth(10)
	in.SetValue("0123456789abcdefghij")
	v := ansi.Strip(in.View(&st))
	if ansi.StringWidth(v) > 2+10 || !strings.HasSuffix(v, "j ") {
		t.Errorf("at the end: %q", v)
	}
	in.Update(tuitest.Key("home"))
	if v := ansi.Strip(in.View(&st)); !strings.HasPrefix(v, "> 0123") || ansi.StringWidth(v) > 12 {
		t.Errorf("at the start: %q", v)
	}
	in = LineInput{Mask: true, Placeholder: "secret"}
	if v := ansi.Strip(in.View(&st)); v != " secret" {
		t.Errorf("Placeholder: %q", v)
	}
	in.SetValue("pässword")
	if v := ansi.Strip(in.View(&st)); v != "•••••••• " {
		t.Errorf("masked: %q", v)
	}
}
