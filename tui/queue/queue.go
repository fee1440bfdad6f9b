// Package queue is the transfer queue view of ferry's user interface and
// the one-line transfer strip: it lists the engine's jobs in planning
// order with their state, progress and errors, and turns the user's keys
// into action messages (CancelMsg, RetryMsg, PauseMsg...) that the root
// applies to the engine. The view holds only the jobs on screen, which
// the root fetches for it with Refresh; it never calls the engine itself.
package queue

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/common"
)

// wheelRows is how far one wheel notch moves the cursor.
const wheelRows = 3

// CloseMsg asks the root to close the queue view.
type CloseMsg struct{}

// CancelMsg asks the root to cancel job Job.
type CancelMsg struct{ Job transfer.JobID }

// CancelAllMsg asks the root to cancel every job.
type CancelAllMsg struct{}

// RetryMsg asks the root to retry Job, the job under the cursor.
type RetryMsg struct{ Job transfer.JobStatus }

// RetryAllMsg asks the root to retry every failed job.
type RetryAllMsg struct{}

// PauseMsg asks the root to pause the queue, or to resume it when paused.
type PauseMsg struct{}

// WorkersMsg asks the root to let Delta more (or, negative, fewer) jobs
// run at once.
type WorkersMsg struct{ Delta int }

// LimitMsg asks the root to lower (Step -1) or raise (Step 1) the
// bandwidth limit one step.
type LimitMsg struct{ Step int }

// ClearMsg asks the root to clear the finished jobs from the view, with
// Clear.
type ClearMsg struct{}

// MovedMsg says the cursor moved: the root fetches the jobs around it.
type MovedMsg struct{}

// Fetch returns up to n jobs of the engine from index offset, in planning
// order.
type Fetch func(offset, n int) []transfer.JobStatus

// JobText is how a job is named on screen, sanitised: its path below the
// directory it was copied from, its error with full paths shortened the
// same way, and the detail line shown while it is under the cursor.
type JobText struct {
	Name, Err, Detail string
}

// Model lists the engine's jobs in planning order: state, name, progress,
// bytes, speed, error. It opens on the first active job. Clear takes the
// finished jobs out of it: it then lists the jobs that were active at the
// last clear and those planned since.
type Model struct {
	keys   *common.KeyMap
	cursor int                  // row under the cursor
	offset int                  // first row shown
	height int                  // how many jobs fit
	jobs   []transfer.JobStatus // the jobs shown, from offset
	rows   []JobText            // their names and errors
	snap   transfer.Snapshot
	total  int // rows in the view

	cleared bool  // Clear was used: the rows are kept, then the engine's jobs from base
	kept    []int // engine indices of the jobs active at the last clear
	base    int   // engine index of the first job planned after the last clear
}

// New returns an empty queue view.
func New(keys *common.KeyMap) *Model { return &Model{keys: keys} }

// Cursor returns the index of the job under the cursor.
func (q *Model) Cursor() int { return q.cursor }

// Offset returns the index of the first job shown.
func (q *Model) Offset() int { return q.offset }

// Shown returns how many jobs fit on screen and how many were fetched.
func (q *Model) Shown() (fit, fetched int) { return q.height, len(q.jobs) }

// Rows returns how many jobs the view lists.
func (q *Model) Rows() int { return q.total }

// Help returns the queue view's bindings for the help bar.
func (q *Model) Help() help.KeyMap {
	k := q.keys
	return common.Bindings{k.QueueClose, k.QueueCancel, k.QueueRetry, k.QueuePause, k.QueueClear, k.QueueMoreWorkers,
		k.QueueFewerWorkers, k.QueueSlower, k.QueueFaster, k.QueueCancelAll, k.QueueRetryAll, k.Up, k.Down, k.PageUp, k.PageDown}
}

// Refresh takes snap and fetches with jobs the jobs that fit in height
// lines (a title and a detail line included) around the cursor, naming
// them with describe.
func (q *Model) Refresh(snap transfer.Snapshot, height int, jobs Fetch, describe func(*transfer.JobStatus) JobText) {
	q.snap = snap
	q.height = max(height-2, 1)
	q.total = q.count(snap.Jobs)
	total := q.total
	q.cursor = min(max(q.cursor, 0), max(total-1, 0))
	if q.cursor < q.offset {
		q.offset = q.cursor
	}
	if q.cursor >= q.offset+q.height {
		q.offset = q.cursor - q.height + 1
	}
	q.offset = max(min(q.offset, total-q.height), 0)
	q.jobs = q.fetch(jobs, q.offset, q.height)
	q.rows = q.rows[:0]
	for i := range q.jobs {
		q.rows = append(q.rows, describe(&q.jobs[i]))
	}
}

// current returns the job under the cursor.
func (q *Model) current() (transfer.JobStatus, bool) {
	i := q.cursor - q.offset
	if i < 0 || i >= len(q.jobs) {
		return transfer.JobStatus{}, false
	}
	return q.jobs[i], true
}

// Update moves the cursor (returning MovedMsg) on keys and the wheel, and
// turns the queue's keys into the action messages the root applies.
func (q *Model) Update(msg tea.Msg) tea.Msg {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		return q.handleKey(msg)
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			q.cursor -= wheelRows
		case tea.MouseWheelDown:
			q.cursor += wheelRows
		default:
			return nil
		}
		return MovedMsg{}
	}
	return nil
}

// handleKey handles one key press.
func (q *Model) handleKey(msg tea.KeyPressMsg) tea.Msg {
	k := q.keys
	page := max(q.height-1, 1)
	switch {
	case key.Matches(msg, k.QueueClose):
		return CloseMsg{}
	case key.Matches(msg, k.Up):
		q.cursor--
	case key.Matches(msg, k.Down):
		q.cursor++
	case key.Matches(msg, k.PageUp):
		q.cursor -= page
	case key.Matches(msg, k.PageDown):
		q.cursor += page
	case key.Matches(msg, k.Top):
		q.cursor = 0
	case key.Matches(msg, k.Bottom):
		q.cursor = q.total - 1
	case key.Matches(msg, k.QueueCancel):
		if j, ok := q.current(); ok && !j.State.Terminal() {
			return CancelMsg{Job: j.ID}
		}
		return nil
	case key.Matches(msg, k.QueueCancelAll):
		return CancelAllMsg{}
	case key.Matches(msg, k.QueueRetry):
		if j, ok := q.current(); ok {
			return RetryMsg{Job: j}
		}
		return nil
	case key.Matches(msg, k.QueueRetryAll):
		return RetryAllMsg{}
	case key.Matches(msg, k.QueueClear):
		return ClearMsg{}
	case key.Matches(msg, k.QueuePause):
		return PauseMsg{}
	case key.Matches(msg, k.QueueMoreWorkers):
		return WorkersMsg{Delta: 1}
	case key.Matches(msg, k.QueueFewerWorkers):
		return WorkersMsg{Delta: -1}
	case key.Matches(msg, k.QueueSlower):
		return LimitMsg{Step: -1}
	case key.Matches(msg, k.QueueFaster):
		return LimitMsg{Step: 1}
	default:
		return nil
	}
	return MovedMsg{}
}
