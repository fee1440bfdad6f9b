package tui

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"sync/atomic"

	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/dialog"
	"github.com/ferry-tui/ferry/tui/pane"
)

// countedMsg reports what a recursive delete would remove.
type countedMsg struct {
	id                 uint64
	files, dirs, bytes int64
	err                error
}

// deletedMsg reports a finished (or stopped) delete.
type deletedMsg struct {
	id      uint64
	fs      transfer.FS
	dir     string
	side    side
	removed int64
	gone    []string // the targets removed, with everything below them
	err     error
}

// startDelete asks before deleting the targets. With directories among
// them it first counts what they hold, in a Cmd.
func (o *fileOps) startDelete() tea.Cmd {
	p, ok := o.actionPane()
	if !ok {
		return nil
	}
	targets := p.Targets()
	if len(targets) == 0 {
		return nil
	}
	names, records := withResumeRecords(p, pane.RawNames(targets))
	title := "Delete " + pane.Describe(targets)
	switch records {
	case 0:
	case 1:
		title += " (and its resume record)"
	default:
		title += " (and their resume records)"
	}
	title += " from " + p.Label() + "?"
	d := &deleteDialog{Confirm: dialog.NewConfirm(o.ids.next(), title, nil, o.keys), side: *o.focus, names: names}
	o.push(d)
	hasDir := false
	for _, e := range targets {
		if e.IsDir() {
			hasDir = true
		} else {
			d.files++
			d.bytes += e.Size()
		}
	}
	if !hasDir {
		d.SetLines([]string{d.summary()})
		if o.opts.NoDeleteConfirm {
			closed := o.closed(d)
			return tea.Batch(closed, o.runDelete(d))
		}
		return nil
	}
	d.SetBusy(true)
	d.SetLines([]string{"counting…"})
	ctx, cancel := context.WithCancel(o.ctx)
	d.stop = cancel
	fsys, dir, names, id := p.FS(), p.Path(), d.names, d.ID()
	return tea.Batch(func() tea.Msg {
		files, dirs, bytes, err := countTree(ctx, fsys, dir, names)
		return countedMsg{id: id, files: files, dirs: dirs, bytes: bytes, err: err}
	}, tickProgress(id))
}

// withResumeRecords adds to names, shown in p, the resume record
// (".NAME.ferry-part.meta") p lists beside each copy's temporary file
// among them, and says how many it added: the two go together.
func withResumeRecords(p *pane.Model, names []string) ([]string, int) {
	n := len(names)
	for _, name := range names[:n] {
		if !transfer.IsTempName(name) {
			continue
		}
		meta := transfer.MetaPath(name)
		if p.HasName(meta) && !slices.Contains(names, meta) {
			names = append(names, meta)
		}
	}
	return names, len(names) - n
}

// summary says what a delete removes: "12 files and 3 directories, 4.5M".
func (d *deleteDialog) summary() string {
	s := text.Plural(int(d.files), "file")
	if d.dirs > 0 {
		s += " and " + text.Plural(int(d.dirs), "directory")
	}
	return s + ", " + text.Bytes(d.bytes) + " in all. This cannot be undone."
}

// handleCounted fills in the delete confirmation once counting is done.
func (o *fileOps) handleCounted(msg countedMsg) tea.Cmd {
	d, ok := asOverlay[*deleteDialog](o.top())
	if !ok || d.ID() != msg.id {
		return nil
	}
	d.SetBusy(false)
	if msg.err != nil {
		o.status.setError(fmt.Errorf("cannot count what to delete: %w", msg.err))
		return o.closed(d)
	}
	d.files, d.dirs, d.bytes = msg.files, msg.dirs, msg.bytes
	d.SetLines([]string{d.summary()})
	if o.opts.NoDeleteConfirm {
		closed := o.closed(d)
		return tea.Batch(closed, o.runDelete(d))
	}
	return nil
}

// runDelete starts removing what d confirmed, showing progress.
func (o *fileOps) runDelete(d *deleteDialog) tea.Cmd {
	p := &o.panes[d.side]
	ctx, cancel := context.WithCancel(o.ctx)
	done := &atomic.Int64{}
	pd := &progressDialog{Progress: dialog.NewProgress(o.ids.next(), "Deleting from "+p.Label(), d.files+d.dirs, done, o.keys), cancel: cancel}
	o.push(pd)
	fsys, dir, names, sd, id := p.FS(), p.Path(), d.names, d.side, pd.ID()
	return tea.Batch(func() tea.Msg {
		defer cancel()
		gone, err := deleteAll(ctx, fsys, dir, names, done)
		return deletedMsg{id: id, fs: fsys, dir: dir, side: sd, removed: done.Load(), gone: gone, err: err}
	}, tickProgress(id))
}

// handleDeleted closes the progress dialog, reports and lists again.
func (o *fileOps) handleDeleted(msg deletedMsg) tea.Cmd {
	var cmd tea.Cmd
	if pd, ok := asOverlay[*progressDialog](o.top()); ok && pd.ID() == msg.id {
		cmd = o.closed(pd)
	}
	done := opDoneMsg{fs: msg.fs, dir: msg.dir, side: msg.side, clearSel: msg.err == nil,
		info: "deleted " + text.Plural(int(msg.removed), "entry"), removed: msg.gone}
	switch {
	case errors.Is(msg.err, context.Canceled):
		done.info = fmt.Sprintf("delete stopped after removing %s", text.Plural(int(msg.removed), "entry"))
	case msg.err != nil:
		done.err = fmt.Errorf("delete stopped after removing %s: %w", text.Plural(int(msg.removed), "entry"), msg.err)
	}
	return tea.Batch(cmd, o.handleOpDone(done))
}

// countTree counts the files, directories and bytes under names in dir,
// without following symbolic links.
func countTree(ctx context.Context, fsys transfer.FS, dir string, names []string) (files, dirs, bytes int64, err error) {
	count := func(_ string, fi fs.FileInfo) error {
		if fi.IsDir() {
			dirs++
		} else {
			files++
			bytes += fi.Size()
		}
		return nil
	}
	for _, n := range names {
		if err := transfer.Walk(ctx, fsys, fsys.Join(dir, n), count, nil); err != nil {
			return files, dirs, bytes, err
		}
	}
	return files, dirs, bytes, nil
}

// deleteAll removes names in dir, directories with everything in them,
// never following symbolic links, and returns the full paths of those it
// removed. A copy's temporary file (".NAME.ferry-part") goes with its
// resume record. It stops at the first error or when ctx ends, counting
// removals in done.
func deleteAll(ctx context.Context, fsys transfer.FS, dir string, names []string, done *atomic.Int64) ([]string, error) {
	var gone []string
	count := func(string, fs.FileInfo) { done.Add(1) }
	for _, n := range names {
		p := fsys.Join(dir, n)
		if err := transfer.RemoveAll(ctx, fsys, p, count); err != nil {
			return gone, err
		}
		gone = append(gone, p)
		if !transfer.IsTempName(n) || slices.Contains(names, fsys.Base(transfer.MetaPath(p))) {
			continue
		}
		meta := transfer.MetaPath(p)
		if err := transfer.RemoveAll(ctx, fsys, meta, count); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return gone, err
		}
	}
	return gone, nil
}
