package tui

import (
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

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

// startChmod asks for octal permission bits for the targets, prefilled
// with those of the first one.
func (o *fileOps) startChmod() tea.Cmd {
	p, ok := o.actionPane()
	if !ok {
		return nil
	}
	targets := p.Targets()
	if len(targets) == 0 {
		return nil
	}
	d := o.newInput("Permissions (octal) for "+pane.Describe(targets), octalMode(targets[0].Mode()), o.submitChmod)
	d.names = pane.RawNames(targets)
	o.push(d)
	return nil
}

// submitChmod changes the permission bits of every target.
func (o *fileOps) submitChmod(d *inputDialog, value string) (tea.Cmd, bool) {
	mode, err := parseOctalMode(value)
	if err != nil {
		d.SetErr(err.Error())
		return nil, false
	}
	p := &o.panes[d.side]
	fsys, dir, ctx, targets := p.FS(), p.Path(), o.ctx, d.names
	return func() tea.Msg {
		// Panes showing a changed directory list it again: its mode
		// may now keep them out.
		msg := opDoneMsg{fs: fsys, dir: dir, side: d.side, clearSel: true}
		for _, n := range targets {
			path := fsys.Join(dir, n)
			if msg.err = fsys.Chmod(ctx, path, mode); msg.err != nil {
				msg.clearSel = false
				return msg
			}
			msg.also = append(msg.also, path)
		}
		return msg
	}, true
}

// octalMode renders the permission bits of m as chmod takes them.
func octalMode(m fs.FileMode) string {
	v := uint32(m.Perm())
	if m&fs.ModeSetuid != 0 {
		v |= 0o4000
	}
	if m&fs.ModeSetgid != 0 {
		v |= 0o2000
	}
	if m&fs.ModeSticky != 0 {
		v |= 0o1000
	}
	return fmt.Sprintf("%03o", v)
}

// parseOctalMode parses chmod's octal notation, 0 to 7777.
func parseOctalMode(s string) (fs.FileMode, error) {
	s = strings.TrimSpace(s)
	v, err := strconv.ParseUint(s, 8, 32)
	if err != nil || v > 0o7777 || s == "" {
		return 0, &pane.NameError{Reason: "permissions are 3 or 4 octal digits, like 644 or 0755"}
	}
	mode := fs.FileMode(v & 0o777)
	if v&0o4000 != 0 {
		mode |= fs.ModeSetuid
	}
	if v&0o2000 != 0 {
		mode |= fs.ModeSetgid
	}
	if v&0o1000 != 0 {
		mode |= fs.ModeSticky
	}
	return mode, nil
}
