package tui

import (
	"image/color"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/tui/common"
)

func TestViewFillsWindowExactly(t *testing.T) {
	t.Parallel()
	root := goldenLeftTree(t)
	for _, size := range [][2]int{{100, 20}, {80, 24}, {120, 40}, {50, 10}, {30, 6}, {9, 3}, {2, 2}} {
		w, h := size[0], size[1]
		m := start(t, Options{Left: local.New(), Right: local.New(), LeftDir: root, RightDir: root}, w, h)
		press(t, m, "j", "j", "j", "j", "j", "j", "j")
		lines := strings.Split(m.View().Content, "\n")
		if len(lines) != h {
			t.Errorf("%dx%d: %d lines", w, h, len(lines))
		}
		for i, l := range lines {
			if got := ansi.StringWidth(l); got != w {
				t.Errorf("%dx%d: line %d is %d cells wide: %q", w, h, i, got, ansi.Strip(l))
			}
		}
	}
}

func TestViewBeforeSizeIsEmpty(t *testing.T) {
	t.Parallel()
	m := New(Options{Left: local.New(), Right: local.New()})
	t.Cleanup(func() { m.quit() })
	v := m.View()
	if v.Content != "" || !v.AltScreen {
		t.Errorf("view = %q, alt screen %v", v.Content, v.AltScreen)
	}
}

// plainStyles returns styles that draw nothing except the ones named, so a
// test can find exactly where they are used.
func plainStyles() Styles { return Styles{} }

func TestCursorAndFocusedHeaderStyled(t *testing.T) {
	t.Parallel()
	root := navTree(t)
	m := start(t, Options{Left: local.New(), Right: local.New(), LeftDir: root, RightDir: root}, 100, 20)
	st := plainStyles()
	st.Cursor = st.Cursor.Reverse(true)
	st.HeaderFocused = st.HeaderFocused.Underline(true)
	m.setStyles(st)
	const reverse, underline = "\x1b[7m", "\x1b[4m"

	press(t, m, "j", "j")
	lines := strings.Split(m.View().Content, "\n")
	var styled []int
	for i, l := range lines {
		if strings.Contains(l, reverse) {
			styled = append(styled, i)
		}
	}
	// Row 0 is the header, so the third entry is line 3.
	if !slices.Equal(styled, []int{3}) {
		t.Errorf("cursor style on lines %v, want [3]", styled)
	}
	if !strings.HasPrefix(lines[0], underline) {
		t.Errorf("left header not in the focused style: %q", lines[0])
	}

	press(t, m, "tab")
	lines = strings.Split(m.View().Content, "\n")
	if strings.HasPrefix(lines[0], underline) || !strings.Contains(lines[0], underline) {
		t.Errorf("after tab the focused style should move to the right header: %q", lines[0])
	}
	styled = nil
	for i, l := range lines {
		if strings.Contains(l, reverse) {
			styled = append(styled, i)
		}
	}
	if !slices.Equal(styled, []int{1}) || strings.Index(lines[1], reverse) < strings.Index(lines[1], "│") {
		t.Errorf("cursor style on lines %v, want only the right pane's first row: %q", styled, lines[1])
	}
}

func TestBackgroundColorRebuildsStyles(t *testing.T) {
	t.Parallel()
	m := New(Options{Left: local.New(), Right: local.New()})
	t.Cleanup(func() { m.quit() })
	dark := common.NewTheme(true).Accent
	light := common.NewTheme(false).Accent
	if dark == light {
		t.Fatal("the themes do not differ")
	}
	if got := m.styles.HeaderFocused.GetBackground(); got != dark {
		t.Errorf("default accent %v, want the dark %v", got, dark)
	}
	m.Update(tea.BackgroundColorMsg{Color: color.White})
	if got := m.styles.HeaderFocused.GetBackground(); got != light {
		t.Errorf("after a white background accent %v, want the light %v", got, light)
	}
	if m.help.Styles.ShortKey.GetForeground() != common.NewTheme(false).Text {
		t.Error("help styles not rebuilt")
	}
	m.Update(tea.BackgroundColorMsg{Color: color.Black})
	if got := m.styles.HeaderFocused.GetBackground(); got != dark {
		t.Errorf("after a black background accent %v, want the dark %v", got, dark)
	}
}
