package queue

import "github.com/ferry-tui/ferry/transfer"

// scanChunk is how many jobs one Fetch asks for while the view searches
// all its rows.
const scanChunk = 512

// count is how many rows the view lists while the engine has jobs jobs.
func (q *Model) count(jobs int) int {
	if !q.cleared {
		return jobs
	}
	return len(q.kept) + max(jobs-q.base, 0)
}

// index is the engine index of row i.
func (q *Model) index(i int) int {
	if !q.cleared {
		return i
	}
	if i < len(q.kept) {
		return q.kept[i]
	}
	return q.base + i - len(q.kept)
}

// fetch returns the jobs of rows from..from+n with jobs, asking once for
// every run of rows that are neighbours in the engine.
func (q *Model) fetch(jobs Fetch, from, n int) []transfer.JobStatus {
	end := min(from+n, q.total)
	var out []transfer.JobStatus
	for i := from; i < end; {
		start := q.index(i)
		run := 1
		for i+run < end && q.index(i+run) == start+run {
			run++
		}
		got := jobs(start, run)
		out = append(out, got...)
		if len(got) < run {
			break
		}
		i += run
	}
	return out
}

// scan calls visit with every row and its job, in order, until visit
// returns false.
func (q *Model) scan(jobs Fetch, total int, visit func(row int, j *transfer.JobStatus) bool) {
	for from := 0; from < total; from += scanChunk {
		got := q.fetch(jobs, from, scanChunk)
		for i := range got {
			if !visit(from+i, &got[i]) {
				return
			}
		}
		if len(got) < min(scanChunk, total-from) {
			return
		}
	}
}

// Open puts the cursor on the first active (running or queued) job, at
// the top of the view; with none, on the first failed job, else on the
// last job. The root calls it when it opens the view.
func (q *Model) Open(snap transfer.Snapshot, jobs Fetch) {
	q.total = q.count(snap.Jobs)
	active, failed := -1, -1
	q.scan(jobs, q.total, func(row int, j *transfer.JobStatus) bool {
		switch {
		case !j.State.Terminal():
			active = row
			return false
		case j.State == transfer.Failed && failed < 0:
			failed = row
		}
		return true
	})
	switch {
	case active >= 0:
		q.cursor = active
	case failed >= 0:
		q.cursor = failed
	default:
		q.cursor = q.total - 1
	}
	q.offset = max(q.cursor, 0)
}

// Clear takes the finished jobs (done, failed, cancelled and skipped) out
// of the view: it lists from now on the jobs active now and those planned
// later. A cleared failed job can no longer be retried from the view.
func (q *Model) Clear(snap transfer.Snapshot, jobs Fetch) {
	q.total = q.count(snap.Jobs)
	var kept []int
	q.scan(jobs, q.total, func(row int, j *transfer.JobStatus) bool {
		if !j.State.Terminal() {
			kept = append(kept, q.index(row))
		}
		return true
	})
	q.cleared, q.kept, q.base = true, kept, snap.Jobs
	q.total = q.count(snap.Jobs)
	q.cursor, q.offset = 0, 0
}

// Failed returns the failed jobs the view lists, for "retry failed" once
// finished jobs were cleared.
func (q *Model) Failed(snap transfer.Snapshot, jobs Fetch) []transfer.JobStatus {
	var out []transfer.JobStatus
	q.total = q.count(snap.Jobs)
	q.scan(jobs, q.total, func(_ int, j *transfer.JobStatus) bool {
		if j.State == transfer.Failed {
			out = append(out, *j)
		}
		return true
	})
	return out
}

// Cleared reports whether Clear took jobs out of the view.
func (q *Model) Cleared() bool { return q.cleared }
