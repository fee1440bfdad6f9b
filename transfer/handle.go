package transfer

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Batch is the handle of one Submit call: its jobs, its events, its
// outcome. It stays valid for the life of the engine, and all its methods
// are safe for concurrent use. The engine-wide view (Engine.Events,
// Snapshot, Jobs) shows the same jobs among those of every other batch.
type Batch struct {
	e *Engine
	b *batch
}

// ID returns the batch's id, as Event.Batch and JobStatus.Batch give it.
func (h *Batch) ID() BatchID { return h.b.id }

// Request returns the request the batch was submitted with.
func (h *Batch) Request() Request {
	r := h.b.req
	r.Items = slices.Clone(r.Items)
	return r
}

// Subscribe returns a new subscription to the batch's events. It starts
// with the batch's beginning: the events emitted before it was made come
// first (every failure, conflict, notice and batch event, and the first
// few thousand routine ones; Dropped counts routine ones not kept), then
// the events to come. Close it when done; Engine.Close closes it too.
func (h *Batch) Subscribe() *Subscription { return h.b.log.subscribe() }

// Jobs returns the status of every job of the batch, in planning order.
// Until BatchPlanned, the walk may still add jobs.
func (h *Batch) Jobs() []JobStatus {
	t := time.Now()
	h.e.mu.Lock()
	defer h.e.mu.Unlock()
	out := make([]JobStatus, 0, len(h.b.jobs))
	for _, j := range h.b.jobs {
		out = append(out, j.status(t))
	}
	return out
}

// Job returns the status of the batch's job id, or false when the batch
// has no such job. Unlike Jobs it costs the same however large the batch.
func (h *Batch) Job(id JobID) (JobStatus, bool) {
	h.e.mu.Lock()
	defer h.e.mu.Unlock()
	j, err := h.e.job(id)
	if err != nil || j.b != h.b {
		return JobStatus{}, false
	}
	return j.status(time.Now()), true
}

// Cancel stops the batch: its walk ends and its jobs are cancelled, as
// Engine.CancelBatch does.
func (h *Batch) Cancel() {
	h.e.mu.Lock()
	defer h.e.mu.Unlock()
	h.e.cancelBatch(h.b)
}

// Done reports whether the batch is finished: walked, every job terminal,
// and its directories (and a move's sources) dealt with.
func (h *Batch) Done() bool {
	h.e.mu.Lock()
	defer h.e.mu.Unlock()
	return h.b.finished()
}

// Wait blocks until the batch is finished (see Done) or ctx is done, and
// returns its Summary. The error is ctx's when ctx ended first; otherwise
// it is nil when no job failed, and a *BatchError naming the failures
// when some did. Jobs waiting for an answer, and a paused queue, keep it
// waiting.
func (h *Batch) Wait(ctx context.Context) (Summary, error) {
	for {
		h.e.mu.Lock()
		if h.b.finished() {
			s := h.e.summary(h.b)
			h.e.mu.Unlock()
			return s, s.Err()
		}
		if h.b.idle == nil {
			h.b.idle = make(chan struct{})
		}
		ch := h.b.idle
		h.e.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return h.Summary(), ctx.Err()
		}
	}
}

// Summary returns the batch's outcome so far.
func (h *Batch) Summary() Summary {
	h.e.mu.Lock()
	defer h.e.mu.Unlock()
	return h.e.summary(h.b)
}

// Batch returns the handle of batch id.
func (e *Engine) Batch(id BatchID) (*Batch, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if id == 0 || int(id) > len(e.batches) {
		return nil, false
	}
	return e.batches[id-1].handle, true
}

// Summary is a batch's outcome: what its jobs came to, and what it moved.
type Summary struct {
	// Batch identifies the batch.
	Batch BatchID
	// Finished reports whether the batch was finished (see Batch.Done)
	// when the summary was taken.
	Finished bool
	// Jobs is how many jobs the batch has, of any state and kind.
	Jobs int
	// States counts the batch's jobs by state, and Files its file jobs by
	// state (Files[Done] is the files copied), both indexed by State.
	States, Files [numStates]int
	// TotalBytes is the size of the batch's files planned and not given
	// up, and DoneBytes how much of that is at the destination.
	TotalBytes, DoneBytes int64
	// MovedBytes is how much was carried in all for the batch, counting
	// the bytes of files that failed or were tried again.
	MovedBytes int64
	// Failed lists the failed jobs, in planning order.
	Failed []JobStatus
	// Removed counts the sources a move removed (or renamed away), and
	// Kept those it kept although their copy is done (JobStatus.SourceErr
	// says why).
	Removed, Kept int
}

// Err returns nil when no job failed, else a *BatchError.
func (s Summary) Err() error {
	if len(s.Failed) == 0 {
		return nil
	}
	errs := make([]error, 0, len(s.Failed))
	for _, j := range s.Failed {
		err := j.Err
		if err == nil {
			err = fmt.Errorf("%s: failed", j.Src)
		}
		errs = append(errs, err)
	}
	return &BatchError{Batch: s.Batch, Errs: errs}
}

// BatchError says that jobs of a batch failed. errors.Is and errors.As
// look into every failure (errors.Is(err, ErrNotRestored), say).
type BatchError struct {
	// Batch identifies the batch.
	Batch BatchID
	// Errs are the failures, one per failed job, in planning order.
	Errs []error
}

// Error names the first failure and counts the others.
func (e *BatchError) Error() string {
	switch len(e.Errs) {
	case 0:
		return "transfer: no job failed"
	case 1:
		return "1 entry failed: " + e.Errs[0].Error()
	}
	return fmt.Sprintf("%d entries failed: %v (and %d more)", len(e.Errs), e.Errs[0], len(e.Errs)-1)
}

// Unwrap returns the failures.
func (e *BatchError) Unwrap() []error { return e.Errs }

// summary sums up b. Called with e.mu held.
func (e *Engine) summary(b *batch) Summary {
	t := time.Now()
	s := Summary{Batch: b.id, Finished: b.finished(), Jobs: len(b.jobs), MovedBytes: b.carried.Load()}
	for _, j := range b.jobs {
		s.States[j.state]++
		if j.kind == KindFile {
			s.Files[j.state]++
			done := j.done.Load()
			switch {
			case j.state == Done:
				s.TotalBytes += done
				s.DoneBytes += done
			case !j.state.Terminal():
				s.TotalBytes += j.size()
				s.DoneBytes += done
			}
		}
		if j.state == Failed {
			s.Failed = append(s.Failed, j.status(t))
		}
		if j.srcRemoved {
			s.Removed++
		}
		if j.srcErr != nil {
			s.Kept++
		}
	}
	return s
}
