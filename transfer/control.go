package transfer

import (
	"context"
	"errors"
	"fmt"
)

// Cancel stops job id: a queued job (or one waiting for an answer) is
// cancelled at once; a running one stops at its next chunk. A large
// file's partial copy stays for a later resume.
func (e *Engine) Cancel(id JobID) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	j, err := e.job(id)
	if err != nil {
		return err
	}
	e.cancelJob(j)
	return nil
}

// cancelJob cancels j unless it is terminal. Called with e.mu held.
func (e *Engine) cancelJob(j *job) {
	switch j.state {
	case Queued:
		if j.conflict != nil {
			j.conflict = nil
			delete(j.b.parked, j)
			e.emit(j.b, Event{Kind: ConflictResolved, Batch: j.b.id, Job: j.id, State: Cancelled, Path: j.dst})
		}
		j.err = errCancelled
		e.setState(j, Cancelled)
	case Running:
		j.cancelReq = true
		if j.cancel != nil {
			j.cancel()
		}
		e.abortLater(j, context.Canceled)
	}
}

// errCancelled is the error of a job cancelled before it ran.
var errCancelled = errors.New("cancelled")

// CancelBatch stops batch id: its walk ends and all its jobs are
// cancelled.
func (e *Engine) CancelBatch(id BatchID) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if id == 0 || int(id) > len(e.batches) {
		return fmt.Errorf("transfer: no batch %d", id)
	}
	e.cancelBatch(e.batches[id-1])
	return nil
}

// cancelBatch stops b's walks and cancels its jobs. Called with e.mu held.
func (e *Engine) cancelBatch(b *batch) {
	b.cancelled = true
	for _, stop := range b.walkStops {
		stop()
	}
	b.walkStops = nil
	for _, j := range b.jobs {
		e.cancelJob(j)
	}
}

// CancelAll stops every batch and job.
func (e *Engine) CancelAll() {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, b := range e.batches {
		e.cancelBatch(b)
	}
}

// Retry queues a failed or cancelled job again. A file continues from
// its partial copy when the source is unchanged and the copy's tail
// matches; a directory is walked again.
func (e *Engine) Retry(id JobID) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	j, err := e.job(id)
	if err != nil {
		return err
	}
	if j.state != Failed && j.state != Cancelled {
		return fmt.Errorf("transfer: job %d is %v, not failed or cancelled", id, j.state)
	}
	return e.retry(j)
}

// RetryFailed queues every failed job again and returns how many.
func (e *Engine) RetryFailed() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for _, j := range e.jobs {
		if j.state == Failed && e.retry(j) == nil {
			n++
		}
	}
	return n
}

// retry requeues j. Called with e.mu held.
func (e *Engine) retry(j *job) error {
	if e.closed {
		return ErrClosed
	}
	e.lost = nil // the user asks for another try: connections may be back
	j.b.cancelled = false
	switch j.kind {
	case KindDir:
		j.err = nil
		e.setState(j, Queued)
		e.retryDir(j)
	case KindFile, KindSymlink:
		if j.noRetry {
			return fmt.Errorf("transfer: job %d cannot be retried: %w", j.id, j.err)
		}
		j.err = nil
		j.resume = true
		j.attempt, j.retryErr = 0, nil
		e.setState(j, Queued)
		e.enqueue(j)
	default:
		return fmt.Errorf("transfer: job %d cannot be retried", j.id)
	}
	return nil
}

// Answer answers the conflict job id is waiting on. With a.ForAll the
// choice also answers every other waiting conflict of the same batch and
// becomes the batch's policy.
func (e *Engine) Answer(id JobID, a Answer) error {
	if a.Choice == Ask || a.Choice < Ask || a.Choice > Rename {
		return fmt.Errorf("transfer: %v is not an answer", a.Choice)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	j, err := e.job(id)
	if err != nil {
		return err
	}
	if j.conflict == nil {
		return fmt.Errorf("transfer: job %d is not waiting for an answer", id)
	}
	e.release(j, a.Choice)
	if a.ForAll {
		j.b.policy = a.Choice
		j.b.answeredAll = true
		for p := range j.b.parked {
			e.release(p, a.Choice)
		}
	}
	return nil
}

// release requeues a parked job with its decision. Called with e.mu held.
func (e *Engine) release(j *job, choice Policy) {
	j.conflict = nil
	delete(j.b.parked, j)
	j.decision, j.decided = choice, true
	e.emit(j.b, Event{Kind: ConflictResolved, Batch: j.b.id, Job: j.id, State: Queued, Path: j.dst})
	e.enqueue(j)
}

// job returns job id. Called with e.mu held.
func (e *Engine) job(id JobID) (*job, error) {
	if id == 0 || int(id) > len(e.jobs) {
		return nil, fmt.Errorf("transfer: no job %d", id)
	}
	return e.jobs[id-1], nil
}
