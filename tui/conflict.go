package tui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/dialog"
	"github.com/ferry-tui/ferry/tui/queue"
)

// conflictDialog is the conflict dialog and the conflict it shows.
type conflictDialog struct {
	*dialog.Conflict
	cur pendingConflict
}

// show asks about pc, with more conflicts waiting.
func (d *conflictDialog) show(pc pendingConflict, more int) {
	d.cur = pc
	d.Show(pc.c, pc.srcLabel, pc.dstLabel, more)
}

// offerConflict keeps the conflict dialog in step with the waiting
// conflicts: it shows the first, closes when none is left, and pops up
// over the panes or the queue view when a conflict arrives. Other
// overlays are left alone; the conflict waits until they close. It is
// called where the conflicts change and where an overlay closes.
func (m *Model) offerConflict() tea.Cmd {
	x := &m.xfer
	if d, ok := findOverlay[*conflictDialog](&m.stack); ok {
		if len(x.conflicts) == 0 {
			m.stack.remove(d)
			return nil
		}
		d.show(x.conflicts[0], len(x.conflicts)-1)
		return nil
	}
	if len(x.conflicts) == 0 || m.filter.active || m.ctx.Err() != nil {
		return nil
	}
	switch m.stack.top().(type) {
	case nil, *queue.Model:
	default:
		return nil
	}
	d := &conflictDialog{Conflict: dialog.NewConflict(m.ids.next(), m.now().Location(), &m.keys)}
	d.show(x.conflicts[0], len(x.conflicts)-1)
	m.stack.push(d)
	return dialog.Ready(d.ID())
}

// handleConflictAnswered gives the engine the answer and moves on.
func (m *Model) handleConflictAnswered(msg dialog.ConflictAnsweredMsg) tea.Cmd {
	d, ok := topIs[*conflictDialog](&m.stack)
	if !ok || d.ID() != msg.ID {
		return nil
	}
	x := &m.xfer
	cur := d.cur
	err := x.answer(cur.job, transfer.Answer{Choice: msg.Policy, ForAll: msg.ForAll})
	x.dropConflicts(func(c pendingConflict) bool {
		return c.job == cur.job || msg.ForAll && err == nil && c.batch == cur.batch
	})
	if err != nil {
		m.status.setError(err)
	}
	return tea.Batch(m.pollTransfers(), m.offerConflict())
}
