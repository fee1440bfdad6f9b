package tui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/queue"
)

// openQueue shows the queue view on its first active job, or says why it
// cannot.
func (m *Model) openQueue() tea.Cmd {
	if m.xfer.engine == nil {
		m.status.setInfo("the transfer queue needs the transfer engine")
		return nil
	}
	m.stack.push(m.xfer.queue)
	cmd := m.pollTransfers()
	m.xfer.queue.Open(m.xfer.raw, m.xfer.jobs)
	m.refreshQueueView()
	return cmd
}

// pollTransfers takes a snapshot of the engine for the strip and the
// queue view and keeps polling while something moves.
func (m *Model) pollTransfers() tea.Cmd {
	cmd, appeared := m.xfer.poll()
	m.xfer.observe()
	if appeared {
		m.layout()
	}
	m.refreshQueueView()
	return cmd
}

// observe keeps the engine's latest snapshot for the queue view and
// narrows it to the current work for the strip.
func (x *transfers) observe() {
	if x.engine == nil {
		return
	}
	now := time.Now
	if x.clock != nil {
		now = x.clock
	}
	x.raw = x.snap
	x.snap = x.work.Observe(now(), x.raw)
}

// refreshQueueView fetches the jobs the queue view shows, when it is on
// screen, also behind a conflict dialog.
func (m *Model) refreshQueueView() {
	if q, ok := findOverlay[*queue.Model](&m.stack); ok && m.xfer.engine != nil {
		q.Refresh(m.xfer.raw, m.bodyHeight(), m.xfer.measuredJobs, m.xfer.describeJob)
	}
}

// measuredJobs returns n jobs from offset, the running ones with the
// speed the strip's speed is measured the same way as.
func (x *transfers) measuredJobs(offset, n int) []transfer.JobStatus {
	jobs := x.jobs(offset, n)
	for i := range jobs {
		if j := &jobs[i]; j.State == transfer.Running {
			j.Speed = x.work.JobSpeed(j.ID)
		}
	}
	return jobs
}

// handleQueueInput sends a key or the wheel to the queue view, acts on
// what it asks for, and fetches the jobs it then shows.
func (m *Model) handleQueueInput(q *queue.Model, msg tea.Msg) tea.Cmd {
	switch res := q.Update(msg).(type) {
	case queue.CloseMsg:
		return m.closed(q)
	case nil:
		return nil
	case queue.ClearMsg:
		q.Clear(m.xfer.raw, m.xfer.jobs)
	case queue.RetryAllMsg:
		if !q.Cleared() {
			m.xfer.act(res, &m.status)
			break
		}
		m.xfer.retryShown(q.Failed(m.xfer.raw, m.xfer.jobs), &m.status)
	default:
		m.xfer.act(res, &m.status)
	}
	return tea.Batch(m.xfer.listen(), m.pollTransfers())
}

// retryShown retries the failed jobs the queue view lists, once finished
// jobs were cleared from it: the cleared ones stay as they are.
func (x *transfers) retryShown(failed []transfer.JobStatus, st *status) {
	if len(failed) == 0 {
		st.setInfo("no failed jobs to retry")
		return
	}
	for _, j := range failed {
		x.act(queue.RetryMsg{Job: j}, st)
	}
	if st.text == "" {
		st.setInfo("retrying " + text.Plural(len(failed), "job"))
	}
}

// describeJob names j for the queue view: below the directory its batch
// was copied from, with the error of a failed or skipped job.
func (x *transfers) describeJob(j *transfer.JobStatus) queue.JobText {
	if b := x.batches[j.Batch]; b != nil && b.srcDir != "" {
		return queue.Describe(j, b.srcDir, b.src.Separator())
	}
	return queue.Describe(j, "", "/")
}
