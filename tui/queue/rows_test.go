package queue

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/common"
	"github.com/ferry-tui/ferry/tui/internal/tuitest"
)

// history is n finished jobs followed by active ones: running, queued.
func history(n int, active ...transfer.State) []transfer.JobStatus {
	var jobs []transfer.JobStatus
	for i := range n + len(active) {
		j := transfer.JobStatus{ID: transfer.JobID(i + 1), Kind: transfer.KindFile, Src: "/f" + string(rune('a'+i%26)), State: transfer.Done}
		if i >= n {
			j.State = active[i-n]
		}
		jobs = append(jobs, j)
	}
	return jobs
}

// fetchFrom serves jobs as the engine's Jobs does, counting the calls.
func fetchFrom(jobs *[]transfer.JobStatus, calls *int) Fetch {
	return func(off, n int) []transfer.JobStatus {
		*calls++
		js := *jobs
		if off >= len(js) {
			return nil
		}
		return append([]transfer.JobStatus(nil), js[off:min(off+n, len(js))]...)
	}
}

func refreshAll(q *Model, jobs *[]transfer.JobStatus, height int) {
	calls := 0
	q.Refresh(transfer.Snapshot{Jobs: len(*jobs)}, height, fetchFrom(jobs, &calls),
		func(j *transfer.JobStatus) JobText { return Describe(j, "", "/") })
}

func TestOpenOnFirstActiveJob(t *testing.T) {
	km := common.DefaultKeyMap()
	q := New(&km)
	jobs := history(1406, transfer.Running, transfer.Queued, transfer.Queued)
	jobs[1406+1].Src = "/the-queued-one"
	calls := 0
	q.Update(tuitest.Key("g"))
	q.Open(transfer.Snapshot{Jobs: len(jobs)}, fetchFrom(&jobs, &calls))
	refreshAll(q, &jobs, 12)
	if q.Cursor() != 1406 {
		t.Fatalf("cursor on row %d, want the running job 1406", q.Cursor())
	}
	out := q.Screen(&common.Styles{}, 80, 12)
	if !strings.Contains(out, "running") || !strings.Contains(out, "/the-queued-one") {
		t.Errorf("the active jobs are not in view:\n%s", out)
	}

	// Nothing active: the first failed job, else the last job.
	jobs = history(50)
	jobs[7].State, jobs[7].Err = transfer.Failed, errors.New("permission denied")
	q.Open(transfer.Snapshot{Jobs: len(jobs)}, fetchFrom(&jobs, &calls))
	if q.Cursor() != 7 {
		t.Errorf("cursor on row %d, want the failed job 7", q.Cursor())
	}
	jobs = history(50)
	q.Open(transfer.Snapshot{Jobs: len(jobs)}, fetchFrom(&jobs, &calls))
	if q.Cursor() != 49 {
		t.Errorf("cursor on row %d, want the last job", q.Cursor())
	}
}

func TestClearFinishedJobs(t *testing.T) {
	km := common.DefaultKeyMap()
	q := New(&km)
	var help []string
	for _, b := range q.Help().ShortHelp() {
		help = append(help, b.Help().Key+" "+b.Help().Desc)
	}
	if !slices.Contains(help, "C clear finished") {
		t.Errorf("help lacks the clear key: %q", help)
	}
	jobs := history(20, transfer.Running)
	jobs[3].State, jobs[3].Err = transfer.Failed, errors.New("permission denied")
	jobs[5].State = transfer.Cancelled
	jobs[6].State = transfer.Skipped
	jobs[9].State = transfer.Queued
	jobs[9].Src = "/still-queued"
	refreshAll(q, &jobs, 12)
	calls := 0
	snap := transfer.Snapshot{Jobs: len(jobs)}
	if got := q.Failed(snap, fetchFrom(&jobs, &calls)); len(got) != 1 || got[0].ID != 4 {
		t.Errorf("failed before clearing: %v", got)
	}
	if res := q.Update(tuitest.Key("C")); res != (ClearMsg{}) {
		t.Fatalf("C: %#v, want ClearMsg", res)
	}
	q.Clear(snap, fetchFrom(&jobs, &calls))
	refreshAll(q, &jobs, 12)
	out := q.Screen(&common.Styles{}, 80, 12)
	if q.Rows() != 2 || !strings.Contains(out, "/still-queued") || !strings.Contains(out, "running") ||
		strings.Contains(out, "done") || strings.Contains(out, "failed") || !strings.Contains(out, "2 jobs") {
		t.Errorf("after clearing, %d rows:\n%s", q.Rows(), out)
	}
	if got := q.Failed(snap, fetchFrom(&jobs, &calls)); len(got) != 0 {
		t.Errorf("a cleared failed job is still offered for retry: %v", got)
	}

	// Jobs planned later show after the kept ones; a kept job that fails
	// stays until the next clear.
	jobs[9].State, jobs[9].Err = transfer.Failed, errors.New("no space left")
	jobs = append(jobs, history(0, transfer.Queued)...)
	jobs[len(jobs)-1].ID, jobs[len(jobs)-1].Src = transfer.JobID(len(jobs)), "/new-one"
	refreshAll(q, &jobs, 12)
	out = q.Screen(&common.Styles{}, 80, 12)
	if q.Rows() != 3 || !strings.Contains(out, "/new-one") || !strings.Contains(out, "no space left") {
		t.Errorf("after a new job, %d rows:\n%s", q.Rows(), out)
	}
	snap.Jobs = len(jobs)
	if got := q.Failed(snap, fetchFrom(&jobs, &calls)); len(got) != 1 || got[0].ID != 10 {
		t.Errorf("failed after clearing: %v", got)
	}
	q.Update(tuitest.Key("G"))
	refreshAll(q, &jobs, 12)
	if j, ok := q.current(); !ok || j.Src != "/new-one" {
		t.Errorf("G: cursor on %+v", j)
	}
	q.Clear(snap, fetchFrom(&jobs, &calls))
	refreshAll(q, &jobs, 12)
	if q.Rows() != 2 {
		t.Errorf("second clear: %d rows, want the running and the new one", q.Rows())
	}
}

func TestPausedRowsSayPaused(t *testing.T) {
	j := transfer.JobStatus{ID: 1, Kind: transfer.KindFile, Src: "/big.iso", Size: 1000, Done: 500,
		State: transfer.Running, Speed: 183 << 20}
	got := row(&j, Describe(&j, "", "/"), 100, true)
	if !strings.HasPrefix(got, "paused    /big.iso") || strings.Contains(got, "/s") {
		t.Errorf("paused row %q", got)
	}
	if got := row(&j, Describe(&j, "", "/"), 100, false); !strings.HasPrefix(got, "running") || !strings.Contains(got, "183M/s") {
		t.Errorf("running row %q", got)
	}
}
