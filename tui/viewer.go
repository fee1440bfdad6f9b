package tui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/tui/viewer"
)

// startView opens the file under the cursor in the viewer.
func (o *fileOps) startView() tea.Cmd {
	p, ok := o.actionPane()
	if !ok {
		return nil
	}
	e, ok := p.Current()
	if !ok || e.Opens() {
		o.status.setInfo("choose a file to view")
		return nil
	}
	full := p.FS().Join(p.Path(), e.Name())
	v := viewer.New(o.ids.next(), text.Sanitize(p.FS().Label())+":"+text.Sanitize(full), e.Size(), o.keys)
	o.push(v)
	return viewer.Read(o.ctx, p.FS(), full, v.ID())
}

// handleViewerLoaded shows the data, or closes the viewer with the error.
func (o *fileOps) handleViewerLoaded(msg viewer.LoadedMsg) tea.Cmd {
	v, ok := asOverlay[*viewer.Model](o.top())
	if !ok || v.ID() != msg.ID {
		return nil // stale: that viewer is closed
	}
	v.Load(msg)
	if msg.Err != nil {
		o.status.setError(msg.Err)
		return o.closed(v)
	}
	return nil
}

// handleViewerClosed closes the viewer the user left.
func (o *fileOps) handleViewerClosed(msg viewer.CloseMsg) tea.Cmd {
	if v, ok := asOverlay[*viewer.Model](o.top()); ok && v.ID() == msg.ID {
		return o.closed(v)
	}
	return nil
}
