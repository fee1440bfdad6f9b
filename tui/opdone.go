package tui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/pane"
)

// opDoneMsg reports a finished mkdir, rename, chmod, chown, symlink, new
// file or delete, or one directory's size (dirSize).
type opDoneMsg struct {
	fs         transfer.FS
	dir        string // the directory it happened in
	side       side   // the pane it was started from
	err        error
	selectName string // where the cursor goes after the refresh
	clearSel   bool   // the selection was consumed
	info       string // status message on success

	also    []string  // other directories whose listings changed
	removed []string  // entries (full paths) that are gone, with all below them
	renamed [2]string // an entry's full path before and after a rename

	dirSize *dirSizeResult // a directory's size: nothing changed on disk
}

// handleOpDone lists again every pane that shows a directory the
// operation changed, on any file system value that reaches the same files
// (the other pane may have opened the same host, or the local disk, on
// its own), and reports the outcome. A pane inside an entry that was
// deleted goes to the directory the delete happened in; one inside an
// entry that was renamed follows it to its new name.
func (o *fileOps) handleOpDone(msg opDoneMsg) tea.Cmd {
	if msg.dirSize != nil {
		return o.handleDirSize(msg)
	}
	if msg.err != nil {
		o.status.setError(msg.err)
	} else if msg.info != "" {
		o.status.setInfo(msg.info)
	}
	var cmds []tea.Cmd
	for s := range o.panes {
		p := &o.panes[s]
		if !p.Loaded() || !sameLocation(p.FS(), msg.fs) {
			continue
		}
		if msg.clearSel && msg.err == nil && side(s) == msg.side && p.Path() == msg.dir {
			p.ClearSelection()
		}
		if cmd := opRelist(p, side(s) == msg.side, &msg); cmd != nil {
			cmds = append(cmds, cmd)
		}
	}
	return tea.Batch(cmds...)
}

// opRelist returns what p must do after the operation msg: list its
// directory again, leave a deleted one, follow a renamed one, or nothing.
// own says p started the operation: its cursor goes to selectName.
func opRelist(p *pane.Model, own bool, msg *opDoneMsg) tea.Cmd {
	path, sep := p.Path(), p.FS().Separator()
	for _, r := range msg.removed {
		if transfer.Within(r, path, sep) {
			return p.Load(msg.dir, "")
		}
	}
	if from, to := msg.renamed[0], msg.renamed[1]; from != "" && transfer.Within(from, path, sep) {
		return p.Load(to+path[len(from):], "")
	}
	if path == msg.dir {
		sel := ""
		if own && msg.err == nil {
			sel = msg.selectName
		}
		return p.Refresh(sel)
	}
	for _, d := range msg.also {
		if path == d {
			return p.Refresh("")
		}
	}
	return nil
}
