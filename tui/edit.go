package tui

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/text"
)

// startEdit hands the file under the cursor to the injected EditFunc.
func (o *fileOps) startEdit() tea.Cmd {
	if o.opts.Edit == nil {
		o.status.setInfo("editing is not available")
		return nil
	}
	p, ok := o.actionPane()
	if !ok {
		return nil
	}
	e, ok := p.Current()
	if !ok || e.Opens() {
		o.status.setInfo("choose a file to edit")
		return nil
	}
	return o.opts.Edit(p.FS(), p.FS().Join(p.Path(), e.Name()))
}

// handleEditDone lists the panes again and reports the outcome.
func (o *fileOps) handleEditDone(msg EditDoneMsg) tea.Cmd {
	if msg.Then != nil {
		return msg.Then
	}
	if msg.Question != "" {
		lines := strings.Split(msg.Question, "\n")
		for i, l := range lines {
			lines[i] = text.Sanitize(l)
		}
		o.push(o.newConfirm(lines[0], lines[1:], func(yes bool) tea.Cmd {
			if yes {
				return msg.OnYes
			}
			return msg.OnNo
		}))
		return nil
	}
	switch {
	case msg.Err != nil:
		o.status.setError(msg.Err)
	case msg.Message != "":
		o.status.setInfo(msg.Message)
	}
	return o.refreshAll()
}

// refreshAll lists both panes again, keeping their cursors.
func (o *fileOps) refreshAll() tea.Cmd {
	var cmds []tea.Cmd
	for i := range o.panes {
		if p := &o.panes[i]; p.FS() != nil && p.Loaded() {
			cmds = append(cmds, p.Refresh(""))
		}
	}
	return tea.Batch(cmds...)
}
