package tui

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"sync/atomic"

	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/dialog"
)

// treeChange is what a recursive chmod or chown does to one entry of the
// tree, never a symbolic link (SFTP would change its target).
type treeChange func(ctx context.Context, path string, fi fs.FileInfo) error

// treeChangedMsg reports a recursive chmod or chown that ended: done,
// stopped by the user or failed.
type treeChangedMsg struct {
	id      uint64 // the progress dialog's
	fs      transfer.FS
	dir     string // the directory of the targets
	side    side
	op      string   // "chmod -R" or "chown -R"
	what    string   // what changed: "permissions", "owner"
	changed int64    // entries changed (or left as they were) so far
	at      string   // the entry it was at when it stopped or failed
	also    []string // the targets: panes inside them list again
	err     error
}

// runTreeChange closes the input dialog d and changes the targets of its
// pane and everything below them with the change prepare returns for the
// pane's file system and directory (it may look names up first), behind a progress dialog that counts the
// entries done and whose Cancel key stops the work between two entries.
func (o *fileOps) runTreeChange(d *inputDialog, op, what string, prepare func(ctx context.Context, fsys transfer.FS, dir string) (treeChange, error)) tea.Cmd {
	p := &o.panes[d.side]
	closed := o.closed(d) // before the dialog that replaces it goes on
	ctx, cancel := context.WithCancel(o.ctx)
	done := &atomic.Int64{}
	pd := &progressDialog{Progress: dialog.NewProgress(o.ids.next(), op+" in "+p.Label(), 0, done, o.keys), cancel: cancel}
	pd.SetVerb("changed")
	o.push(pd)
	fsys, dir, names, sd, id := p.FS(), p.Path(), d.names, d.side, pd.ID()
	return tea.Batch(closed, func() tea.Msg {
		defer cancel()
		msg := treeChangedMsg{id: id, fs: fsys, dir: dir, side: sd, op: op, what: what}
		for _, n := range names {
			msg.also = append(msg.also, fsys.Join(dir, n))
		}
		change, err := prepare(ctx, fsys, dir)
		if err != nil {
			msg.at, msg.err = msg.also[0], err
			return msg
		}
		msg.at, msg.err = changeTrees(ctx, fsys, msg.also, change, done)
		msg.changed = done.Load()
		return msg
	}, tickProgress(id))
}

// changeTrees applies change to every entry of the trees at roots, but
// symbolic links, counting them in done. It stops at the first error or
// when ctx ends, and returns the entry it was at.
func changeTrees(ctx context.Context, fsys transfer.FS, roots []string, change treeChange, done *atomic.Int64) (at string, err error) {
	do := func(p string, fi fs.FileInfo) error {
		if fi.Mode()&fs.ModeSymlink != 0 {
			return nil
		}
		at = p
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := change(ctx, p, fi); err != nil {
			return err
		}
		done.Add(1)
		return nil
	}
	for _, r := range roots {
		at = r
		if err := transfer.Walk(ctx, fsys, r, do, nil); err != nil {
			return at, err
		}
	}
	return "", nil
}

// handleTreeChanged closes the progress dialog and says how many entries
// changed and, when the work stopped early, where.
func (o *fileOps) handleTreeChanged(msg treeChangedMsg) tea.Cmd {
	var cmd tea.Cmd
	if pd, ok := asOverlay[*progressDialog](o.top()); ok && pd.ID() == msg.id {
		cmd = o.closed(pd)
	}
	n := text.Plural(int(msg.changed), "entry")
	done := opDoneMsg{fs: msg.fs, dir: msg.dir, side: msg.side, clearSel: msg.err == nil, also: msg.also,
		info: msg.what + " changed on " + n}
	switch {
	case errors.Is(msg.err, context.Canceled):
		done.info = fmt.Sprintf("%s stopped at %s after changing %s", msg.op, msg.at, n)
	case msg.err != nil:
		done.err = fmt.Errorf("%s stopped after changing %s: %w", msg.op, n, msg.err)
	}
	return tea.Batch(cmd, o.handleOpDone(done))
}
