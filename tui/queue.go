package tui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/queue"
)

// openQueue shows the queue view, or says why it cannot.
func (m *Model) openQueue() tea.Cmd {
	if m.xfer.engine == nil {
		m.status.setInfo("the transfer queue needs the transfer engine")
		return nil
	}
	m.stack.push(m.xfer.queue)
	return m.pollTransfers()
}

// pollTransfers takes a snapshot of the engine for the strip and the
// queue view and keeps polling while something moves.
func (m *Model) pollTransfers() tea.Cmd {
	cmd, appeared := m.xfer.poll()
	if appeared {
		m.layout()
	}
	m.refreshQueueView()
	return cmd
}

// refreshQueueView fetches the jobs the queue view shows, when it is on
// screen, also behind a conflict dialog.
func (m *Model) refreshQueueView() {
	if q, ok := findOverlay[*queue.Model](&m.stack); ok && m.xfer.engine != nil {
		q.Refresh(m.xfer.snap, m.bodyHeight(), m.xfer.jobs, m.xfer.describeJob)
	}
}

// handleQueueInput sends a key or the wheel to the queue view, acts on
// what it asks for, and fetches the jobs it then shows.
func (m *Model) handleQueueInput(q *queue.Model, msg tea.Msg) tea.Cmd {
	switch res := q.Update(msg).(type) {
	case queue.CloseMsg:
		return m.closed(q)
	case nil:
		return nil
	default:
		m.xfer.act(res, &m.status)
	}
	return tea.Batch(m.xfer.listen(), m.pollTransfers())
}

// describeJob names j for the queue view: below the directory its batch
// was copied from, with the error of a failed or skipped job.
func (x *transfers) describeJob(j *transfer.JobStatus) queue.JobText {
	if b := x.batches[j.Batch]; b != nil && b.srcDir != "" {
		return queue.Describe(j, b.srcDir, b.src.Separator())
	}
	return queue.Describe(j, "", "/")
}
