package tui

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/pane"
)

// copyPlan is a copy or move the user confirmed, on its way to the engine.
type copyPlan struct {
	move     bool
	src, dst transfer.FS
	srcDir   string   // the directory they are in
	sources  []string // full paths of the entries acted on
	dirLinks []string // those that are symbolic links to directories
	dstPath  string   // the directory (or, for one source, the new name)
	dstLabel string   // "label:path", sanitised
}

// copyPreparedMsg reports the destinations of a plan, and for a move
// within one file system what plain renames already moved.
type copyPreparedMsg struct {
	plan    copyPlan
	items   []transfer.Item // left for the engine
	renamed []transfer.Item // moved by a rename
	err     error
}

// startCopy asks where to copy (or move) the targets of the focused pane,
// offering the other pane's directory, as mc does.
func (o *fileOps) startCopy(move bool) tea.Cmd {
	verb := "copying"
	if move {
		verb = "moving"
	}
	if o.engine == nil {
		o.status.setInfo(verb + " needs the transfer engine")
		return nil
	}
	p, ok := o.actionPane()
	if !ok {
		return nil
	}
	dst := &o.panes[o.focus.Other()]
	if dst.FS() == nil || !dst.Loaded() {
		o.status.setInfo("open a host in the other pane first (" + o.keys.Hosts.Help().Key + ")")
		return nil
	}
	targets := p.Targets()
	if len(targets) == 0 {
		return nil
	}
	title := "Copy "
	if move {
		title = "Move "
	}
	title += pane.Describe(targets) + " to " + text.Sanitize(dst.FS().Label()) + ":" + text.Sanitize(dst.Path()) + "?"
	d := o.newInput(title, dst.Path(), o.submitCopy)
	d.names, d.move = pane.RawNames(targets), move
	for _, e := range targets {
		if e.IsLink() && e.LinkDir() {
			d.dirLinks = append(d.dirLinks, e.Name())
		}
	}
	d.SetLines([]string{"to this directory on " + text.Sanitize(dst.FS().Label()) + ":"})
	o.push(d)
	return nil
}

// submitCopy works out the destinations in a Cmd; handleCopyPrepared then
// hands them to the engine.
func (o *fileOps) submitCopy(d *inputDialog, value string) (tea.Cmd, bool) {
	dst := &o.panes[d.side.Other()]
	dir := strings.TrimSpace(value)
	if dir == "" {
		d.SetErr("a destination directory is needed")
		return nil, false
	}
	src := &o.panes[d.side]
	plan := copyPlan{move: d.move, src: src.FS(), dst: dst.FS(), srcDir: src.Path(), dstPath: dst.Resolve(dir)}
	for _, n := range d.names {
		plan.sources = append(plan.sources, src.FS().Join(src.Path(), n))
	}
	for _, n := range d.dirLinks {
		plan.dirLinks = append(plan.dirLinks, src.FS().Join(src.Path(), n))
	}
	plan.dstLabel = text.Sanitize(plan.dst.Label()) + ":" + text.Sanitize(plan.dstPath)
	src.ClearSelection()
	return prepareCopy(o.ctx, plan), true
}

// prepareCopy maps the plan's sources to destinations the way cp does
// and, for a move within one file system, renames what it can: a source
// whose destination does not exist yet moves at once, without copying.
func prepareCopy(ctx context.Context, plan copyPlan) tea.Cmd {
	return func() tea.Msg {
		items, err := transfer.Targets(ctx, plan.src, plan.sources, plan.dst, plan.dstPath)
		if err != nil {
			return copyPreparedMsg{plan: plan, err: err}
		}
		same := sameLocation(plan.src, plan.dst)
		if same {
			sep := plan.src.Separator()
			for _, it := range items {
				if transfer.Within(it.Src, it.Dst, sep) {
					return copyPreparedMsg{plan: plan, err: &fs.PathError{Op: "copy", Path: it.Src,
						Err: fmt.Errorf("%w (destination %s)", transfer.ErrIntoItself, it.Dst)}}
				}
			}
		}
		if !plan.move || !same {
			return copyPreparedMsg{plan: plan, items: items}
		}
		var rest, renamed []transfer.Item
		for _, it := range items {
			if renameIfFree(ctx, plan.src, it) {
				renamed = append(renamed, it)
			} else {
				rest = append(rest, it)
			}
		}
		return copyPreparedMsg{plan: plan, items: rest, renamed: renamed}
	}
}

// renameIfFree renames it.Src to it.Dst when nothing is at it.Dst, and
// reports whether it did. Any failure (another device, say) leaves the
// item to be copied and removed instead.
func renameIfFree(ctx context.Context, fsys transfer.FS, it transfer.Item) bool {
	if _, err := fsys.Lstat(ctx, it.Dst); !errors.Is(err, fs.ErrNotExist) {
		return false
	}
	return fsys.Rename(ctx, it.Src, it.Dst) == nil
}

// handlePrepared submits what is left to copy as one batch (conflicts
// asked) and starts following it; the model then polls the engine.
func (x *transfers) handlePrepared(msg copyPreparedMsg) tea.Cmd {
	plan := msg.plan
	verb := "copy"
	if plan.move {
		verb = "move"
	}
	var cmds []tea.Cmd
	if len(msg.renamed) > 0 {
		for _, it := range msg.renamed {
			x.markDirty(plan.src, plan.src.Dir(it.Src))
			x.markDirty(plan.dst, plan.dst.Dir(it.Dst))
		}
		cmds = append(cmds, x.refreshDirty())
	}
	if msg.err != nil {
		x.status.setError(fmt.Errorf("%s: %w", verb, msg.err))
		return tea.Batch(cmds...)
	}
	if len(msg.items) == 0 {
		x.status.setInfo("moved " + text.Plural(len(msg.renamed), "entry") + " to " + plan.dstLabel)
		return tea.Batch(cmds...)
	}
	id, err := x.submit(transfer.Request{Src: plan.src, Dst: plan.dst, Items: msg.items, Policy: transfer.Ask})
	if err != nil {
		x.status.setError(fmt.Errorf("%s: %w", verb, err))
		return tea.Batch(cmds...)
	}
	if x.batches == nil {
		x.batches = make(map[transfer.BatchID]*batchInfo)
	}
	x.batches[id] = &batchInfo{id: id, move: plan.move, src: plan.src, dst: plan.dst, srcDir: plan.srcDir, items: msg.items,
		dirLinks: plan.dirLinks, dstLabel: plan.dstLabel, open: true}
	verbing := "copying "
	if plan.move {
		verbing = "moving "
	}
	x.status.setInfo(verbing + text.Plural(len(msg.items), "entry") + " to " + plan.dstLabel + " (" + x.keys.Queue.Help().Key + " shows the queue)")
	return tea.Batch(append(cmds, x.listen())...)
}
