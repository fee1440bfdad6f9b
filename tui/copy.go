package tui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
)

// startCopy asks where to copy (or move) the targets of the focused pane,
// offering the other pane's directory, as mc does.
func (m *Model) startCopy(move bool) tea.Cmd {
	verb := "copying"
	if move {
		verb = "moving"
	}
	if m.opts.Copy == nil {
		m.status.setInfo(verb + " arrives with the transfer engine")
		return nil
	}
	p, ok := m.actionPane()
	if !ok {
		return nil
	}
	dst := &m.panes[m.focus.other()]
	if dst.fs == nil || !dst.loaded {
		m.status.setInfo("open a host in the other pane first (o)")
		return nil
	}
	targets := p.targets()
	if len(targets) == 0 {
		return nil
	}
	title := "Copy "
	if move {
		title = "Move "
	}
	title += describe(targets) + " to " + Sanitize(dst.fs.Label()) + ":" + Sanitize(dst.path) + "?"
	d := m.newInput(inputCopy, title, dst.path)
	d.side, d.names, d.move = m.focus, rawNames(targets), move
	d.lines = []string{"to this directory on " + Sanitize(dst.fs.Label()) + ":"}
	m.overlay = d
	return nil
}

// submitCopy hands the copy to the injected CopyFunc.
func (m *Model) submitCopy(d *inputDialog) tea.Cmd {
	dst := &m.panes[d.side.other()]
	dir := strings.TrimSpace(d.value())
	if dir == "" {
		d.err = "a destination directory is needed"
		return nil
	}
	m.overlay = nil
	src := &m.panes[d.side]
	req := CopyRequest{
		Move:   d.move,
		SrcFS:  src.fs,
		DstFS:  dst.fs,
		SrcDir: src.path,
		Names:  d.names,
		DstDir: dst.resolve(dir),
	}
	src.clearSelection()
	return m.opts.Copy(req)
}

// handleCopyDone lists both panes again and reports a failure.
func (m *Model) handleCopyDone(msg CopyDoneMsg) tea.Cmd {
	if msg.Err != nil {
		m.status.setError(msg.Err)
	}
	return m.refreshAll()
}

// startEdit hands the file under the cursor to the injected EditFunc.
func (m *Model) startEdit() tea.Cmd {
	if m.opts.Edit == nil {
		m.status.setInfo("editing is not available")
		return nil
	}
	p, ok := m.actionPane()
	if !ok {
		return nil
	}
	e, ok := p.current()
	if !ok || e.opens() {
		m.status.setInfo("choose a file to edit")
		return nil
	}
	return m.opts.Edit(p.fs, p.fs.Join(p.path, e.name))
}

// handleEditDone lists the panes again and reports the outcome.
func (m *Model) handleEditDone(msg EditDoneMsg) tea.Cmd {
	switch {
	case msg.Err != nil:
		m.status.setError(msg.Err)
	case msg.Message != "":
		m.status.setInfo(msg.Message)
	}
	return m.refreshAll()
}

// refreshAll lists both panes again, keeping their cursors.
func (m *Model) refreshAll() tea.Cmd {
	var cmds []tea.Cmd
	for i := range m.panes {
		if p := &m.panes[i]; p.fs != nil && p.loaded {
			cmds = append(cmds, p.refresh(""))
		}
	}
	return tea.Batch(cmds...)
}
