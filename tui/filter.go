package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/tui/common"
	"github.com/ferry-tui/ferry/tui/pane"
)

// filter is the live filter of the focused pane, typed in the status
// line while active: FilterKeep (Enter) keeps it and returns to the list
// on the first match, FilterClear (Esc) clears it, FilterUp and
// FilterDown (↑/↓) move the cursor; every other key edits it.
//
// Filter (/) on a kept filter starts a new one, as less does with its
// search: the kept text shows greyed in the empty input and stays applied
// until the first edit replaces it; FilterEdit (→) takes it into the
// input to edit instead, and Enter before any edit keeps it. Outside the
// input, the first Esc clears a kept filter, the next the selection.
type filter struct {
	active bool
	input  common.LineInput
	keys   *KeyMap
	kept   string // the kept filter offered again, until the first edit
}

// start opens the filter input for p, once p is listed.
func (f *filter) start(p *pane.Model) {
	if !p.Loaded() {
		return
	}
	f.active = true
	f.kept = p.Filter()
	f.input.SetValue("")
	f.input.Placeholder = f.kept
}

// help returns the keys that work while the filter is typed.
func (f *filter) help() []key.Binding {
	k := f.keys
	if f.kept != "" {
		return []key.Binding{k.FilterKeep, k.FilterClear, k.FilterEdit, k.FilterUp, k.FilterDown}
	}
	return []key.Binding{k.FilterKeep, k.FilterClear, k.FilterUp, k.FilterDown}
}

// clearKept clears the kept filter of p, if it has one, and reports
// whether it did: Esc in the list clears the filter before the selection.
func (f *filter) clearKept(p *pane.Model) bool {
	if f.active || p.Filter() == "" {
		return false
	}
	p.ClearFilter()
	return true
}

// update edits the filter of p for a key or a paste, and reports whether
// the input closed.
func (f *filter) update(msg tea.Msg, p *pane.Model) (closed bool) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, f.keys.FilterKeep):
			p.Top()
			f.close()
			return true
		case key.Matches(k, f.keys.FilterClear):
			p.ClearFilter()
			f.close()
			return true
		case key.Matches(k, f.keys.FilterUp):
			p.MoveCursor(-1)
			return false
		case key.Matches(k, f.keys.FilterDown):
			p.MoveCursor(1)
			return false
		case f.kept != "" && key.Matches(k, f.keys.FilterEdit):
			f.input.SetValue(f.kept)
			f.dropKept()
			return false
		}
	}
	if f.kept != "" && !f.replaces(msg) {
		return false
	}
	f.dropKept()
	f.input.Update(msg)
	p.SetFilter(f.input.Value())
	return false
}

// replaces reports whether msg, typed while the kept filter is offered,
// replaces it: a paste, typed text or a key that deletes.
func (f *filter) replaces(msg tea.Msg) bool {
	switch msg := msg.(type) {
	case tea.PasteMsg:
		return true
	case tea.KeyPressMsg:
		switch msg.String() {
		case "backspace", "ctrl+h", "delete", "ctrl+d", "ctrl+u", "ctrl+k", "ctrl+w", "alt+backspace":
			return true
		}
		return msg.Text != "" && msg.Mod&(tea.ModCtrl|tea.ModAlt|tea.ModMeta|tea.ModSuper|tea.ModHyper) == 0
	}
	return false
}

// close closes the input.
func (f *filter) close() {
	f.active = false
	f.dropKept()
}

// dropKept stops offering the kept filter: it was edited or replaced.
func (f *filter) dropKept() {
	f.kept = ""
	f.input.Placeholder = ""
}
