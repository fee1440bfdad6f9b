package transfer

import (
	"context"
	"io/fs"
	"sync/atomic"
	"time"
)

// job is one entry of the queue. The first group of fields is fixed when
// the job is planned (done is atomic); the second is guarded by Engine.mu.
type job struct {
	id       JobID
	b        *batch
	kind     Kind
	src      string
	info     fs.FileInfo // the source, as listed
	rootSrc  string      // the source directory the job was found under
	depth    int
	dstInfo  fs.FileInfo // the destination as listed, when dstKnown
	dstKnown bool
	large    bool
	noRetry  bool         // planning rejected it; retrying cannot help
	done     atomic.Int64 // bytes at the destination; lock-free

	dst       string
	state     State
	err       error
	conflict  *Conflict
	decision  Policy // an answer for this job; valid when decided
	decided   bool
	resume    bool // retried: continue from a partial file
	resumed   int64
	partial   string // the temporary file a failed try kept for a resume
	retryErr  error  // why the job is being tried again
	cancel    context.CancelFunc
	cancelReq bool
	attempt   int       // tries of the current run after the first
	runSeq    uint64    // bumped for every try; a late abort checks it
	gens      []connGen // the connections a try started on
	stalled   bool      // the watchdog stopped this try
	// rangesFailed is set by the worker when a try's parallel ranges
	// failed; the next try goes as one stream.
	rangesFailed bool
	// commitLost is set when the connection dropped during the rename
	// into place, which the server may have carried out: commitSize bytes
	// were renamed over commitOld (nil: nothing was there). The next
	// try's decide checks for them.
	commitLost bool
	commitSize int64
	commitOld  fs.FileInfo
	// A move's state (Request.Move): link is the source item, a symbolic
	// link to a directory, that the job was found through ("" if none);
	// renamed is set when one rename moved the item; srcRemoved when the
	// source is gone, and srcErr says why it stays.
	link       string
	renamed    bool
	srcRemoved bool
	srcErr     error

	waiting   bool      // waiting for a connection to come back
	finishing bool      // flushing and closing: moves no bytes, not a stall
	lastDone  int64     // the watchdog's last look at done
	still     time.Time // since when done has not moved
	gen       uint64    // bumped on every enqueue; stale queue entries differ
	meter     meter
}

// size returns the listed source size of a file job, else 0.
func (j *job) size() int64 {
	if j.kind != KindFile || j.info == nil {
		return 0
	}
	return j.info.Size()
}

// status copies the job for callers. Called with Engine.mu held.
func (j *job) status(t time.Time) JobStatus {
	st := JobStatus{
		ID:       j.id,
		Batch:    j.b.id,
		Kind:     j.kind,
		Src:      j.src,
		Dst:      j.dst,
		SrcLabel: j.b.req.Src.Label(),
		DstLabel: j.b.req.Dst.Label(),
		Size:     j.size(),
		Done:     j.done.Load(),
		Resumed:  j.resumed,
		State:    j.state,
		Err:      j.err,
		ETA:      -1,
		Attempt:  j.attempt,
		Partial:  j.partial,
		RetryErr: j.retryErr,
		Waiting:  j.waiting,

		Renamed:       j.renamed,
		SourceRemoved: j.srcRemoved,
		SourceErr:     j.srcErr,
	}
	if j.conflict != nil {
		c := *j.conflict
		st.Conflict = &c
	}
	if j.state == Running && j.kind == KindFile {
		st.Speed = j.meter.sample(t, j.done.Load())
		st.ETA = eta(st.Size-st.Done, st.Speed)
	}
	return st
}

// addJob records a planned job in state st (Queued jobs are also put on
// the queue). A job planned after its batch was cancelled is recorded as
// cancelled. Called with e.mu held.
func (e *Engine) addJob(j *job, st State) {
	j.id = JobID(len(e.jobs) + 1)
	if j.dst == "" {
		panic("transfer: job without destination")
	}
	e.jobs = append(e.jobs, j)
	j.b.jobs = append(j.b.jobs, j)
	j.large = j.kind == KindFile && j.size() >= largeFile
	j.state = st
	e.counts[st]++
	if !st.Terminal() {
		j.b.pending++
	}
	if j.kind == KindFile && !st.Terminal() {
		e.totalBytes.Add(j.size())
	}
	if st == Queued {
		if e.closed || j.b.cancelled {
			j.err = context.Canceled
			e.setState(j, Cancelled)
			return
		}
		e.enqueue(j)
	}
	if st.Terminal() {
		if j.srcRemoved {
			e.emit(j.b, Event{Kind: SourceRemoved, Batch: j.b.id, Job: j.id, State: st, Path: j.src})
		}
		e.emit(j.b, Event{Kind: JobFinished, Batch: j.b.id, Job: j.id, State: st, Path: j.dst, Err: j.err})
	}
}

// setState moves j to st, keeping the counts, the byte totals and the
// batch's pending count right, and emits JobFinished for terminal states.
// Called with e.mu held.
func (e *Engine) setState(j *job, st State) {
	old := j.state
	if old == st {
		return
	}
	e.counts[old]--
	e.counts[st]++
	j.state = st
	if old == Running {
		delete(e.running, j)
		if j.large {
			e.runningLarge--
			e.cond.Broadcast()
		}
	}
	if st == Running {
		e.running[j] = struct{}{}
		if j.large {
			e.runningLarge++
		}
		j.meter = meter{}
		j.meter.sample(time.Now(), j.done.Load())
	}
	if j.kind == KindFile {
		switch {
		case !old.Terminal() && st.Terminal() && st != Done:
			// Given up: its bytes no longer count.
			e.totalBytes.Add(-j.size())
			e.doneBytes.Add(-j.done.Load())
		case !old.Terminal() && st == Done:
			// The copy may differ from the listed size if the source changed.
			e.totalBytes.Add(j.done.Load() - j.size())
		case old.Terminal() && !st.Terminal():
			// Retried (never from Done): count it again from zero.
			e.totalBytes.Add(j.size())
			j.done.Store(0)
		}
	}
	switch {
	case !old.Terminal() && st.Terminal():
		j.b.pending--
		e.emit(j.b, Event{Kind: JobFinished, Batch: j.b.id, Job: j.id, State: st, Path: j.dst, Err: j.err})
		e.maybeFinishBatch(j.b)
	case old.Terminal() && !st.Terminal():
		j.b.pending++
	}
	e.checkIdle()
}
