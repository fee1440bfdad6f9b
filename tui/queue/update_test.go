package queue

import (
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/common"
	"github.com/ferry-tui/ferry/tui/internal/tuitest"
)

// fakeJobs is a queue of n file jobs, the third failed.
func fakeJobs(n int) []transfer.JobStatus {
	jobs := make([]transfer.JobStatus, n)
	for i := range jobs {
		jobs[i] = transfer.JobStatus{ID: transfer.JobID(i + 1), Kind: transfer.KindFile, Src: "/f" + string(rune('a'+i%26)), State: transfer.Queued}
	}
	jobs[2].State, jobs[2].Err = transfer.Failed, errors.New("permission denied")
	return jobs
}

// refreshed returns a view of jobs in height lines.
func refreshed(q *Model, jobs []transfer.JobStatus, height int) {
	snap := transfer.Snapshot{Jobs: len(jobs)}
	q.Refresh(snap, height, func(off, n int) []transfer.JobStatus {
		return jobs[off:min(off+n, len(jobs))]
	}, func(j *transfer.JobStatus) JobText { return Describe(j, "", "/") })
}

func TestKeysMoveAndAsk(t *testing.T) {
	km := common.DefaultKeyMap()
	q := New(&km)
	jobs := fakeJobs(30)
	refreshed(q, jobs, 12) // 10 jobs fit
	steps := []struct {
		key            string
		want           tea.Msg
		cursor, offset int
	}{
		{"j", MovedMsg{}, 1, 0},
		{"j", MovedMsg{}, 2, 0},
		{"r", RetryMsg{Job: jobs[2]}, 2, 0},
		{"x", nil, 2, 0}, // a failed job cannot be cancelled
		{"k", MovedMsg{}, 1, 0},
		{"x", CancelMsg{Job: 2}, 1, 0},
		{"pgdown", MovedMsg{}, 10, 1},
		{"G", MovedMsg{}, 29, 20},
		{"g", MovedMsg{}, 0, 0},
		{"X", CancelAllMsg{}, 0, 0},
		{"R", RetryAllMsg{}, 0, 0},
		{"p", PauseMsg{}, 0, 0},
		{"+", WorkersMsg{Delta: 1}, 0, 0},
		{"=", WorkersMsg{Delta: 1}, 0, 0},
		{"-", WorkersMsg{Delta: -1}, 0, 0},
		{"w", CloseMsg{}, 0, 0},
		{"esc", CloseMsg{}, 0, 0},
		{"q", CloseMsg{}, 0, 0},
		{"z", nil, 0, 0},
	}
	for i, s := range steps {
		res := q.Update(tuitest.Key(s.key))
		if res != s.want {
			// RetryMsg holds a JobStatus, which == compares by value.
			t.Errorf("step %d %s: %#v, want %#v", i, s.key, res, s.want)
		}
		refreshed(q, jobs, 12)
		if q.Cursor() != s.cursor || q.Offset() != s.offset {
			t.Errorf("step %d %s: cursor %d offset %d, want %d %d", i, s.key, q.Cursor(), q.Offset(), s.cursor, s.offset)
		}
	}
	if res := q.Update(tea.MouseWheelMsg{Button: tea.MouseWheelDown}); res != (MovedMsg{}) {
		t.Errorf("wheel: %#v", res)
	}
	refreshed(q, jobs, 12)
	if q.Cursor() != 3 {
		t.Errorf("wheel: cursor %d", q.Cursor())
	}
	out := q.Screen(&common.Styles{}, 80, 12)
	if !strings.Contains(out, "Transfer queue · 30 jobs") || !strings.Contains(out, "permission denied") {
		t.Errorf("screen:\n%s", out)
	}
}
