package tui

import (
	"context"
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
	dstPath  string   // the directory (or, for one source, the new name)
	typed    string   // dstPath as the user typed it
	dstLabel string   // "label:path", sanitised
}

// copyPreparedMsg reports the destinations of a plan.
type copyPreparedMsg struct {
	plan  copyPlan
	items []transfer.Item
	err   error
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
	if dst.FS() == nil {
		o.status.setInfo("open a host in the other pane first (" + o.keys.Hosts.Help().Key + ")")
		return nil
	}
	if !dst.Loaded() {
		o.status.setInfo("the other pane is still loading; try again when its listing shows")
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
	plan := copyPlan{move: d.move, src: src.FS(), dst: dst.FS(), srcDir: src.Path(), dstPath: dst.Resolve(dir), typed: dir}
	for _, n := range d.names {
		plan.sources = append(plan.sources, src.FS().Join(src.Path(), n))
	}
	plan.dstLabel = text.Sanitize(plan.dst.Label()) + ":" + text.Sanitize(plan.dstPath)
	src.ClearSelection()
	return prepareCopy(o.ctx, plan), true
}

// prepareCopy maps the plan's sources to destinations the way cp does
// (ferry cp's rules: a destination typed with a trailing separator, or
// given several sources, must be an existing directory), and refuses to
// copy a directory into itself.
func prepareCopy(ctx context.Context, plan copyPlan) tea.Cmd {
	return func() tea.Msg {
		items, err := transfer.Targets(ctx, plan.src, plan.sources, plan.dst, plan.dstPath, plan.typed)
		if err != nil {
			return copyPreparedMsg{plan: plan, err: err}
		}
		if sameLocation(plan.src, plan.dst) {
			sep := plan.src.Separator()
			for _, it := range items {
				if transfer.Within(it.Src, it.Dst, sep) {
					return copyPreparedMsg{plan: plan, err: &fs.PathError{Op: "copy", Path: it.Src,
						Err: fmt.Errorf("%w (destination %s)", transfer.ErrIntoItself, it.Dst)}}
				}
			}
		}
		return copyPreparedMsg{plan: plan, items: items}
	}
}

// handlePrepared submits the plan as one batch (conflicts asked; a move
// removes its sources in the engine) and starts following it; the model
// then polls the engine.
func (x *transfers) handlePrepared(msg copyPreparedMsg) tea.Cmd {
	plan := msg.plan
	verb, verbing := "copy", "copying "
	if plan.move {
		verb, verbing = "move", "moving "
	}
	if msg.err != nil {
		x.status.setError(fmt.Errorf("%s: %w", verb, msg.err))
		return nil
	}
	req := transfer.Request{Src: plan.src, Dst: plan.dst, Items: msg.items, Policy: transfer.Ask, Move: plan.move}
	if x.overwrite {
		req.Policy = transfer.Overwrite
	}
	if plan.move && sameLocation(plan.src, plan.dst) {
		// Two values that reach the same files (one host alias in both
		// panes): the engine renames only within one value.
		req.Dst = plan.src
	}
	h, err := x.submit(req)
	if err != nil {
		x.status.setError(fmt.Errorf("%s: %w", verb, err))
		return nil
	}
	if x.batches == nil {
		x.batches = make(map[transfer.BatchID]*batchInfo)
	}
	x.batches[h.ID()] = &batchInfo{id: h.ID(), handle: h, move: plan.move, src: req.Src, dst: req.Dst, srcDir: plan.srcDir,
		items: msg.items, dstLabel: plan.dstLabel, open: true}
	x.status.setInfo(verbing + text.Plural(len(msg.items), "entry") + " to " + plan.dstLabel + " (" + x.keys.Queue.Help().Key + " shows the queue)")
	return x.listen()
}
