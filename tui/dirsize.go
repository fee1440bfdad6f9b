package tui

import (
	"context"
	"errors"

	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/transfer"
)

// dirSizer is the running "show directory sizes" of fileOps: one
// directory at a time, each listed by transfer.DirSize with bounded
// concurrency, until the list is done or the key is pressed again.
type dirSizer struct {
	req    uint64             // the running request; 0 when none runs
	ctx    context.Context    // its context
	cancel context.CancelFunc // stops it
	total  int64              // of the directories sized so far
	failed int                // how many could not be sized
}

// dirSizeResult is the size of one directory of a request, carried by an
// opDoneMsg, and what is left to size.
type dirSizeResult struct {
	req   uint64
	name  string   // the directory sized
	size  int64    // its total
	err   error    // why it could not be sized
	rest  []string // the directories still to size
	count int      // how many the request sizes in all
}

// startDirSizes sizes the selected directories, or the one under the
// cursor, in the background, showing each total in the size column as it
// arrives. Pressed while sizes are computed, it stops them.
func (o *fileOps) startDirSizes() tea.Cmd {
	if o.sizes.req != 0 {
		o.stopDirSizes()
		o.status.setInfo("directory sizes stopped")
		return nil
	}
	p, ok := o.actionPane()
	if !ok {
		return nil
	}
	var names []string
	for _, e := range p.Targets() {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	if len(names) == 0 {
		o.status.setInfo("no directory to size here: select directories or put the cursor on one")
		return nil
	}
	ctx, cancel := context.WithCancel(o.ctx)
	o.sizes = dirSizer{req: o.ids.next(), ctx: ctx, cancel: cancel}
	o.status.setInfo("sizing " + text.Plural(len(names), "directory") + "… (" + o.keys.DirSizes.Help().Key + " stops)")
	return sizeNext(ctx, o.sizes.req, p.FS(), p.Path(), *o.focus, names, len(names))
}

// stopDirSizes stops the running request, if any.
func (o *fileOps) stopDirSizes() {
	if o.sizes.cancel != nil {
		o.sizes.cancel()
	}
	o.sizes = dirSizer{}
}

// sizeNext returns a Cmd that sizes names[0] of dir on fsys.
func sizeNext(ctx context.Context, req uint64, fsys transfer.FS, dir string, sd side, names []string, count int) tea.Cmd {
	return func() tea.Msg {
		size, err := transfer.DirSize(ctx, fsys, fsys.Join(dir, names[0]), 0)
		r := &dirSizeResult{req: req, name: names[0], size: size, err: err, rest: names[1:], count: count}
		return opDoneMsg{fs: fsys, dir: dir, side: sd, dirSize: r}
	}
}

// handleDirSize shows a directory's total in every pane that shows its
// parent (sorting it again when it is sorted by size), and sizes the next
// one; the last says what they came to.
func (o *fileOps) handleDirSize(msg opDoneMsg) tea.Cmd {
	r := msg.dirSize
	var cmds []tea.Cmd // sorts again the panes sorted by size
	if r.req != o.sizes.req {
		return nil // stopped, or superseded
	}
	switch {
	case errors.Is(r.err, context.Canceled):
		return nil
	case r.err != nil:
		o.sizes.failed++
		o.status.setError(r.err)
	default:
		o.sizes.total += r.size
		for s := range o.panes {
			if p := &o.panes[s]; p.Loaded() && sameLocation(p.FS(), msg.fs) {
				cmds = append(cmds, p.SetDirSize(msg.dir, r.name, r.size))
			}
		}
	}
	if len(r.rest) > 0 {
		return tea.Batch(append(cmds, sizeNext(o.sizes.ctx, r.req, msg.fs, msg.dir, msg.side, r.rest, r.count))...)
	}
	if o.sizes.failed == 0 {
		o.status.setInfo(text.Plural(r.count, "directory") + ": " + text.Size(o.sizes.total))
	}
	o.stopDirSizes()
	return tea.Batch(cmds...)
}
