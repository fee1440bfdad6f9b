package tui

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/pane"
	"github.com/ferry-tui/ferry/tui/queue"
)

// Polling and refresh intervals.
const (
	// stripInterval is how often the engine's byte counts are polled
	// while something moves.
	stripInterval = 100 * time.Millisecond
	// refreshInterval is the shortest time between two listings of a pane
	// that jobs are writing into.
	refreshInterval = 500 * time.Millisecond
	// maxEventsPerMsg bounds how many engine events one message carries.
	maxEventsPerMsg = 512
)

// transfers is the model's side of the transfer engine: the batches it
// submitted, the conflicts waiting for an answer, the latest snapshot,
// and whether the event listener and the poll tick are running.
type transfers struct {
	// What the model lends it: its context, panes, status line and keys.
	ctx    context.Context
	panes  *[2]pane.Model
	status *status
	keys   *KeyMap

	engine    *transfer.Engine
	overwrite bool // Options.OverwriteWithoutAsking
	listening bool // a Cmd is reading Events
	closed    bool // Events was closed: the engine is gone
	ticking   bool // a strip tick is on its way
	// snap is what the strip shows: the engine's latest snapshot narrowed
	// by work to the current work, with work's speed; raw is that
	// snapshot as the engine gave it, for the queue view.
	snap, raw transfer.Snapshot
	work      queue.Work
	clock     func() time.Time // when the snapshots are taken; nil: time.Now
	shown     bool             // the strip is on screen: the engine has had jobs

	batches   map[transfer.BatchID]*batchInfo
	conflicts []pendingConflict
	queue     *queue.Model // the queue view, kept between openings

	dirty        [2]bool // panes to list again
	refreshArmed bool    // a refresh tick is on its way
	closeLater   []transfer.FS
}

// batchInfo is what the model remembers of a batch it submitted.
type batchInfo struct {
	id       transfer.BatchID
	handle   *transfer.Batch
	move     bool
	src, dst transfer.FS
	srcDir   string // the directory the sources were chosen in
	items    []transfer.Item
	dstLabel string // "label:path" of the destination, sanitised
	open     bool   // submitted or retried, BatchFinished not seen since
	hasFail  bool   // a job failed since the last "retry failed"
	kept     keptSources
	// after, when set, runs when the batch finishes; clean says that no
	// job failed or was cancelled (a sync then deletes).
	after func(clean bool) tea.Cmd
}

// pendingConflict is a conflict waiting for the user's answer.
type pendingConflict struct {
	job      transfer.JobID
	batch    transfer.BatchID
	c        transfer.Conflict
	srcLabel string // sanitised
	dstLabel string // sanitised
}

// transferEventsMsg carries events read from the engine, in order.
type transferEventsMsg struct {
	events []transfer.Event
	closed bool // the channel was closed after these
}

// stripTickMsg asks the model to poll the engine's counters.
type stripTickMsg struct{}

// refreshTickMsg asks the model to list the panes jobs wrote into.
type refreshTickMsg struct{}

// active reports whether anything in s is moving or about to: the strip
// then polls. A paused queue and jobs waiting for answers do not count.
func active(s transfer.Snapshot) bool {
	if s.Counting {
		return true
	}
	if s.Paused {
		return false
	}
	return s.States[transfer.Running] > 0 || s.States[transfer.Queued] > s.Asking
}

// handleEvents applies a run of engine events and reads on; the model
// then polls the counters and offers a new conflict.
func (x *transfers) handleEvents(msg transferEventsMsg) tea.Cmd {
	x.listening = false
	cmds := make([]tea.Cmd, 0, 4)
	for _, ev := range msg.events {
		cmds = append(cmds, x.handleEvent(ev))
	}
	if msg.closed {
		x.closed = true
	} else {
		cmds = append(cmds, x.listen())
	}
	cmds = append(cmds, x.scheduleRefresh())
	return tea.Batch(cmds...)
}

// handleTransferEvent applies one engine event.
func (x *transfers) handleEvent(ev transfer.Event) tea.Cmd {
	b := x.batches[ev.Batch]
	switch ev.Kind {
	case transfer.JobFinished:
		if b == nil {
			return nil
		}
		if ev.State == transfer.Failed {
			b.hasFail = true
		}
		x.markDirty(b.dst, b.dst.Dir(ev.Path))
	case transfer.SourceRemoved:
		if b != nil {
			x.markDirty(b.src, b.src.Dir(ev.Path))
			return x.leaveRemoved(b.src, ev.Path)
		}
	case transfer.SourceKept:
		if b != nil {
			x.keepSource(b, ev.Err)
		}
	case transfer.JobConflict:
		if ev.Conflict != nil {
			x.addConflict(ev, b)
		}
	case transfer.ConflictResolved:
		x.dropConflicts(func(c pendingConflict) bool { return c.job == ev.Job })
	case transfer.Notice:
		x.status.setInfo(ev.Path + ": " + ev.Message)
	case transfer.BatchFinished:
		if b != nil {
			return x.finishBatch(b)
		}
	}
	return nil
}

// finishBatch reports a finished batch (for a move, what became of its
// sources: the engine removed them before it finished the batch) and
// lists the panes it changed.
func (x *transfers) finishBatch(b *batchInfo) tea.Cmd {
	b.open = false
	s := x.summary(b)
	verb := "copy"
	if b.move {
		verb = "move"
	}
	switch {
	case len(s.Failed) > 0:
		x.status.setError(fmt.Errorf("%s to %s: %s failed (%s shows the queue): %w",
			verb, b.dstLabel, text.Plural(len(s.Failed), "entry"), x.keys.Queue.Help().Key, firstFailure(s.Failed)))
	case b.move:
		x.reportMove(b, s)
	default:
		x.status.setInfo("copy to " + b.dstLabel + " finished")
	}
	b.kept = keptSources{}
	x.markBatchDirty(b)
	var after tea.Cmd
	if b.after != nil {
		after = b.after(len(s.Failed) == 0 && s.States[transfer.Cancelled] == 0)
	}
	return tea.Batch(x.refreshDirty(), x.closeUnused(), after)
}

// firstFailure is the error of the first failed job.
func firstFailure(failed []transfer.JobStatus) error {
	if err := failed[0].Err; err != nil {
		return err
	}
	return &fs.PathError{Op: "copy", Path: failed[0].Src, Err: errors.New("failed")}
}

// addConflict queues a conflict for the dialog.
func (x *transfers) addConflict(ev transfer.Event, b *batchInfo) {
	pc := pendingConflict{job: ev.Job, batch: ev.Batch, c: *ev.Conflict, srcLabel: "source", dstLabel: "destination"}
	if b != nil {
		pc.srcLabel, pc.dstLabel = text.Sanitize(b.src.Label()), text.Sanitize(b.dst.Label())
	}
	for _, c := range x.conflicts {
		if c.job == pc.job {
			return
		}
	}
	x.conflicts = append(x.conflicts, pc)
}

// dropConflicts forgets the conflicts drop reports.
func (x *transfers) dropConflicts(drop func(pendingConflict) bool) {
	kept := x.conflicts[:0]
	for _, c := range x.conflicts {
		if !drop(c) {
			kept = append(kept, c)
		}
	}
	clear(x.conflicts[len(kept):])
	x.conflicts = kept
}

// markDirty marks the panes showing dir on fsys to be listed again.
func (x *transfers) markDirty(fsys transfer.FS, dir string) {
	for i := range x.panes {
		if p := &x.panes[i]; p.FS() != nil && p.Loaded() && p.Path() == dir && sameLocation(p.FS(), fsys) {
			x.dirty[i] = true
		}
	}
}

// markBatchDirty marks the panes showing where b's items went (and, for a
// move, where they came from) or what is inside them.
func (x *transfers) markBatchDirty(b *batchInfo) {
	for _, it := range b.items {
		x.markDirty(b.dst, b.dst.Dir(it.Dst))
		if b.move {
			x.markDirty(b.src, b.src.Dir(it.Src))
		}
		for i := range x.panes {
			p := &x.panes[i]
			if p.FS() != nil && p.Loaded() && sameLocation(p.FS(), b.dst) && transfer.Within(it.Dst, p.Path(), p.FS().Separator()) {
				x.dirty[i] = true
			}
		}
	}
}

// scheduleRefresh arms the refresh tick when a pane waits for a listing.
func (x *transfers) scheduleRefresh() tea.Cmd {
	if x.refreshArmed || !x.dirty[leftSide] && !x.dirty[rightSide] {
		return nil
	}
	x.refreshArmed = true
	return tea.Tick(refreshInterval, func(time.Time) tea.Msg { return refreshTickMsg{} })
}

// handleRefreshTick lists the dirty panes, and waits again for those
// still busy loading.
func (x *transfers) handleRefreshTick() tea.Cmd {
	x.refreshArmed = false
	return tea.Batch(x.refreshDirty(), x.scheduleRefresh())
}

// refreshDirty lists the dirty panes again now. A pane loading another
// directory keeps its mark: listing the old one would cancel that.
func (x *transfers) refreshDirty() tea.Cmd {
	var cmds []tea.Cmd
	for i := range x.panes {
		p := &x.panes[i]
		switch {
		case !x.dirty[i]:
		case p.FS() == nil || !p.Loaded():
			x.dirty[i] = false
		case !p.Loading():
			x.dirty[i] = false
			cmds = append(cmds, p.Refresh(""))
		}
	}
	return tea.Batch(cmds...)
}

// uses reports whether an unfinished batch reads or writes fsys.
func (x *transfers) uses(fsys transfer.FS) bool {
	for _, b := range x.batches {
		if b.open && (sameFS(b.src, fsys) || sameFS(b.dst, fsys)) {
			return true
		}
	}
	return false
}

// closeWhenUnused closes fsys now, or once no unfinished batch uses it.
func (x *transfers) closeWhenUnused(fsys transfer.FS) tea.Cmd {
	if x.uses(fsys) {
		x.closeLater = append(x.closeLater, fsys)
		return nil
	}
	return closeFS(fsys)
}

// closeUnused closes the file systems waiting for their batches to end.
func (x *transfers) closeUnused() tea.Cmd {
	var cmds []tea.Cmd
	kept := x.closeLater[:0]
	for _, f := range x.closeLater {
		switch {
		case x.uses(f):
			kept = append(kept, f)
		case !shown(x.panes, f):
			cmds = append(cmds, closeFS(f))
		}
	}
	clear(x.closeLater[len(kept):])
	x.closeLater = kept
	return tea.Batch(cmds...)
}

// sameLocation reports whether a and b reach the same files: the same
// value, or the same label (the local disk, or one host alias).
func sameLocation(a, b transfer.FS) bool {
	if a == nil || b == nil {
		return false
	}
	return sameFS(a, b) || a.Label() == b.Label()
}
