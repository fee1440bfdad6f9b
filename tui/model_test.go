package tui

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ferry-tui/ferry/local"
)

// navTree is a small tree for navigation tests.
func navTree(t *testing.T) string {
	return makeTree(t,
		file{name: "beta/"},
		file{name: "alpha/"},
		file{name: "Gamma dir/"},
		file{name: "beta/inner.txt", size: 3},
		file{name: "zeta.txt", size: 10},
		file{name: "Éclair.md", size: 20},
		file{name: "apple.txt", size: 30},
	)
}

func TestInitListsBothPanesDirsFirst(t *testing.T) {
	t.Parallel()
	left, right := navTree(t), makeTree(t, file{name: "r.txt"})
	m := start(t, Options{Left: local.New(), Right: local.New(), LeftDir: left, RightDir: right}, 100, 20)

	lp, rp := &m.panes[leftSide], &m.panes[rightSide]
	if lp.Path() != left || rp.Path() != right {
		t.Fatalf("paths = %q, %q; want %q, %q", lp.Path(), rp.Path(), left, right)
	}
	// Case is ignored; letters compare by code point, so É sorts after z.
	want := []string{"alpha", "beta", "Gamma dir", "apple.txt", "zeta.txt", "Éclair.md"}
	if got := names(lp); !slices.Equal(got, want) {
		t.Errorf("left entries = %q, want %q", got, want)
	}
	if got := names(rp); !slices.Equal(got, []string{"r.txt"}) {
		t.Errorf("right entries = %q", got)
	}
	if m.focus != leftSide || !lp.Focused() || rp.Focused() {
		t.Errorf("focus = %v (left %v, right %v), want left", m.focus, lp.Focused(), rp.Focused())
	}
	if lp.Cursor() != 0 {
		t.Errorf("cursor = %d, want 0", lp.Cursor())
	}
}

func TestInitEmptyDirStartsAtHome(t *testing.T) {
	t.Parallel()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	m := start(t, Options{Left: local.New(), Right: local.New()}, 100, 20)
	for s, p := range m.panes {
		if p.Path() != wd {
			t.Errorf("%v pane path = %q, want the working directory %q", side(s), p.Path(), wd)
		}
	}
}

func TestCursorMovesAndStopsAtEnds(t *testing.T) {
	t.Parallel()
	m := start(t, Options{Left: local.New(), Right: local.New(), LeftDir: navTree(t), RightDir: t.TempDir()}, 100, 20)
	p := &m.panes[leftSide]
	steps := []struct {
		key  string
		want int
	}{
		{"k", 0}, {"up", 0}, // already at the top
		{"j", 1}, {"down", 2}, {"j", 3}, {"k", 2},
		{"j", 3}, {"j", 4}, {"j", 5}, {"j", 5}, {"down", 5}, // stops at the bottom
	}
	for i, s := range steps {
		if cmd := press(t, m, s.key); cmd != nil {
			t.Fatalf("step %d: %q returned a Cmd", i, s.key)
		}
		if p.Cursor() != s.want {
			t.Fatalf("step %d: after %q cursor = %d, want %d", i, s.key, p.Cursor(), s.want)
		}
	}
}

func TestEnterOpensDirAndBackspaceReturnsToIt(t *testing.T) {
	t.Parallel()
	root := navTree(t)
	m := start(t, Options{Left: local.New(), Right: local.New(), LeftDir: root, RightDir: root}, 100, 20)
	p := &m.panes[leftSide]

	press(t, m, "j") // beta
	settle(t, m, press(t, m, "enter"))
	if want := filepath.Join(root, "beta"); p.Path() != want {
		t.Fatalf("after enter path = %q, want %q", p.Path(), want)
	}
	if got := names(p); !slices.Equal(got, []string{"inner.txt"}) {
		t.Fatalf("entries = %q", got)
	}
	if p.Cursor() != 0 {
		t.Errorf("cursor in new dir = %d, want 0", p.Cursor())
	}

	settle(t, m, press(t, m, "backspace"))
	if p.Path() != root {
		t.Fatalf("after backspace path = %q, want %q", p.Path(), root)
	}
	if got := cursorName(p); got != "beta" {
		t.Errorf("cursor on %q after backspace, want beta (index %d)", got, p.Cursor())
	}
	if m.panes[rightSide].Path() != root || m.panes[rightSide].Cursor() != 0 {
		t.Errorf("right pane changed: %q cursor %d", m.panes[rightSide].Path(), m.panes[rightSide].Cursor())
	}
}

func TestEnterOnFileDoesNothing(t *testing.T) {
	t.Parallel()
	root := navTree(t)
	m := start(t, Options{Left: local.New(), Right: local.New(), LeftDir: root, RightDir: root}, 100, 20)
	press(t, m, "j", "j", "j") // apple.txt
	if got := cursorName(&m.panes[leftSide]); got != "apple.txt" {
		t.Fatalf("cursor on %q, want apple.txt", got)
	}
	if cmd := press(t, m, "enter"); cmd != nil {
		t.Errorf("enter on a file returned a Cmd")
	}
	if m.panes[leftSide].Path() != root {
		t.Errorf("path changed to %q", m.panes[leftSide].Path())
	}
}

func TestEnterFollowsSymlinkToDir(t *testing.T) {
	t.Parallel()
	root := navTree(t)
	if err := os.Symlink(filepath.Join(root, "beta"), filepath.Join(root, "link")); err != nil {
		t.Skip("symlinks unsupported:", err)
	}
	m := start(t, Options{Left: local.New(), Right: local.New(), LeftDir: root, RightDir: root}, 100, 20)
	p := &m.panes[leftSide]
	p.SetCursor(p.RowOf("link"))
	settle(t, m, press(t, m, "enter"))
	if want := filepath.Join(root, "link"); p.Path() != want {
		t.Fatalf("path = %q, want %q", p.Path(), want)
	}
	if got := names(p); !slices.Equal(got, []string{"inner.txt"}) {
		t.Errorf("entries = %q", got)
	}
}

func TestBackspaceAtRootDoesNothing(t *testing.T) {
	t.Parallel()
	m := start(t, Options{Left: local.New(), Right: local.New(), LeftDir: string(filepath.Separator), RightDir: t.TempDir()}, 100, 20)
	if cmd := press(t, m, "backspace"); cmd != nil {
		t.Errorf("backspace at the root returned a Cmd")
	}
}

func TestTabSwitchesFocusAndKeysFollow(t *testing.T) {
	t.Parallel()
	root := navTree(t)
	m := start(t, Options{Left: local.New(), Right: local.New(), LeftDir: root, RightDir: root}, 100, 20)
	lp, rp := &m.panes[leftSide], &m.panes[rightSide]

	press(t, m, "tab")
	if m.focus != rightSide || lp.Focused() || !rp.Focused() {
		t.Fatalf("after tab focus = %v (left %v, right %v), want right", m.focus, lp.Focused(), rp.Focused())
	}
	press(t, m, "j", "j")
	if lp.Cursor() != 0 || rp.Cursor() != 2 {
		t.Errorf("cursors = %d, %d; want 0, 2 (keys go to the focused pane only)", lp.Cursor(), rp.Cursor())
	}
	press(t, m, "tab")
	if m.focus != leftSide || !lp.Focused() || rp.Focused() {
		t.Errorf("second tab: focus = %v, want left", m.focus)
	}
}

func TestQuitKeys(t *testing.T) {
	t.Parallel()
	for _, k := range []string{"q", "ctrl+c"} {
		t.Run(k, func(t *testing.T) {
			m := start(t, Options{Left: local.New(), Right: local.New(), LeftDir: t.TempDir(), RightDir: t.TempDir()}, 100, 20)
			cmd := press(t, m, k)
			if cmd == nil {
				t.Fatal("no Cmd")
			}
			if _, ok := cmd().(tea.QuitMsg); !ok {
				t.Errorf("%s: Cmd does not quit", k)
			}
			if m.ctx.Err() == nil {
				t.Errorf("%s: requests not cancelled", k)
			}
		})
	}
	t.Run("j does not quit", func(t *testing.T) {
		m := start(t, Options{Left: local.New(), Right: local.New(), LeftDir: t.TempDir(), RightDir: t.TempDir()}, 100, 20)
		if cmd := press(t, m, "j"); cmd != nil {
			t.Error("j returned a Cmd")
		}
	})
}

func TestStaleListingIsDropped(t *testing.T) {
	t.Parallel()
	root := navTree(t)
	m := start(t, Options{Left: local.New(), Right: local.New(), LeftDir: root, RightDir: root}, 100, 20)
	p := &m.panes[leftSide]

	first := loads(press(t, m, "enter")) // alpha, still loading
	press(t, m, "j")                     // the old listing still takes keys
	second := loads(press(t, m, "enter"))
	if len(first) != 1 || len(second) != 1 {
		t.Fatalf("got %d and %d listings", len(first), len(second))
	}
	if p.Latest(first[0]) || !p.Latest(second[0]) {
		t.Fatal("the first request is still the latest")
	}
	m.Update(second[0])
	m.Update(first[0]) // arrives late
	if want := filepath.Join(root, "beta"); p.Path() != want {
		t.Errorf("path = %q, want %q: the stale alpha listing was applied", p.Path(), want)
	}
	if m.status.text != "" {
		t.Errorf("status = %q", m.status.text)
	}
}

func TestListErrorKeepsListingAndNamesPath(t *testing.T) {
	t.Parallel()
	root := navTree(t)
	m := start(t, Options{Left: local.New(), Right: local.New(), LeftDir: root, RightDir: root}, 100, 20)
	p := &m.panes[leftSide]
	before := names(p)

	press(t, m, "j") // beta
	if err := os.RemoveAll(filepath.Join(root, "beta")); err != nil {
		t.Fatal(err)
	}
	settle(t, m, press(t, m, "enter"))

	if p.Path() != root || !slices.Equal(names(p), before) || p.Cursor() != 1 {
		t.Errorf("listing changed on error: %q %q cursor %d", p.Path(), names(p), p.Cursor())
	}
	want := "cannot list " + filepath.Join(root, "beta") + ": "
	if !m.status.isErr || !strings.HasPrefix(m.status.text, want) {
		t.Errorf("status = %q (error %v), want prefix %q", m.status.text, m.status.isErr, want)
	}
	if !strings.Contains(ansi.Strip(m.View().Content), want) {
		t.Error("the error is not on screen")
	}
	if p.Loading() {
		t.Error("still loading after the error")
	}

	press(t, m, "k")
	if m.status.text != "" {
		t.Errorf("status %q not cleared by the next key", m.status.text)
	}
}

func TestHomeErrorShownInStatus(t *testing.T) {
	t.Parallel()
	bad := &rootedFS{label: "web1", base: t.TempDir(), homeErr: errors.New("connection lost")}
	m := start(t, Options{Left: local.New(), Right: bad, LeftDir: t.TempDir()}, 100, 20)
	if got, want := m.status.text, "cannot find the home directory: connection lost"; got != want {
		t.Errorf("status = %q, want %q", got, want)
	}
	if got := ansi.Strip(m.View().Content); !strings.Contains(got, "web1:") || !strings.Contains(got, "not listed") {
		t.Errorf("view does not show the unlisted pane:\n%s", got)
	}
}

func TestSanitisedErrorInStatus(t *testing.T) {
	t.Parallel()
	root := makeTree(t, file{name: "evil\x1b]0;pwned\a/"})
	m := start(t, Options{Left: local.New(), Right: local.New(), LeftDir: root, RightDir: root}, 100, 20)
	if err := os.Remove(filepath.Join(root, "evil\x1b]0;pwned\a")); err != nil {
		t.Fatal(err)
	}
	settle(t, m, press(t, m, "enter"))
	if !strings.Contains(m.status.text, `evil\x1b]0;pwned\x07`) {
		t.Errorf("status = %q, want the name escaped", m.status.text)
	}
	if strings.ContainsAny(m.View().Content, "\a") || strings.Contains(m.View().Content, "\x1b]0") {
		t.Error("raw control characters reached the view")
	}
}

func TestRefreshKeepsCursorOnEntry(t *testing.T) {
	t.Parallel()
	root := navTree(t)
	m := start(t, Options{Left: local.New(), Right: local.New(), LeftDir: root, RightDir: root}, 100, 20)
	p := &m.panes[leftSide]
	press(t, m, "j", "j", "j", "j") // zeta.txt
	if err := os.Mkdir(filepath.Join(root, "aaa"), 0o755); err != nil {
		t.Fatal(err)
	}
	settle(t, m, p.Load(p.Path(), ""))
	if got := cursorName(p); got != "zeta.txt" {
		t.Errorf("cursor on %q after refresh, want zeta.txt", got)
	}
}

func TestCursorScrollsViewport(t *testing.T) {
	t.Parallel()
	var files []file
	for i := range 30 {
		files = append(files, file{name: "file-" + string(rune('a'+i/10)) + string(rune('0'+i%10)) + ".txt"})
	}
	root := makeTree(t, files...)
	// 10 lines: 8 for panes (header and 7 rows), status, help.
	m := start(t, Options{Left: local.New(), Right: local.New(), LeftDir: root, RightDir: root}, 80, 10)
	p := &m.panes[leftSide]

	for range 10 {
		press(t, m, "j")
	}
	if p.Cursor() != 10 || p.Offset() != 4 {
		t.Fatalf("cursor %d offset %d, want 10 and 4", p.Cursor(), p.Offset())
	}
	view := ansi.Strip(m.View().Content)
	lines := strings.Split(view, "\n")
	leftHalf := func(i int) string { return lines[i][:p.Width()] }
	if !strings.Contains(leftHalf(7), "file-b0.txt") {
		t.Errorf("last row %q does not hold the cursor's file-b0.txt", leftHalf(7))
	}
	if !strings.Contains(leftHalf(1), "file-a4.txt") {
		t.Errorf("first row %q, want file-a4.txt at the top", leftHalf(1))
	}
	for i := range 8 {
		if strings.Contains(leftHalf(i), "file-a3.txt") {
			t.Errorf("file-a3.txt still visible on line %d", i)
		}
	}
	for range 6 {
		press(t, m, "k")
	}
	if p.Cursor() != 4 || p.Offset() != 4 {
		t.Errorf("after going back up: cursor %d offset %d, want 4 and 4", p.Cursor(), p.Offset())
	}
	press(t, m, "k")
	if p.Offset() != 3 {
		t.Errorf("offset %d, want 3 once the cursor leaves the top", p.Offset())
	}

	// Shrinking the window keeps the cursor visible.
	press(t, m, "j", "j", "j", "j", "j", "j", "j", "j") // cursor 11
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 5})
	if rows := p.VisibleRows(); p.Cursor() < p.Offset() || p.Cursor() >= p.Offset()+rows {
		t.Errorf("cursor %d outside rows %d..%d after resize", p.Cursor(), p.Offset(), p.Offset()+rows-1)
	}
}
