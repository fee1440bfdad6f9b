package tui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/queue"
)

// Every call the UI makes on the transfer engine is in this file:
// submitting batches, answering conflicts, reading events, snapshots and
// batch summaries, and what the queue view asks for.

// submit hands a batch to the engine.
func (x *transfers) submit(req transfer.Request) (*transfer.Batch, error) {
	return x.engine.Submit(req)
}

// summary returns what b's jobs came to so far.
func (x *transfers) summary(b *batchInfo) transfer.Summary { return b.handle.Summary() }

// answer gives the engine the user's answer to the conflict of job.
func (x *transfers) answer(job transfer.JobID, a transfer.Answer) error {
	return x.engine.Answer(job, a)
}

// snapshot returns the engine's counters; ok is false without an engine.
func (x *transfers) snapshot() (s transfer.Snapshot, ok bool) {
	if x.engine == nil {
		return s, false
	}
	return x.engine.Snapshot(), true
}

// cancelAll cancels every job, when the program quits.
func (x *transfers) cancelAll() {
	if x.engine != nil {
		x.engine.CancelAll()
	}
}

// jobs returns n jobs from offset, for the queue view.
func (x *transfers) jobs(offset, n int) []transfer.JobStatus { return x.engine.Jobs(offset, n) }

// eventLinger is how long listenEvents goes on gathering events after the
// first. Every message costs the UI a full View and the engine a
// Snapshot; a copy of many small files sends thousands of events, which
// one at a time cost the UI 20% more CPU than the same copy headless
// (perf, TestBenchUI). 20 ms is below what the eye sees.
const eventLinger = 20 * time.Millisecond

// listenEvents returns a Cmd that waits for the next engine event and
// takes whatever else arrives within eventLinger, up to maxEventsPerMsg.
func listenEvents(ch <-chan transfer.Event) tea.Cmd {
	return func() tea.Msg {
		ev, ok := <-ch
		if !ok {
			return transferEventsMsg{closed: true}
		}
		evs := []transfer.Event{ev}
		linger := time.NewTimer(eventLinger)
		defer linger.Stop()
		for len(evs) < maxEventsPerMsg {
			select {
			case ev, ok := <-ch:
				if !ok {
					return transferEventsMsg{events: evs, closed: true}
				}
				evs = append(evs, ev)
			case <-linger.C:
				return transferEventsMsg{events: evs}
			}
		}
		return transferEventsMsg{events: evs}
	}
}

// listen starts reading events unless a reader runs already.
func (x *transfers) listen() tea.Cmd {
	if x.engine == nil || x.listening || x.closed {
		return nil
	}
	x.listening = true
	return listenEvents(x.engine.Events())
}

// poll takes a snapshot of the engine for the strip and the queue view
// and keeps polling while something moves. appeared says the strip has
// just appeared: the screen is laid out again.
func (x *transfers) poll() (cmd tea.Cmd, appeared bool) {
	if x.engine == nil {
		return nil, false
	}
	x.snap = x.engine.Snapshot()
	if x.snap.Jobs > 0 && !x.shown {
		x.shown, appeared = true, true
	}
	if x.ticking || !active(x.snap) {
		return nil, appeared
	}
	x.ticking = true
	return tea.Tick(stripInterval, func(time.Time) tea.Msg { return stripTickMsg{} }), appeared
}

// act applies what the queue view asked for to the engine, saying in st
// what it did or why it could not.
func (x *transfers) act(msg tea.Msg, st *status) {
	e := x.engine
	switch msg := msg.(type) {
	case queue.CancelMsg:
		st.report(e.Cancel(msg.Job))
	case queue.CancelAllMsg:
		e.CancelAll()
	case queue.RetryMsg:
		x.retryJob(msg.Job, st)
	case queue.RetryAllMsg:
		x.retryFailed(st)
	case queue.PauseMsg:
		if e.Paused() {
			e.Resume()
		} else {
			e.Pause()
		}
	case queue.WorkersMsg:
		e.SetWorkers(e.Workers() + msg.Delta)
	case queue.LimitMsg:
		l := nextLimit(e.Limit(), int64(e.Snapshot().Speed), msg.Step)
		e.SetLimit(l)
		if l == 0 {
			st.setInfo("no bandwidth limit")
		} else {
			st.setInfo("bandwidth limit " + text.Size(l) + "/s")
		}
	}
}

// retryJob retries j, a failed or cancelled job.
func (x *transfers) retryJob(j transfer.JobStatus, st *status) {
	if j.State != transfer.Failed && j.State != transfer.Cancelled {
		st.setInfo("only failed or cancelled jobs can be retried")
		return
	}
	if err := x.engine.Retry(j.ID); err != nil {
		st.setError(err)
		return
	}
	if b := x.batches[j.Batch]; b != nil {
		b.open = true
	}
}

// retryFailed retries every failed job.
func (x *transfers) retryFailed(st *status) {
	n := x.engine.RetryFailed()
	if n == 0 {
		st.setInfo("no failed jobs to retry")
		return
	}
	for _, b := range x.batches {
		if b.hasFail {
			b.open, b.hasFail = true, false
		}
	}
	st.setInfo("retrying " + text.Plural(n, "job"))
}
