package transfer

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// abortGrace is how long a cancelled or stalled try may take to notice
// before the connections it runs on are closed under it: pkg/sftp's calls
// take no context, and a server that stopped answering would hold them
// for ever. With it, a cancel stops a job within about 2 s whatever the
// server does.
const abortGrace = time.Second

// connGen is one connection a try runs on, as it was when the try began.
type connGen struct {
	r   Reconnector
	gen uint64
}

// connLostError is implemented by errors that mean the connection to the
// server was lost (remote.StatusError for SFTP status 6 and 7).
type connLostError interface{ ConnectionLost() bool }

// startTry gives j a fresh context for one try and notes the connections
// it starts on.
func (e *Engine) startTry(j *job) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(e.ctx)
	gens := connGens(j.b.req.Src, j.b.req.Dst)
	e.mu.Lock()
	defer e.mu.Unlock()
	j.cancel = cancel
	j.runSeq++
	j.gens = gens
	j.stalled = false
	j.still = time.Time{}
	if j.cancelReq || e.closed {
		cancel()
	}
	return ctx, cancel
}

// connGens notes the current connection of each file system that can
// reconnect.
func connGens(fss ...FS) []connGen {
	var gens []connGen
	for _, f := range fss {
		if r, ok := f.(Reconnector); ok {
			gen, _ := r.ConnState()
			gens = append(gens, connGen{r: r, gen: gen})
		}
	}
	return gens
}

// retryCause says why j's try that ended in out should be made again: its
// data stalled, or a connection it ran on dropped. It returns nil when
// the outcome stands: success, a cancel, a closed engine, no tries left,
// or a failure that another try would repeat.
func (e *Engine) retryCause(j *job, out outcome) error {
	if out.state != Failed {
		return nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if j.cancelReq || e.closed || j.attempt >= e.opts.Retries {
		return nil
	}
	if j.stalled {
		return ErrStalled
	}
	if j.rangesFailed {
		j.rangesFailed = false
		return errRangesFailed
	}
	if connDropped(j.gens, out.err) {
		return errConnLost
	}
	return nil
}

// connDropped reports whether err, from work that began on the
// connections gens, came from one of them dropping: err says so, or a
// connection has been replaced or is down since.
func connDropped(gens []connGen, err error) bool {
	var cl connLostError
	if errors.As(err, &cl) && cl.ConnectionLost() {
		return true
	}
	for _, g := range gens {
		if gen, up := g.r.ConnState(); gen != g.gen || !up {
			return true
		}
	}
	return false
}

// waitOnline waits until every file system of fss that can reconnect is
// up again.
func waitOnline(ctx context.Context, fss ...FS) error {
	for _, f := range fss {
		if r, ok := f.(Reconnector); ok {
			if err := r.WaitOnline(ctx); err != nil {
				return err
			}
		}
	}
	return nil
}

// errRangesFailed is the retry cause of a try whose parallel ranges
// failed: the next goes as one stream.
var errRangesFailed = errors.New("parallel ranges failed")

// errConnLost is the retry cause of a try whose connection dropped.
var errConnLost = errors.New("connection lost")

// waitToRetry says why j is tried again, waits until its connections are
// back, and readies it to continue its partial copy. It returns the error
// to fail j with when the wait ends without a connection (or is cancelled).
func (e *Engine) waitToRetry(j *job, failure, cause error) error {
	ctx, cancel := context.WithCancel(e.ctx)
	defer cancel()
	e.mu.Lock()
	j.attempt++
	attempt := j.attempt
	j.waiting = true
	j.cancel = cancel
	if j.cancelReq {
		cancel()
	}
	e.mu.Unlock()
	// failure names the source already ("copy SRC: ...").
	e.notice(j.b, j.dst, fmt.Sprintf("%v; trying again (%d of %d)", oneLine(failure), attempt, e.opts.Retries))

	werr := waitOnline(ctx, j.b.req.Src, j.b.req.Dst)

	e.mu.Lock()
	defer e.mu.Unlock()
	j.waiting = false
	j.cancel = nil
	if werr != nil {
		if ctx.Err() != nil {
			return context.Canceled
		}
		return fmt.Errorf("%w; %w: %w", failure, ErrNotRestored, werr)
	}
	// The next try continues the partial copy; its bytes count afresh.
	e.doneBytes.Add(-j.done.Swap(0))
	j.resumed = 0
	j.resume = true
	return nil
}

// oneLine returns err's text, or "failed" for nil.
func oneLine(err error) string {
	if err == nil {
		return "failed"
	}
	return err.Error()
}

// abortLater closes the connections j's current try runs on if the try
// has not ended abortGrace from now, so that a call blocked on a silent
// server returns. A connection already replaced is left alone. Called
// with e.mu held.
func (e *Engine) abortLater(j *job, cause error) {
	seq, gens := j.runSeq, j.gens
	if len(gens) == 0 {
		return
	}
	time.AfterFunc(abortGrace, func() {
		e.mu.Lock()
		still := j.state == Running && j.runSeq == seq && !j.waiting && j.gens != nil
		e.mu.Unlock()
		if !still {
			return
		}
		for _, g := range gens {
			if gen, up := g.r.ConnState(); up && gen == g.gen {
				g.r.Abort(fmt.Errorf("%s did not stop within %v: %w", j.src, abortGrace, cause))
			}
		}
	})
}

// watchStalls looks at the running files about once a second and stops a
// try whose bytes have not moved for the stall timeout.
func (e *Engine) watchStalls() {
	defer e.wg.Done()
	every := min(time.Second, e.opts.StallTimeout/4)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-e.ctx.Done():
			return
		case now := <-t.C:
			e.checkStalls(now)
		}
	}
}

// checkStalls stops the tries that moved no bytes for the stall timeout.
// While the queue is paused nothing counts as stalled.
func (e *Engine) checkStalls(now time.Time) {
	paused := e.gate.paused()
	e.mu.Lock()
	defer e.mu.Unlock()
	for j := range e.running {
		done := j.done.Load()
		if paused || j.waiting || j.cancel == nil || j.still.IsZero() || done != j.lastDone {
			j.lastDone, j.still = done, now
			continue
		}
		if j.stalled || now.Sub(j.still) < e.opts.StallTimeout {
			continue
		}
		j.stalled = true
		j.cancel()
		e.abortLater(j, ErrStalled)
	}
}
