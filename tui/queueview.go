package tui

import (
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/common"
)

// Widths of the queue view's columns.
const (
	queueStateWidth = 9  // "cancelled"
	queueBarWidth   = 10 // the progress bar
	queueBytesWidth = 11 // "1023M/1023M"
	queueSpeedWidth = 8  // "1023M/s"
	queueWideFrom   = 70 // narrower windows drop the bar and the speed
)

// queueView lists the engine's jobs in planning order: state, name,
// progress, bytes, speed, error. It holds only the jobs on screen, fetched
// by the model in Update; the view itself does no I/O.
type queueView struct {
	km     *KeyMap
	cursor int                  // index of the job under the cursor
	offset int                  // index of the first job shown
	height int                  // how many jobs fit
	jobs   []transfer.JobStatus // the jobs shown, from offset
	rows   []jobText            // their names and errors, sanitised
	snap   transfer.Snapshot
}

// jobText is how a job is named on screen: its path below the directory
// it was copied from, and its error with full paths shortened the same
// way; both sanitised.
type jobText struct {
	name, err, detail string
}

// Help returns the queue view's bindings for the help bar.
func (q *queueView) Help() help.KeyMap {
	k := q.km
	return common.Bindings{k.QueueClose, k.QueueCancel, k.QueueRetry, k.QueuePause, k.QueueMoreWorkers,
		k.QueueFewerWorkers, k.QueueCancelAll, k.QueueRetryAll, k.Up, k.Down, k.PageUp, k.PageDown}
}

// refresh fetches the jobs that fit in height lines (a title and a
// detail line included) around the cursor, naming them with describe.
func (q *queueView) refresh(e *transfer.Engine, snap transfer.Snapshot, height int, describe func(*transfer.JobStatus) jobText) {
	q.snap = snap
	q.height = max(height-2, 1)
	total := snap.Jobs
	q.cursor = min(max(q.cursor, 0), max(total-1, 0))
	if q.cursor < q.offset {
		q.offset = q.cursor
	}
	if q.cursor >= q.offset+q.height {
		q.offset = q.cursor - q.height + 1
	}
	q.offset = max(min(q.offset, total-q.height), 0)
	q.jobs = e.Jobs(q.offset, q.height)
	q.rows = q.rows[:0]
	for i := range q.jobs {
		q.rows = append(q.rows, describe(&q.jobs[i]))
	}
}

// current returns the job under the cursor.
func (q *queueView) current() (transfer.JobStatus, bool) {
	i := q.cursor - q.offset
	if i < 0 || i >= len(q.jobs) {
		return transfer.JobStatus{}, false
	}
	return q.jobs[i], true
}

// Screen renders a title line, the jobs, and a line about the job under
// the cursor: its error in full, or where it goes.
func (q *queueView) Screen(st *Styles, width, height int) string {
	title := " Transfer queue · " + text.Plural(q.snap.Jobs, "job") + " · " + text.Plural(q.snap.Workers, "worker")
	if q.snap.Paused {
		title += " · paused"
	}
	lines := []string{st.HeaderFocused.Render(common.Fit(title, width))}
	if q.snap.Jobs == 0 {
		lines = append(lines, st.Hint.Render(common.Fit("  no transfers yet: F5 copies, F6 moves", width)))
	}
	detail := ""
	for i := range q.jobs {
		if len(lines) >= height-1 {
			break
		}
		j := &q.jobs[i]
		style := st.File
		switch {
		case q.offset+i == q.cursor:
			style = st.Cursor
			detail = q.rows[i].detail
		case j.State == transfer.Failed:
			style = st.StatusError
		case j.State.Terminal():
			style = st.Meta
		}
		lines = append(lines, style.Render(queueRow(j, q.rows[i], width)))
	}
	blank := strings.Repeat(" ", width)
	for len(lines) < height-1 {
		lines = append(lines, blank)
	}
	lines = append(lines, st.Hint.Render(common.Fit(detail, width)))
	return strings.Join(lines[:height], "\n")
}

// queueRow renders one job as plain text exactly width cells wide.
func queueRow(j *transfer.JobStatus, txt jobText, width int) string {
	state := j.State.String()
	switch {
	case j.Conflict != nil:
		state = "asking"
	case j.State == transfer.Running && j.Waiting:
		state = "waiting"
	case j.State == transfer.Running && j.Attempt > 0:
		state = "retry " + strconv.Itoa(j.Attempt)
	}
	name := txt.name
	if j.Kind == transfer.KindDir {
		name += "/"
	}
	right := ""
	switch {
	case txt.err != "":
		// The error gets two thirds of what the name and it share.
		rest := max(width-queueStateWidth-2, 0)
		nameW := min(ansi.StringWidth(name), max(rest/3, min(rest, 12)))
		return common.Fit(common.Fit(state, queueStateWidth)+" "+common.FitLeft(name, nameW)+" "+txt.err, width)
	case j.Kind == transfer.KindFile:
		right = fileProgress(j, width >= queueWideFrom)
	default:
		right = j.Kind.String()
	}
	nameW := max(width-queueStateWidth-ansi.StringWidth(right)-3, 1)
	return common.Fit(common.Fit(state, queueStateWidth)+" "+common.FitLeft(name, nameW)+" "+right, width)
}

// describeJob names j for the queue view: below the directory its batch
// was copied from, with the error of a failed or skipped job.
func (m *Model) describeJob(j *transfer.JobStatus) jobText {
	name := j.Src
	if b := m.xfer.batches[j.Batch]; b != nil && b.srcDir != "" {
		sep := transfer.Separator(b.src)
		if rel, ok := strings.CutPrefix(j.Src, strings.TrimSuffix(b.srcDir, sep)+sep); ok && rel != "" {
			name = rel
		}
	}
	t := jobText{name: text.Sanitize(name),
		detail: "  " + text.Sanitize(j.SrcLabel+":"+j.Src) + " → " + text.Sanitize(j.DstLabel+":"+j.Dst)}
	if j.RetryErr != nil && j.State == transfer.Running {
		t.detail = "  " + text.Sanitize(fmt.Sprintf("try %d after: %v", j.Attempt+1, j.RetryErr))
		if j.Waiting {
			t.detail = "  waiting for the connection; " + strings.TrimPrefix(t.detail, "  ")
		}
	}
	if j.Err != nil && (j.State == transfer.Failed || j.State == transfer.Skipped) {
		msg := j.Err.Error()
		t.detail = "  " + text.Sanitize(msg)
		if name != j.Src {
			msg = strings.ReplaceAll(msg, j.Src, name)
		}
		t.err = text.Sanitize(msg)
	}
	return t
}

// fileProgress is a file job's progress: a bar (when wide), the percentage,
// bytes done of all and, while it runs, its speed.
func fileProgress(j *transfer.JobStatus, wide bool) string {
	done, size := j.Done, j.Size
	if j.State == transfer.Done {
		done = max(done, size)
	}
	pct := 100
	if size > 0 {
		pct = int(min(done, size) * 100 / size)
	}
	bytes := common.AlignRight(text.Size(done)+"/"+text.Size(size), queueBytesWidth)
	s := fmt.Sprintf("%3d%% %s", pct, bytes)
	if !wide {
		return s
	}
	speed := ""
	if j.State == transfer.Running && j.Speed > 0 {
		speed = text.Size(int64(j.Speed)) + "/s"
	}
	return common.Bar(min(max(pct, 0), 100)*queueBarWidth/100, queueBarWidth) + " " + s + " " + common.AlignRight(speed, queueSpeedWidth)
}

// openQueue shows the queue view, or says why it cannot.
func (m *Model) openQueue() tea.Cmd {
	if m.xfer.engine == nil {
		m.status.setInfo("the transfer queue needs the transfer engine")
		return nil
	}
	m.push(&m.xfer.queue)
	return m.pollTransfers()
}

// queueShown returns the queue view when it is on screen, also behind a
// conflict dialog.
func (m *Model) queueShown() *queueView {
	q, _ := findOverlay[*queueView](m)
	return q
}

// refreshQueueView fetches the jobs the queue view shows, when it is on
// screen.
func (m *Model) refreshQueueView() {
	if q := m.queueShown(); q != nil && m.xfer.engine != nil {
		q.refresh(m.xfer.engine, m.xfer.snap, m.bodyHeight(), m.describeJob)
	}
}

// handleQueueKey moves the cursor or acts on the queue.
func (m *Model) handleQueueKey(q *queueView, msg tea.KeyPressMsg) tea.Cmd {
	k, e := &m.keys, m.xfer.engine
	page := max(q.height-1, 1)
	switch {
	case key.Matches(msg, k.QueueClose):
		return m.closed(q)
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
		q.cursor = q.snap.Jobs - 1
	case key.Matches(msg, k.QueueCancel):
		if j, ok := q.current(); ok && !j.State.Terminal() {
			m.reportErr(e.Cancel(j.ID))
		}
	case key.Matches(msg, k.QueueCancelAll):
		e.CancelAll()
	case key.Matches(msg, k.QueueRetry):
		m.retryJob(q)
	case key.Matches(msg, k.QueueRetryAll):
		m.retryFailed()
	case key.Matches(msg, k.QueuePause):
		if e.Paused() {
			e.Resume()
		} else {
			e.Pause()
		}
	case key.Matches(msg, k.QueueMoreWorkers):
		e.SetWorkers(e.Workers() + 1)
	case key.Matches(msg, k.QueueFewerWorkers):
		e.SetWorkers(e.Workers() - 1)
	}
	return tea.Batch(m.listen(), m.pollTransfers())
}

// retryJob retries the failed or cancelled job under the cursor.
func (m *Model) retryJob(q *queueView) {
	j, ok := q.current()
	if !ok {
		return
	}
	if j.State != transfer.Failed && j.State != transfer.Cancelled {
		m.status.setInfo("only failed or cancelled jobs can be retried")
		return
	}
	if err := m.xfer.engine.Retry(j.ID); err != nil {
		m.status.setError(err)
		return
	}
	if b := m.xfer.batches[j.Batch]; b != nil {
		b.open = true
	}
}

// retryFailed retries every failed job.
func (m *Model) retryFailed() {
	n := m.xfer.engine.RetryFailed()
	if n == 0 {
		m.status.setInfo("no failed jobs to retry")
		return
	}
	for _, b := range m.xfer.batches {
		if b.hasFail {
			b.open, b.hasFail = true, false
		}
	}
	m.status.setInfo("retrying " + text.Plural(n, "job"))
}

// reportErr shows err in the status line, if any.
func (m *Model) reportErr(err error) {
	if err != nil {
		m.status.setError(err)
	}
}
