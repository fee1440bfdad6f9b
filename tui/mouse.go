package tui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/tui/pane"
)

// doubleClick is the longest gap between the clicks of a double-click.
const doubleClick = 400 * time.Millisecond

// wheelRows is how far one wheel notch scrolls.
const wheelRows = 3

// click remembers the last click on a row, to recognise a double-click.
type click struct {
	side side
	row  int // index into the pane's rows; -1 for none
	at   time.Time
}

// paneAt returns the pane under cell (x, y) and the row index of the entry
// there (-1 on the header or below the last row); ok is false outside the
// panes.
func paneAt(panes *[2]pane.Model, x, y int) (s side, row int, ok bool) {
	if y < 0 || y >= panes[leftSide].Height() {
		return 0, 0, false
	}
	lw := panes[leftSide].Width()
	s = leftSide
	switch {
	case x < lw:
	case x > lw:
		s = rightSide
	default:
		return 0, 0, false // the separator
	}
	p := &panes[s]
	row = p.Offset() + y - 1
	if y == 0 || row >= p.Rows() {
		row = -1
	}
	return s, row, true
}

// handleClick focuses the pane clicked, puts the cursor on the row clicked,
// and opens it on a double-click.
func (m *Model) handleClick(msg tea.MouseClickMsg) tea.Cmd {
	if msg.Button != tea.MouseLeft || m.filter.active {
		return nil
	}
	s, row, ok := paneAt(&m.panes, msg.X, msg.Y)
	if !ok || m.stack.top() != nil || m.questions.cur != nil {
		return nil
	}
	m.status.clear()
	m.setFocus(s)
	if row < 0 {
		m.lastClick = click{row: -1}
		return nil
	}
	p := &m.panes[s]
	p.SetCursor(row)
	now := m.now()
	last := m.lastClick
	m.lastClick = click{side: s, row: row, at: now}
	if last.row == row && last.side == s && now.Sub(last.at) <= doubleClick {
		m.lastClick = click{row: -1}
		return p.Open()
	}
	return nil
}

// handleWheel scrolls the pane under the pointer, the viewer, or the
// queue view.
func (m *Model) handleWheel(msg tea.MouseWheelMsg) tea.Cmd {
	delta := 0
	switch msg.Button {
	case tea.MouseWheelUp:
		delta = -wheelRows
	case tea.MouseWheelDown:
		delta = wheelRows
	default:
		return nil
	}
	if m.questions.cur != nil {
		return nil
	}
	if cmd, ok := m.toTop(msg); ok {
		return cmd
	}
	if s, _, ok := paneAt(&m.panes, msg.X, msg.Y); ok {
		m.panes[s].Scroll(delta)
	}
	return nil
}
