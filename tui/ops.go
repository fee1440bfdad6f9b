package tui

import (
	"context"
	"io/fs"

	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/modes"
	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/pane"
)

// actionPane returns the focused pane when it can be acted on; otherwise
// it says why not in the status line.
func (o *fileOps) actionPane() (*pane.Model, bool) {
	p := o.focused()
	if p.FS() == nil || !p.Loaded() {
		o.status.setInfo("nothing to act on here")
		return nil, false
	}
	return p, true
}

// startMkdir asks for the name of a new directory.
func (o *fileOps) startMkdir() tea.Cmd {
	p, ok := o.actionPane()
	if !ok {
		return nil
	}
	d := o.newInput("New directory in "+p.Label(), "", o.submitMkdir)
	o.push(d)
	return nil
}

// submitMkdir creates the directory.
func (o *fileOps) submitMkdir(d *inputDialog, value string) (tea.Cmd, bool) {
	p := &o.panes[d.side]
	parts, err := mkdirParts(value, p.FS().Separator())
	if err != nil {
		d.SetErr(err.Error())
		return nil, false
	}
	fsys, dir, ctx := p.FS(), p.Path(), o.ctx
	return func() tea.Msg {
		changed, err := mkdirPath(ctx, fsys, dir, parts)
		return opDoneMsg{fs: fsys, dir: dir, side: d.side, err: err, selectName: parts[0], also: changed}
	}, true
}

// startRename asks for the new name of the entry under the cursor, or of
// the one selected entry.
func (o *fileOps) startRename() tea.Cmd {
	p, ok := o.actionPane()
	if !ok {
		return nil
	}
	targets := p.Targets()
	switch {
	case len(targets) == 0:
		return nil
	case len(targets) > 1:
		o.status.setInfo("rename works on one entry: clear the selection with " + o.keys.ClearSelection.Help().Key)
		return nil
	}
	e := targets[0]
	d := o.newInput("Rename "+e.Display()+" to", e.Name(), o.submitRename)
	d.names = []string{e.Name()}
	o.push(d)
	return nil
}

// submitRename renames the entry, refusing bad names and names in use.
func (o *fileOps) submitRename(d *inputDialog, value string) (tea.Cmd, bool) {
	old, name := d.names[0], value
	if name == old {
		return nil, true
	}
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
		from, to := fsys.Join(dir, old), fsys.Join(dir, name)
		err := transfer.RenameNoReplace(ctx, fsys, from, to)
		msg := opDoneMsg{fs: fsys, dir: dir, side: d.side, err: err, selectName: name}
		if err == nil {
			msg.renamed = [2]string{from, to}
		}
		return msg
	}, true
}

// startChmod asks for a mode for the targets, octal or symbolic,
// prefilled with the octal mode of the first one; recursive applies it to
// everything below the directories too (chmod -R).
func (o *fileOps) startChmod(recursive bool) tea.Cmd {
	p, ok := o.actionPane()
	if !ok {
		return nil
	}
	targets := p.Targets()
	if len(targets) == 0 {
		return nil
	}
	title := "Permissions (644 or u+x,go-w) for "
	if recursive {
		title = "Permissions, recursively (644 or u+x,go-w), for "
	}
	d := o.newInput(title+pane.Describe(targets), modes.Octal(targets[0].Mode()), func(d *inputDialog, v string) (tea.Cmd, bool) {
		return o.submitChmod(d, v, recursive)
	})
	d.names = pane.RawNames(targets)
	o.push(d)
	return nil
}

// submitChmod changes the permission bits of every target, and with -R
// of everything below them: a symbolic mode applies to each entry's own
// bits.
func (o *fileOps) submitChmod(d *inputDialog, value string, recursive bool) (tea.Cmd, bool) {
	change, err := modes.Parse(value)
	if err != nil {
		d.SetErr(err.Error())
		return nil, false
	}
	if recursive {
		return o.runTreeChange(d, "chmod -R", "permissions", func(_ context.Context, fsys transfer.FS, _ string) (treeChange, error) {
			return func(ctx context.Context, path string, fi fs.FileInfo) error {
				if m := change.Apply(fi.Mode()); m != fi.Mode() {
					return fsys.Chmod(ctx, path, m)
				}
				return nil
			}, nil
		}), true
	}
	p := &o.panes[d.side]
	fsys, dir, ctx, targets := p.FS(), p.Path(), o.ctx, d.names
	return func() tea.Msg {
		// Panes showing a changed directory list it again: its mode
		// may now keep them out.
		msg := opDoneMsg{fs: fsys, dir: dir, side: d.side, clearSel: true}
		for _, name := range targets {
			path := fsys.Join(dir, name)
			if _, err := transfer.ChmodAll(ctx, fsys, path, false, change.Apply); err != nil {
				msg.err, msg.clearSel = err, false
				return msg
			}
			msg.also = append(msg.also, path)
		}
		return msg
	}, true
}
