package journal

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/ferry-tui/ferry/transfer"
)

// notePeriod is how often the files a running batch finished are
// written, when there are any: each write is a small transaction with an
// fsync. The batch's totals, which take a look at every job, are written
// every totalsPeriod, when it is planned and when it ends.
const (
	notePeriod   = 250 * time.Millisecond
	totalsPeriod = 5 * time.Second
)

// Recording writes one batch's progress into the journal while it runs:
// the files it finished (as they finish, at most notePeriod late) and its
// totals. When the batch finishes with every file done or skipped, its
// record is removed; when it ends otherwise (failures, cancellation) the
// record stays, with the reason, to be resumed or cleared. Stop ends the
// recording without that last step: what a quitting process calls, so
// its unfinished batches stay.
type Recording struct {
	s    *Store
	b    *transfer.Batch
	sub  *transfer.Subscription
	rec  Record
	seen map[transfer.JobID]bool
	// finished lists the jobs whose JobFinished event said done since the
	// last note; dropped is the subscription's count of dropped events at
	// the last look at every job, and totalsAt the time of that look.
	finished []transfer.JobID
	dropped  uint64
	totalsAt time.Time
	// forget: a batch that ends cancelled is removed (Batch.ForgetCancelled).
	forget bool

	stopOnce sync.Once
	stop     chan struct{}
	done     chan struct{}
	err      error // the first write error, reported by Err
	cleared  bool  // the record was removed
	mu       sync.Mutex
}

// Batch describes a batch to follow.
type Batch struct {
	// Command names what submitted it: "cp", "mv", "ui"...
	Command string
	// Src and Dst say how to reach its sides again.
	Src, Dst Endpoint
	// ForgetCancelled removes the record of a batch that ends cancelled
	// while it is followed: the user cancelled it and does not want it
	// offered again. Without it such a batch stays (ferry cp's Ctrl-C
	// says how to continue it).
	ForgetCancelled bool
	// Replaces is the id of the record the batch continues (a resume),
	// removed once this one is recorded.
	Replaces string
}

// Follow records batch b. Older records of the same copy (the same sides,
// items and kind) whose process is gone are replaced: running a copy
// again continues it.
func (s *Store) Follow(b *transfer.Batch, how Batch) (*Recording, error) {
	req := b.Request()
	now := time.Now()
	rec := Record{
		Version: Version, ID: NewID(now, b.ID()), Created: now, Updated: now, PID: os.Getpid(),
		Command: how.Command, Src: how.Src, Dst: how.Dst, Items: req.Items, Policy: req.Policy.String(),
		NoPreserve: req.NoPreserve, Move: req.Move, FollowLinks: req.FollowLinks,
	}
	old, err := s.List()
	if err != nil {
		return nil, err
	}
	var stale []string
	if how.Replaces != "" {
		stale = append(stale, how.Replaces)
	}
	for _, o := range old {
		if o.same(rec) && !o.Running() {
			stale = append(stale, o.ID)
		}
	}
	if err := s.Delete(stale...); err != nil {
		return nil, err
	}
	if err := s.Put(rec); err != nil {
		return nil, err
	}
	r := &Recording{s: s, b: b, sub: b.Subscribe(), rec: rec, seen: map[transfer.JobID]bool{}, forget: how.ForgetCancelled,
		stop: make(chan struct{}), done: make(chan struct{})}
	go r.run()
	return r, nil
}

// ID returns the batch's journal id.
func (r *Recording) ID() string { return r.rec.ID }

// Stop writes the batch's progress one last time and stops recording; the
// record stays unless the batch had finished cleanly. It waits for the
// last write.
func (r *Recording) Stop() error {
	r.stopOnce.Do(func() { close(r.stop) })
	<-r.done
	return r.Err()
}

// Forget stops recording and removes the batch's record, for a batch the
// user cancelled and does not want offered again.
func (r *Recording) Forget() error {
	r.Stop()
	if err := r.s.Delete(r.rec.ID); err != nil {
		return err
	}
	r.mu.Lock()
	r.cleared = true
	r.mu.Unlock()
	return nil
}

// Cleared reports, once the recording stopped, whether the batch's record
// was removed (it finished with nothing left, or was forgotten).
func (r *Recording) Cleared() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cleared
}

// Err returns the first error writing the journal, if any.
func (r *Recording) Err() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}

func (r *Recording) fail(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err == nil {
		r.err = err
	}
}

func (r *Recording) run() {
	defer close(r.done)
	defer r.sub.Close()
	tick := time.NewTicker(notePeriod)
	defer tick.Stop()
	events := r.sub.Events()
	for {
		select {
		case <-r.stop:
			r.finish(false)
			return
		case <-tick.C:
			if r.sub.Dropped() != r.dropped || time.Since(r.totalsAt) >= totalsPeriod {
				r.note()
			} else {
				r.noteFinished()
			}
		case ev, ok := <-events:
			if !ok {
				// The engine closed: keep what was done.
				r.finish(false)
				return
			}
			if ev.Kind == transfer.JobFinished && finishedState(ev.State, ev.Err) {
				r.finished = append(r.finished, ev.Job)
			}
			if ev.Kind == transfer.BatchPlanned {
				r.note() // the totals are known
			}
			if ev.Kind == transfer.BatchFinished {
				r.finish(r.forget)
				return
			}
		}
	}
}

// finish writes the last note, and removes the record of a batch that
// finished with nothing left to do, or, with cancelled set, one that
// finished with nothing failed.
func (r *Recording) finish(cancelled bool) {
	clean, noFailure := r.note()
	if clean || (cancelled && noFailure) {
		if err := r.s.Delete(r.rec.ID); err != nil {
			r.fail(err)
			return
		}
		r.mu.Lock()
		r.cleared = true
		r.mu.Unlock()
		return
	}
	// Nothing runs it any more: another process may take it up.
	r.rec.PID = 0
	if err := r.s.Put(r.rec); err != nil {
		r.fail(err)
	}
}

// finishedState reports whether a job in state with err has its file at
// the destination: copied now, or found done by an earlier run.
func finishedState(state transfer.State, err error) bool {
	return state == transfer.Done || (state == transfer.Skipped && errors.Is(err, transfer.ErrDoneBefore))
}

// noteFinished writes the files whose jobs' events said they finished
// since the last note, looking up only those jobs: what a running batch
// writes four times a second, at a cost that does not grow with the
// batch. A dropped event is caught by note's look at every job.
func (r *Recording) noteFinished() {
	var fresh []string
	for _, id := range r.finished {
		j, ok := r.b.Job(id)
		if !ok || j.Kind != transfer.KindFile || r.seen[id] || !finishedState(j.State, j.Err) {
			continue
		}
		r.seen[id] = true
		fresh = append(fresh, j.Src)
	}
	r.finished = r.finished[:0]
	if err := r.s.AddDone(r.rec.ID, fresh); err != nil {
		r.fail(err)
	}
}

// note writes the files finished since the last note and the totals,
// looking at every job. It reports whether the batch is finished with
// nothing left to do.
func (r *Recording) note() (clean, noFailure bool) {
	r.dropped, r.totalsAt = r.sub.Dropped(), time.Now()
	r.finished = r.finished[:0]
	var fresh []string
	var total, moved int64 // of every file, cancelled ones too
	for _, j := range r.b.Jobs() {
		if j.Kind == transfer.KindFile {
			total += j.Size
			moved += j.Done
		}
		if j.Kind != transfer.KindFile || r.seen[j.ID] || !finishedState(j.State, j.Err) {
			continue
		}
		r.seen[j.ID] = true
		fresh = append(fresh, j.Src)
	}
	if err := r.s.AddDone(r.rec.ID, fresh); err != nil {
		r.fail(err)
	}
	sum := r.b.Summary()
	rec := r.rec
	rec.Files = 0
	for _, n := range sum.Files {
		rec.Files += n
	}
	rec.FilesDone = sum.Files[transfer.Done] + sum.Files[transfer.Skipped]
	rec.Bytes, rec.BytesDone = total, moved
	noFailure = sum.Finished && len(sum.Failed) == 0
	clean = noFailure && sum.States[transfer.Cancelled] == 0
	if sum.Finished && !clean {
		rec.Reason = reason(sum)
	}
	if rec.Files != r.rec.Files || rec.FilesDone != r.rec.FilesDone || rec.Bytes != r.rec.Bytes ||
		rec.BytesDone != r.rec.BytesDone || rec.Reason != r.rec.Reason {
		rec.Updated = time.Now()
		if err := r.s.Put(rec); err != nil {
			r.fail(err)
		}
		r.rec = rec
	}
	return clean, noFailure
}

// reason says why a finished batch is unfinished.
func reason(s transfer.Summary) string {
	switch {
	case len(s.Failed) == 1:
		return fmt.Sprintf("1 failed: %v", s.Failed[0].Err)
	case len(s.Failed) > 1:
		return fmt.Sprintf("%d failed, the first: %v", len(s.Failed), s.Failed[0].Err)
	}
	return "cancelled"
}
