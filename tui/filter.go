package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/tui/common"
	"github.com/ferry-tui/ferry/tui/pane"
)

// filter is the live filter of the focused pane, typed in the status
// line while active: Enter keeps it and returns to the list on the first
// match, Esc clears it, ↑/↓ move the cursor.
type filter struct {
	active bool
	input  common.LineInput
	keys   *KeyMap
}

// start opens the filter input for p, once p is listed.
func (f *filter) start(p *pane.Model) {
	if !p.Loaded() {
		return
	}
	f.active = true
	f.input.SetValue(p.Filter())
}

// update edits the filter of p for a key or a paste, and reports whether
// the input closed.
func (f *filter) update(msg tea.Msg, p *pane.Model) (closed bool) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, f.keys.Submit):
			p.Top()
			f.active = false
			return true
		case key.Matches(k, f.keys.Cancel):
			p.ClearFilter()
			f.active = false
			return true
		case k.Code == tea.KeyUp:
			p.MoveCursor(-1)
			return false
		case k.Code == tea.KeyDown:
			p.MoveCursor(1)
			return false
		}
	}
	f.input.Update(msg)
	p.SetFilter(f.input.Value())
	return false
}
