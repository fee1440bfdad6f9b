package tui

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/text"
)

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
	e, ok := p.Current()
	if !ok || e.Opens() {
		m.status.setInfo("choose a file to edit")
		return nil
	}
	return m.opts.Edit(p.FS(), p.FS().Join(p.Path(), e.Name()))
}

// handleEditDone lists the panes again and reports the outcome.
func (m *Model) handleEditDone(msg EditDoneMsg) tea.Cmd {
	if msg.Then != nil {
		return msg.Then
	}
	if msg.Question != "" {
		lines := strings.Split(msg.Question, "\n")
		for i, l := range lines {
			lines[i] = text.Sanitize(l)
		}
		m.push(m.newConfirm(lines[0], lines[1:], func(yes bool) tea.Cmd {
			if yes {
				return msg.OnYes
			}
			return msg.OnNo
		}))
		return nil
	}
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
		if p := &m.panes[i]; p.FS() != nil && p.Loaded() {
			cmds = append(cmds, p.Refresh(""))
		}
	}
	return tea.Batch(cmds...)
}
