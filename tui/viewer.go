package tui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/tui/viewer"
)

// startView opens the file under the cursor in the viewer.
func (m *Model) startView() tea.Cmd {
	p, ok := m.actionPane()
	if !ok {
		return nil
	}
	e, ok := p.Current()
	if !ok || e.Opens() {
		m.status.setInfo("choose a file to view")
		return nil
	}
	full := p.FS().Join(p.Path(), e.Name())
	v := viewer.New(m.ids.next(), text.Sanitize(p.FS().Label())+":"+text.Sanitize(full), e.Size(), &m.keys)
	m.push(v)
	return viewer.Read(m.ctx, p.FS(), full, v.ID())
}

// handleViewerLoaded shows the data, or closes the viewer with the error.
func (m *Model) handleViewerLoaded(msg viewer.LoadedMsg) tea.Cmd {
	v, ok := topIs[*viewer.Model](m)
	if !ok || v.ID() != msg.ID {
		return nil // stale: that viewer is closed
	}
	v.Load(msg)
	if msg.Err != nil {
		m.status.setError(msg.Err)
		return m.closed(v)
	}
	return nil
}

// handleViewerClosed closes the viewer the user left.
func (m *Model) handleViewerClosed(msg viewer.CloseMsg) tea.Cmd {
	if v, ok := topIs[*viewer.Model](m); ok && v.ID() == msg.ID {
		return m.closed(v)
	}
	return nil
}
