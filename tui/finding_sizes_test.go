package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/places"
)

// TestFindingOverlaysFitAnySize draws the find, bookmark and log overlays
// at tiny and odd sizes: every line exactly as wide as the window, never
// more lines than it has.
func TestFindingOverlaysFitAnySize(t *testing.T) {
	t.Parallel()
	root := makeTree(t, file{name: "a/needle.txt", content: "x"}, file{name: "needle/", mtime: mtimeOld})
	m := start(t, Options{Left: local.New(), Right: local.New(), LeftDir: root, RightDir: root,
		Places: places.NewStore(t.TempDir())}, 80, 20)
	r := newRunner(t, m)
	r.press("B") // a bookmark to list
	r.press("ctrl+f")
	r.typeText("needle")
	r.press("enter")
	r.waitFor("the search", func() bool { return !findTop(t, m).Running() })
	for _, open := range []string{"", "b", "L"} {
		if open != "" {
			r.press("esc")
			r.press(open)
		}
		if m.stack.top() == nil {
			t.Fatalf("nothing open for %q", open)
		}
		for _, w := range []int{1, 2, 7, 33} {
			for _, h := range []int{1, 3, 4, 9} {
				r.send(windowSize(w, h))
				lines := strings.Split(m.View().Content, "\n")
				if len(lines) > h {
					t.Fatalf("%q at %dx%d: %d lines", open, w, h, len(lines))
				}
				for i, l := range lines {
					if got := ansi.StringWidth(l); got != w {
						t.Fatalf("%q at %dx%d: line %d is %d wide: %q", open, w, h, i, got, ansi.Strip(l))
					}
				}
			}
		}
	}
}

// windowSize is the message of a terminal w by h cells.
func windowSize(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }
