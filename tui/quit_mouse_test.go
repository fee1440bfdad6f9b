package tui

import (
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/local"
)

// isQuit reports whether cmd ends the program.
func isQuit(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	_, ok := cmd().(tea.QuitMsg)
	return ok
}

func TestCtrlCQuitsFromAnywhere(t *testing.T) {
	t.Parallel()
	m := start(t, Options{Left: local.New(), Right: local.New(), LeftDir: navTree(t), RightDir: t.TempDir()}, 100, 20)
	press(t, m, "n") // a dialog is open
	if !isQuit(press(t, m, "ctrl+c")) {
		t.Error("ctrl+c in a dialog did not quit")
	}
}

func TestDialogsTakeKeys(t *testing.T) {
	t.Parallel()
	root := navTree(t)
	m := localPair(t, root, root, 100, 20)
	press(t, m, "n")
	typeText(t, m, "jq")
	if m.panes[leftSide].Cursor() != 0 {
		t.Error("j reached the pane")
	}
	if d := inputOpen(t, m, "New directory"); d.Typed() != "jq" {
		t.Errorf("typed %q", d.Typed())
	}
}

// clicker is a clock that moves on by step at each call.
func clicker(step time.Duration) func() time.Time {
	now := fixedNow
	return func() time.Time { now = now.Add(step); return now }
}

func TestMouseClickFocusesAndMovesCursor(t *testing.T) {
	t.Parallel()
	root := navTree(t)
	m := start(t, Options{Left: local.New(), Right: local.New(), LeftDir: root, RightDir: root, Now: clicker(time.Second)}, 100, 20)
	rp := &m.panes[rightSide]
	// The right pane starts at x = 50; row 3 is the third entry.
	cmd := m.handleClick(tea.MouseClickMsg{X: 60, Y: 3, Button: tea.MouseLeft})
	if cmd != nil || m.focus != rightSide || rp.Cursor() != 2 {
		t.Fatalf("focus %v cursor %d cmd %v", m.focus, rp.Cursor(), cmd != nil)
	}
	m.Update(tea.MouseClickMsg{X: 10, Y: 0, Button: tea.MouseLeft}) // left header
	if m.focus != leftSide {
		t.Error("a click on the left header did not focus the left pane")
	}
	m.Update(tea.MouseClickMsg{X: 49, Y: 4, Button: tea.MouseLeft}) // separator
	m.Update(tea.MouseClickMsg{X: 10, Y: 18, Button: tea.MouseLeft})
	if m.focus != leftSide || m.panes[leftSide].Cursor() != 0 {
		t.Error("a click on the separator or below the rows moved something")
	}
	m.Update(tea.MouseClickMsg{X: 60, Y: 5, Button: tea.MouseRight})
	if m.focus != leftSide {
		t.Error("a right click focused")
	}
	if m.View().MouseMode != tea.MouseModeCellMotion {
		t.Error("mouse reporting is off")
	}
}

func TestMouseDoubleClickOpens(t *testing.T) {
	t.Parallel()
	root := navTree(t)
	m := start(t, Options{Left: local.New(), Right: local.New(), LeftDir: root, RightDir: root, Now: clicker(100 * time.Millisecond)}, 100, 20)
	p := &m.panes[leftSide]
	if _, cmd := m.Update(tea.MouseClickMsg{X: 5, Y: 2, Button: tea.MouseLeft}); cmd != nil {
		t.Fatal("a single click opened")
	}
	_, cmd := m.Update(tea.MouseClickMsg{X: 5, Y: 2, Button: tea.MouseLeft})
	if cmd == nil {
		t.Fatal("a double click did not open")
	}
	settle(t, m, cmd)
	if p.Path() != root+"/beta" {
		t.Errorf("path %q", p.Path())
	}

	slow := start(t, Options{Left: local.New(), Right: local.New(), LeftDir: root, RightDir: root, Now: clicker(time.Second)}, 100, 20)
	slow.Update(tea.MouseClickMsg{X: 5, Y: 2, Button: tea.MouseLeft})
	if _, cmd := slow.Update(tea.MouseClickMsg{X: 5, Y: 2, Button: tea.MouseLeft}); cmd != nil {
		t.Error("two slow clicks opened")
	}
	slow.Update(tea.MouseClickMsg{X: 5, Y: 1, Button: tea.MouseLeft})
	if _, cmd := slow.Update(tea.MouseClickMsg{X: 5, Y: 2, Button: tea.MouseLeft}); cmd != nil {
		t.Error("clicks on two rows opened")
	}
}

func TestMouseWheelScrolls(t *testing.T) {
	t.Parallel()
	m := start(t, Options{Left: local.New(), Right: local.New(), LeftDir: manyFiles(t, 40), RightDir: t.TempDir()}, 80, 12)
	p := &m.panes[leftSide]
	m.Update(tea.MouseWheelMsg{X: 5, Y: 5, Button: tea.MouseWheelDown})
	if p.Offset() != 3 || p.Cursor() != 3 {
		t.Errorf("wheel down: offset %d cursor %d", p.Offset(), p.Cursor())
	}
	for range 20 {
		m.Update(tea.MouseWheelMsg{X: 5, Y: 5, Button: tea.MouseWheelDown})
	}
	if p.Offset() != 40-9 || p.Cursor() != 40-9 {
		t.Errorf("wheel to the end: offset %d cursor %d", p.Offset(), p.Cursor())
	}
	m.Update(tea.MouseWheelMsg{X: 5, Y: 5, Button: tea.MouseWheelUp})
	if p.Offset() != 28 || p.Cursor() != 31 { // still visible: it stays
		t.Errorf("wheel up: offset %d cursor %d", p.Offset(), p.Cursor())
	}
	m.Update(tea.MouseWheelMsg{X: 60, Y: 5, Button: tea.MouseWheelDown})
	if p.Offset() != 28 {
		t.Error("the wheel over the right pane scrolled the left one")
	}

	// In the viewer the wheel scrolls the text.
	var text strings.Builder
	for i := range 50 {
		text.WriteString("line " + strconv.Itoa(i) + "\n")
	}
	root := makeTree(t, file{name: "a.txt", content: text.String()})
	m = localPair(t, root, root, 80, 12)
	settle(t, m, press(t, m, "v"))
	m.Update(tea.MouseWheelMsg{X: 5, Y: 5, Button: tea.MouseWheelDown})
	if first := strings.Split(screen(m), "\n")[1]; strings.TrimSpace(first) != "line 3" {
		t.Errorf("viewer scrolled to %q, want line 3 first", first)
	}
}
