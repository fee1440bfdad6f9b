package tui

import (
	"image/color"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/tui/common"
)

// TestVimPresetThroughUpdate drives the vim preset's keys through Update:
// y copies (c no longer does), - goes to the parent, D asks to delete.
func TestVimPresetThroughUpdate(t *testing.T) {
	t.Parallel()
	km := common.VimKeyMap()
	root := makeTree(t, file{name: "sub/a.txt", content: "a"})
	sub := filepath.Join(root, "sub")
	m := start(t, Options{Left: local.New(), LeftDir: sub, Right: local.New(), RightDir: t.TempDir(), KeyMap: &km}, 120, 24)
	press(t, m, "c")
	if m.status.text == "copying needs the transfer engine" {
		t.Error("c copies in the vim preset")
	}
	press(t, m, "y")
	if m.status.text != "copying needs the transfer engine" {
		t.Errorf("y: status %q, want the copy's", m.status.text)
	}
	settle(t, m, press(t, m, "-"))
	if got := m.panes[leftSide].Path(); got != root {
		t.Errorf("-: left pane in %q, want the parent %q", got, root)
	}
	settle(t, m, press(t, m, "enter")) // back into sub, cursor on a.txt
	settle(t, m, press(t, m, "D"))
	if _, ok := m.stack.top().(*deleteDialog); !ok {
		t.Errorf("D opened %T, want the delete confirmation", m.stack.top())
	}
}

// TestOptionsThemeFor: ThemeFor builds the theme for the background the
// terminal reports, so colour overrides keep following it.
func TestOptionsThemeFor(t *testing.T) {
	t.Parallel()
	over := lipgloss.Color("#abcdef")
	themeFor := func(dark bool) Theme {
		th := common.NewTheme(dark)
		th.Accent = over
		return th
	}
	m := start(t, Options{Left: local.New(), LeftDir: t.TempDir(), Right: local.New(), RightDir: t.TempDir(), ThemeFor: themeFor}, 80, 24)
	for _, dark := range []bool{true, false} {
		bg := color.Color(color.White)
		if dark {
			bg = color.Black
		}
		m.Update(tea.BackgroundColorMsg{Color: bg})
		if got, want := m.styles.File.GetForeground(), common.NewTheme(dark).Text; got != want {
			t.Errorf("dark %v: file colour %v, want the background's default %v", dark, got, want)
		}
		if got := m.styles.HeaderFocused.GetBackground(); got != over {
			t.Errorf("dark %v: accent %v, want the override %v", dark, got, over)
		}
	}
}

// TestStartViewFromOptions: HideHidden, SortBy and SortReverse set both
// panes' first listing.
func TestStartViewFromOptions(t *testing.T) {
	t.Parallel()
	root := makeTree(t, file{name: ".dot", size: 5}, file{name: "big", size: 300}, file{name: "mid", size: 200}, file{name: "small", size: 100})
	m := start(t, Options{Left: local.New(), LeftDir: root, Right: local.New(), RightDir: root, HideHidden: true, SortBy: "size"}, 120, 24)
	if got := strings.Join(names(&m.panes[leftSide]), " "); !strings.HasSuffix(got, "big mid small") || strings.Contains(got, ".dot") {
		t.Errorf("hidden off, by size: %q", got)
	}
	m = start(t, Options{Left: local.New(), LeftDir: root, Right: local.New(), RightDir: root, SortBy: "size", SortReverse: true}, 120, 24)
	if got := strings.Join(names(&m.panes[rightSide]), " "); !strings.HasSuffix(got, "small mid big") || !strings.Contains(got, ".dot") {
		t.Errorf("hidden on, by size reversed: %q", got)
	}
}

// TestNoQuitConfirmQuitsAtOnce: with NoQuitConfirm, q quits while
// transfers are queued, cancelling them.
func TestNoQuitConfirmQuitsAtOnce(t *testing.T) {
	t.Parallel()
	m, r, e := engineModel(t, local.New(), local.New(), numberedFiles(t, 2), t.TempDir(), 100, 20)
	m.opts.NoQuitConfirm = true
	e.Pause()
	copyAll(t, r)
	planned(r, e, 2)
	if !isQuit(press(t, m, "q")) {
		t.Fatalf("q did not quit at once:\n%s", screen(m))
	}
}
