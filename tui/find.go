package tui

import (
	"context"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/tui/find"
)

// startFind opens the find overlay over the focused pane's directory.
func (m *Model) startFind() tea.Cmd {
	p := m.focused()
	if p.FS() == nil || !p.Loaded() {
		m.status.setInfo("no directory to search in this pane: press " + m.keys.Hosts.Help().Key + " to open a host")
		return nil
	}
	m.stack.push(find.New(m.ids.next(), m.focus, p.FS().Label(), p.Path(), p.FS().Separator(), &m.keys))
	return nil
}

// findOverlay returns the find overlay with id, wherever it is on the
// stack.
func (m *Model) findOverlay(id uint64) (*find.Model, bool) {
	f, ok := findOverlay[*find.Model](&m.stack)
	return f, ok && f.ID() == id
}

// handleFindStart starts the search the overlay asked for on the file
// system of its pane, stopping the one running.
func (m *Model) handleFindStart(msg find.StartMsg) tea.Cmd {
	f, ok := m.findOverlay(msg.ID)
	if !ok {
		return nil
	}
	fsys := m.panes[f.Side()].FS()
	if fsys == nil {
		return nil
	}
	ctx, cancel := context.WithCancel(m.ctx)
	run := f.Begin(cancel, m.now())
	return find.Run(ctx, fsys, f.Root(), msg.Pattern, f.ID(), run)
}

// handleFindResults gives a batch to its overlay.
func (m *Model) handleFindResults(msg find.ResultsMsg) tea.Cmd {
	f, ok := m.findOverlay(msg.ID)
	if !ok {
		return nil
	}
	return f.HandleResults(msg, m.now())
}

// handleFindGo closes the overlay and shows the match's directory with
// the cursor on it.
func (m *Model) handleFindGo(msg find.GoMsg) tea.Cmd {
	f, ok := m.findOverlay(msg.ID)
	if !ok {
		return nil
	}
	f.Stop()
	m.stack.remove(f)
	m.setFocus(msg.Side)
	p := &m.panes[msg.Side]
	if strings.HasPrefix(msg.Name, ".") && !p.ShowHidden() {
		m.status.setInfo(msg.Name + " is hidden: " + m.keys.Hidden.Help().Key + " shows hidden files")
	}
	return tea.Batch(p.Load(msg.Dir, msg.Name), m.offerConflict())
}

// handleFindClose stops the search and closes the overlay.
func (m *Model) handleFindClose(msg find.CloseMsg) tea.Cmd {
	f, ok := m.findOverlay(msg.ID)
	if !ok {
		return nil
	}
	f.Stop()
	return m.closed(f)
}
