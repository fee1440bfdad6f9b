package queue

import (
	"fmt"
	"strconv"
	"strings"

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

// Screen renders a title line, the jobs, and a line about the job under
// the cursor: its error in full, or where it goes.
func (q *Model) Screen(st *common.Styles, width, height int) string {
	title := " Transfer queue · " + text.Plural(q.total, "job") + " · " + text.Plural(q.snap.Workers, "worker")
	if q.cleared {
		title += " · finished ones cleared"
	}
	if q.snap.Paused {
		title += " · paused"
	}
	lines := []string{st.HeaderFocused.Render(common.Fit(title, width))}
	switch {
	case q.snap.Jobs == 0:
		lines = append(lines, st.Hint.Render(common.Fit("  no transfers yet: "+q.keys.Copy.Help().Key+" copies, "+q.keys.Move.Help().Key+" moves", width)))
	case q.total == 0:
		lines = append(lines, st.Hint.Render(common.Fit("  no active transfers", width)))
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
			detail = q.rows[i].Detail
		case j.State == transfer.Failed:
			style = st.StatusError
		case j.State.Terminal():
			style = st.Meta
		}
		lines = append(lines, style.Render(row(j, q.rows[i], width, q.snap.Paused)))
	}
	blank := strings.Repeat(" ", width)
	for len(lines) < height-1 {
		lines = append(lines, blank)
	}
	lines = append(lines, st.Hint.Render(common.Fit(detail, width)))
	return strings.Join(lines[:height], "\n")
}

// row renders one job as plain text exactly width cells wide; a running
// job of a paused queue says so, without a speed.
func row(j *transfer.JobStatus, txt JobText, width int, paused bool) string {
	state := j.State.String()
	switch {
	case j.Conflict != nil:
		state = "asking"
	case j.State == transfer.Running && j.Waiting:
		state = "waiting"
	case j.State == transfer.Running && paused:
		state = "paused"
	case j.State == transfer.Running && j.Attempt > 0:
		state = "retry " + strconv.Itoa(j.Attempt)
	}
	name := txt.Name
	if j.Kind == transfer.KindDir {
		name += "/"
	}
	right := ""
	switch {
	case txt.Err != "":
		// The error gets two thirds of what the name and it share.
		rest := max(width-queueStateWidth-2, 0)
		nameW := min(ansi.StringWidth(name), max(rest/3, min(rest, 12)))
		return common.Fit(common.Fit(state, queueStateWidth)+" "+common.FitLeft(name, nameW)+" "+txt.Err, width)
	case j.Kind == transfer.KindFile:
		right = fileProgress(j, width >= queueWideFrom, paused)
	default:
		right = j.Kind.String()
	}
	nameW := max(width-queueStateWidth-ansi.StringWidth(right)-3, 1)
	return common.Fit(common.Fit(state, queueStateWidth)+" "+common.FitLeft(name, nameW)+" "+right, width)
}

// fileProgress is a file job's progress: a bar (when wide), the percentage,
// bytes done of all and, while it runs and the queue is not paused, its
// speed.
func fileProgress(j *transfer.JobStatus, wide, paused bool) string {
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
	if j.State == transfer.Running && !paused && j.Speed > 0 {
		speed = text.Size(int64(j.Speed)) + "/s"
	}
	return common.Bar(min(max(pct, 0), 100)*queueBarWidth/100, queueBarWidth) + " " + s + " " + common.AlignRight(speed, queueSpeedWidth)
}

// Describe names j for the queue view: below srcDir, the directory its
// batch was copied from ("" when unknown), on a file system whose
// separator is sep, with the error of a failed or skipped job.
func Describe(j *transfer.JobStatus, srcDir, sep string) JobText {
	name := j.Src
	if srcDir != "" {
		if rel, ok := strings.CutPrefix(j.Src, strings.TrimSuffix(srcDir, sep)+sep); ok && rel != "" {
			name = rel
		}
	}
	t := JobText{Name: text.Sanitize(name),
		Detail: "  " + text.Sanitize(j.SrcLabel+":"+j.Src) + " → " + text.Sanitize(j.DstLabel+":"+j.Dst)}
	if j.RetryErr != nil && j.State == transfer.Running {
		t.Detail = "  " + text.Sanitize(fmt.Sprintf("try %d after: %v", j.Attempt+1, j.RetryErr))
		if j.Waiting {
			t.Detail = "  waiting for the connection; " + strings.TrimPrefix(t.Detail, "  ")
		}
	}
	if j.Err != nil && (j.State == transfer.Failed || j.State == transfer.Skipped) {
		msg := j.Err.Error()
		t.Detail = "  " + text.Sanitize(msg)
		if name != j.Src {
			msg = strings.ReplaceAll(msg, j.Src, name)
		}
		t.Err = text.Sanitize(msg)
	}
	return t
}
