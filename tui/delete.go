package tui

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/transfer"
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
	err     error
}

// startDelete asks before deleting the targets. With directories among
// them it first counts what they hold, in a Cmd.
func (m *Model) startDelete() tea.Cmd {
	p, ok := m.actionPane()
	if !ok {
		return nil
	}
	targets := p.targets()
	if len(targets) == 0 {
		return nil
	}
	d := &confirmDialog{
		km:    &m.keys,
		kind:  confirmDelete,
		title: "Delete " + describe(targets) + " from " + p.label() + "?",
		side:  m.focus,
		names: rawNames(targets),
		reqID: m.newID(),
	}
	m.push(d)
	hasDir := false
	for _, e := range targets {
		if e.isDir() {
			hasDir = true
		} else {
			d.files++
			d.bytes += e.size
		}
	}
	if !hasDir {
		d.lines = []string{d.summary()}
		return nil
	}
	d.busy = true
	d.lines = []string{"counting…"}
	ctx, cancel := context.WithCancel(m.ctx)
	d.cancel = cancel
	fsys, dir, names, id := p.fs, p.path, d.names, d.reqID
	return tea.Batch(func() tea.Msg {
		files, dirs, bytes, err := countTree(ctx, fsys, dir, names)
		return countedMsg{id: id, files: files, dirs: dirs, bytes: bytes, err: err}
	}, tickProgress(id))
}

// summary says what a delete removes: "12 files and 3 directories, 4.5M".
func (d *confirmDialog) summary() string {
	s := text.Plural(int(d.files), "file")
	if d.dirs > 0 {
		s += " and " + text.Plural(int(d.dirs), "directory")
	}
	return s + ", " + text.Bytes(d.bytes) + " in all. This cannot be undone."
}

// handleCounted fills in the delete confirmation once counting is done.
func (m *Model) handleCounted(msg countedMsg) tea.Cmd {
	d, ok := topIs[*confirmDialog](m)
	if !ok || d.kind != confirmDelete || d.reqID != msg.id {
		return nil
	}
	d.busy = false
	if msg.err != nil {
		m.status.setError(fmt.Errorf("cannot count what to delete: %w", msg.err))
		return m.closed(d)
	}
	d.files, d.dirs, d.bytes = msg.files, msg.dirs, msg.bytes
	d.lines = []string{d.summary()}
	return nil
}

// runDelete starts removing what d confirmed, showing progress.
func (m *Model) runDelete(d *confirmDialog) tea.Cmd {
	p := &m.panes[d.side]
	ctx, cancel := context.WithCancel(m.ctx)
	pd := &progressDialog{
		km:     &m.keys,
		id:     m.newID(),
		title:  "Deleting from " + p.label(),
		total:  d.files + d.dirs,
		prog:   &progress{},
		cancel: cancel,
	}
	m.push(pd)
	fsys, dir, names, sd, prog, id := p.fs, p.path, d.names, d.side, pd.prog, pd.id
	return tea.Batch(func() tea.Msg {
		defer cancel()
		err := deleteAll(ctx, fsys, dir, names, prog)
		return deletedMsg{id: id, fs: fsys, dir: dir, side: sd, removed: prog.done.Load(), err: err}
	}, tickProgress(id))
}

// handleDeleted closes the progress dialog, reports and lists again.
func (m *Model) handleDeleted(msg deletedMsg) tea.Cmd {
	var cmd tea.Cmd
	if pd, ok := topIs[*progressDialog](m); ok && pd.id == msg.id {
		cmd = m.closed(pd)
	}
	done := opDoneMsg{fs: msg.fs, dir: msg.dir, side: msg.side, clearSel: msg.err == nil,
		info: "deleted " + text.Plural(int(msg.removed), "entry")}
	switch {
	case errors.Is(msg.err, context.Canceled):
		done.info = fmt.Sprintf("delete stopped after removing %s", text.Plural(int(msg.removed), "entry"))
	case msg.err != nil:
		done.err = fmt.Errorf("delete stopped after removing %s: %w", text.Plural(int(msg.removed), "entry"), msg.err)
	}
	return tea.Batch(cmd, m.handleOpDone(done))
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
// never following symbolic links. It stops at the first error or when ctx
// ends, counting removals in prog.
func deleteAll(ctx context.Context, fsys transfer.FS, dir string, names []string, prog *progress) error {
	for _, n := range names {
		if err := transfer.RemoveAll(ctx, fsys, fsys.Join(dir, n), func(string, fs.FileInfo) { prog.done.Add(1) }); err != nil {
			return err
		}
	}
	return nil
}
