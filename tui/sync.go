package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"

	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/mirror"
	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/dialog"
)

// maxSyncLines bounds the deletions the sync dialog lists one by one.
const maxSyncLines = 12

// syncDialog asks before a sync, planning it first.
type syncDialog struct {
	*dialog.Confirm
	opts   mirror.Options
	dryRun bool
	plan   *mirror.Plan
	stop   context.CancelFunc // stops the planning
	// compared counts the entries compared so far.
	compared *atomic.Int64
}

// syncPlannedMsg reports a sync's plan.
type syncPlannedMsg struct {
	id   uint64
	plan *mirror.Plan
	err  error
}

// syncDoneMsg reports the end of a sync's deletions and directory fixes.
type syncDoneMsg struct {
	dst     transfer.FS
	label   string
	copied  bool
	deleted int
	err     error
}

// startSync asks how to make the other pane's directory look like the
// focused one's: the options (delete, checksum, size-only, dry-run), then,
// once planned, whether to run it.
func (o *fileOps) startSync() tea.Cmd {
	src, dst := &o.panes[*o.focus], &o.panes[o.focus.Other()]
	if o.engine == nil {
		o.status.setInfo("syncing needs the transfer engine")
		return nil
	}
	if src.FS() == nil || dst.FS() == nil || !src.Loaded() || !dst.Loaded() {
		o.status.setInfo("sync needs both panes listed (" + o.keys.Hosts.Help().Key + " opens a host)")
		return nil
	}
	title := "Sync " + src.Label() + " → " + dst.Label() + ": make the other pane's directory like this one"
	d := o.newInput(title, "", o.submitSyncOptions)
	d.SetLines([]string{"options, any of: delete (remove what the source lacks), checksum, size-only, dry-run; Enter for none"})
	o.push(d)
	return nil
}

// parseSyncOptions reads the words typed in the options field.
func parseSyncOptions(s string) (opts mirror.Options, dryRun bool, err error) {
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r == ' ' || r == ',' }) {
		switch strings.TrimLeft(w, "-") {
		case "delete", "d":
			opts.Delete = true
		case "checksum", "c":
			opts.Checksum = true
		case "size-only", "size", "s":
			opts.SizeOnly = true
		case "dry-run", "dry", "n":
			dryRun = true
		default:
			return opts, false, fmt.Errorf("unknown option %q: delete, checksum, size-only or dry-run", text.Sanitize(w))
		}
	}
	if opts.Checksum && opts.SizeOnly {
		return opts, false, errors.New("checksum and size-only exclude each other")
	}
	return opts, dryRun, nil
}

// syncStartMsg starts planning a sync from side to the other pane.
type syncStartMsg struct {
	side   side
	opts   mirror.Options
	dryRun bool
}

// submitSyncOptions reads the options typed; the plan starts once the
// input dialog is closed.
func (o *fileOps) submitSyncOptions(in *inputDialog, value string) (tea.Cmd, bool) {
	opts, dryRun, err := parseSyncOptions(value)
	if err != nil {
		in.SetErr(err.Error())
		return nil, false
	}
	msg := syncStartMsg{side: in.side, opts: opts, dryRun: dryRun}
	return func() tea.Msg { return msg }, true
}

// handleSyncStart shows the sync's dialog and plans the sync in a Cmd,
// the dialog counting the entries compared.
func (o *fileOps) handleSyncStart(msg syncStartMsg) tea.Cmd {
	src, dst := &o.panes[msg.side], &o.panes[msg.side.Other()]
	if src.FS() == nil || dst.FS() == nil {
		return nil
	}
	title := "Sync " + src.Label() + " → " + dst.Label() + "?"
	if msg.dryRun {
		title = "Dry run: sync " + src.Label() + " → " + dst.Label()
	}
	d := &syncDialog{Confirm: dialog.NewConfirm(o.ids.next(), title, []string{"comparing…"}, o.keys), opts: msg.opts, dryRun: msg.dryRun,
		compared: &atomic.Int64{}}
	d.SetBusy(true)
	ctx, cancel := context.WithCancel(o.ctx)
	d.stop = cancel
	o.push(d)
	id, opts, counted := d.ID(), msg.opts, d.compared
	opts.Progress = func(p mirror.Progress) { counted.Store(p.Entries) }
	sfs, sdir, dfs, ddir := src.FS(), src.Path(), dst.FS(), dst.Path()
	return tea.Batch(func() tea.Msg {
		p, err := mirror.MakePlan(ctx, sfs, sdir, dfs, ddir, opts)
		return syncPlannedMsg{id: id, plan: p, err: err}
	}, tickProgress(id))
}

// tick updates the count of entries compared while planning.
func (d *syncDialog) tick() {
	if d.Busy() {
		d.SetLines([]string{"comparing: " + text.Plural(int(d.compared.Load()), "entry") + "…"})
	}
}

// handleSyncPlanned shows the plan in the dialog: counts, bytes and every
// deletion (the first few, then how many more).
func (o *fileOps) handleSyncPlanned(msg syncPlannedMsg) tea.Cmd {
	d, ok := asOverlay[*syncDialog](o.top())
	if !ok || d.ID() != msg.id {
		return nil
	}
	if msg.err != nil {
		o.status.setError(fmt.Errorf("sync: %w", msg.err))
		return o.closed(d)
	}
	d.plan = msg.plan
	d.SetBusy(false)
	d.SetLines(syncLines(msg.plan, d.dryRun))
	return nil
}

// syncLines describes a plan for the dialog.
func syncLines(p *mirror.Plan, dryRun bool) []string {
	t := p.Totals()
	var dels []string
	for _, a := range p.Actions {
		if a.Kind == mirror.Delete && p.Options.Delete {
			dels = append(dels, "- "+text.Sanitize(a.Path))
		}
	}
	lines := []string{fmt.Sprintf("%s compared: %d new (%s), %d changed (%s), %d to delete",
		text.Plural(int(p.Entries), "entry"), t.New, text.Bytes(t.NewBytes), t.Changed, text.Bytes(t.ChangedBytes), p.Deletions())}
	if t.New+t.Changed == 0 && p.Deletions() == 0 {
		lines = append(lines, "nothing to do: the other side is up to date")
	}
	if len(dels) > 0 {
		lines = append(lines, "deleted after every copy succeeded:")
		if len(dels) > maxSyncLines {
			dels = append(dels[:maxSyncLines-1], fmt.Sprintf("… and %d more", len(dels)-maxSyncLines+1))
		}
		lines = append(lines, dels...)
	}
	if n := len(p.Refused()); n > 0 {
		lines = append(lines, fmt.Sprintf("%s in the way of a different kind of entry: left alone without delete", text.Plural(n, "entry")))
	}
	if !p.Options.Delete {
		if n := t.Deleted; n > 0 {
			lines = append(lines, fmt.Sprintf("%s only in the destination: kept (the delete option removes them)", text.Plural(n, "entry")))
		}
	}
	if dryRun {
		lines = append(lines, "dry run: nothing is changed")
	}
	return lines
}

// syncPreparedMsg says that what the copies cannot replace is removed.
type syncPreparedMsg struct {
	plan  *mirror.Plan
	label string
	err   error
}

// answerSync runs a confirmed plan, in steps: what a copy cannot replace
// is removed first (in a Cmd), then the copies go on the queue
// (handleSyncPrepared), and when every copy succeeded the deletions and
// directory fixes follow (finishSync).
func (o *fileOps) answerSync(d *syncDialog) tea.Cmd {
	if d.plan == nil || d.dryRun {
		return nil
	}
	p, ctx := d.plan, o.ctx
	label := text.Sanitize(p.Dst.Label() + ":" + p.DstDir)
	return func() tea.Msg {
		return syncPreparedMsg{plan: p, label: label, err: p.Prepare(ctx)}
	}
}

// handleSyncPrepared puts a sync's copies on the queue, the deletions to
// follow once every copy succeeded.
func (x *transfers) handleSyncPrepared(ctx context.Context, msg syncPreparedMsg) tea.Cmd {
	if msg.err != nil {
		x.status.setError(fmt.Errorf("sync: %w", msg.err))
		return nil
	}
	p, label := msg.plan, msg.label
	req, ok := p.Request()
	if !ok {
		return finishSync(ctx, p, label, false)
	}
	h, err := x.submit(req)
	if err != nil {
		x.status.setError(fmt.Errorf("sync: %w", err))
		return nil
	}
	x.track(h, req, label, func(clean bool) tea.Cmd {
		if !clean {
			x.status.setError(fmt.Errorf("sync to %s: not every copy succeeded; nothing was deleted (%s shows the queue)", label, x.keys.Queue.Help().Key))
			return nil
		}
		return finishSync(ctx, p, label, true)
	})
	x.status.setInfo("syncing to " + label + " (" + x.keys.Queue.Help().Key + " shows the queue)")
	return x.listen()
}

// finishSync deletes what the plan deletes and fixes directory times, in a
// Cmd.
func finishSync(ctx context.Context, p *mirror.Plan, label string, copied bool) tea.Cmd {
	return func() tea.Msg {
		deleted := 0
		var err error
		if p.Options.Delete {
			err = p.Delete(ctx, func(mirror.Action) { deleted++ })
		}
		err = errors.Join(err, p.FixDirs(ctx))
		return syncDoneMsg{dst: p.Dst, label: label, copied: copied, deleted: deleted, err: err}
	}
}

// handleSyncDone reports the end of a sync and lists the panes it changed.
func (x *transfers) handleSyncDone(msg syncDoneMsg) tea.Cmd {
	if msg.err != nil {
		x.status.setError(fmt.Errorf("sync to %s: %w", msg.label, msg.err))
	} else {
		x.status.setInfo(fmt.Sprintf("sync to %s finished: %s deleted", msg.label, text.Plural(msg.deleted, "entry")))
	}
	for i := range x.panes {
		if p := &x.panes[i]; p.FS() != nil && p.Loaded() && sameLocation(p.FS(), msg.dst) {
			x.dirty[i] = true
		}
	}
	return x.refreshDirty()
}

// track follows batch h like a copy's, running after when it finishes;
// clean is true when every job succeeded.
func (x *transfers) track(h *transfer.Batch, req transfer.Request, label string, after func(clean bool) tea.Cmd) {
	if x.batches == nil {
		x.batches = make(map[transfer.BatchID]*batchInfo)
	}
	x.batches[h.ID()] = &batchInfo{id: h.ID(), handle: h, src: req.Src, dst: req.Dst, items: req.Items, dstLabel: label, open: true, after: after}
}
