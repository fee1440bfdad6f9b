package tui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/pane"
)

// startNewFile asks for the name of a new empty file.
func (o *fileOps) startNewFile() tea.Cmd {
	p, ok := o.actionPane()
	if !ok {
		return nil
	}
	o.push(o.newInput("New empty file in "+p.Label(), "", o.submitNewFile))
	return nil
}

// submitNewFile creates the file, refusing bad names and names in use.
func (o *fileOps) submitNewFile(d *inputDialog, name string) (tea.Cmd, bool) {
	if err := pane.ValidateName(name); err != nil {
		d.SetErr(err.Error())
		return nil, false
	}
	p := &o.panes[d.side]
	if p.HasName(name) {
		d.SetErr(text.Sanitize(name) + " already exists")
		return nil, false
	}
	fsys, dir, ctx := p.FS(), p.Path(), o.ctx
	return func() tea.Msg {
		err := transfer.CreateEmpty(ctx, fsys, fsys.Join(dir, name))
		return opDoneMsg{fs: fsys, dir: dir, side: d.side, err: err, selectName: name}
	}, true
}
