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
	j.partial = ""
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
	if notRestored(out.err) {
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

// notRestoredError is implemented by errors that say a connection was
// lost and could not be restored (remote.ReconnectError): the work that
// met it is not tried again at once, which would only start another round
// of attempts.
type notRestoredError interface{ NotRestored() bool }

// notRestored reports whether err says a connection could not be restored.
func notRestored(err error) bool {
	var nr notRestoredError
	return errors.Is(err, ErrNotRestored) || (errors.As(err, &nr) && nr.NotRestored())
}

// lostForGood marks err, which says a connection could not be restored,
// with ErrNotRestored.
func lostForGood(err error) error {
	if errors.Is(err, ErrNotRestored) {
		return err
	}
	return &notRestoredErr{err}
}

// notRestoredErr is an error marked with ErrNotRestored; its text is the
// cause's.
type notRestoredErr struct{ err error }

func (e *notRestoredErr) Error() string   { return e.err.Error() }
func (e *notRestoredErr) Unwrap() []error { return []error{e.err, ErrNotRestored} }

// noteLost remembers, for the file systems j ran on that are down, that
// their connection could not be restored (err), so that the files queued
// behind j fail at once instead of each waiting through another round of
// reconnect attempts. Retry, RetryFailed and Submit forget it.
func (e *Engine) noteLost(j *job, err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, g := range j.gens {
		if _, up := g.r.ConnState(); !up {
			if e.lost == nil {
				e.lost = make(map[Reconnector]error)
			}
			e.lost[g.r] = err
		}
	}
}

// lostBefore returns the error of a connection j needs that could not be
// restored and is still down, or nil.
func (e *Engine) lostBefore(j *job) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, f := range []FS{j.b.req.Src, j.b.req.Dst} {
		r, ok := f.(Reconnector)
		if !ok || e.lost[r] == nil {
			continue
		}
		if _, up := r.ConnState(); up {
			delete(e.lost, r)
			continue
		}
		return lostForGood(fmt.Errorf("copy %s: not tried: %w", j.src, e.lost[r]))
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
	j.retryErr = failure
	j.waiting = true
	j.cancel = cancel
	if j.cancelReq {
		cancel()
	}
	gens := j.gens
	e.mu.Unlock()
	// failure names the source already ("copy SRC: ...").
	e.notice(j.b, j.dst, fmt.Sprintf("%v; trying again (%d of %d)", oneLine(failure), attempt, e.opts.Retries))

	if cause == errConnLost {
		awaitDrop(ctx, gens)
	}
	werr := waitOnline(ctx, j.b.req.Src, j.b.req.Dst)

	e.mu.Lock()
	defer e.mu.Unlock()
	j.waiting = false
	j.cancel = nil
	if werr != nil {
		if ctx.Err() != nil {
			return context.Canceled
		}
		return lostForGood(fmt.Errorf("%w; %w", failure, werr))
	}
	// The next try continues the partial copy; its bytes count afresh.
	e.doneBytes.Add(-j.done.Swap(0))
	j.resumed = 0
	j.resume = true
	// The destination may have changed (a try under Rename has its own
	// name now): the next try looks at it again.
	j.dstKnown, j.dstInfo = false, nil
	return nil
}

// dropNotice is how long a connection that failed a call with "connection
// lost" may go on looking up before it is taken for dead.
const dropNotice = 2 * time.Second

// awaitDrop waits until each connection of gens that failed a try is seen
// down or replaced. A call can fail with "connection lost" a moment
// before its session notices; a retry in that moment would find the dying
// connection still "up" and fail again at once, spending the retries in
// milliseconds. One still looking up after dropNotice is closed.
func awaitDrop(ctx context.Context, gens []connGen) {
	deadline := time.Now().Add(dropNotice)
	for _, g := range gens {
		for {
			if gen, up := g.r.ConnState(); gen != g.gen || !up {
				break
			}
			if time.Now().After(deadline) {
				abortGen(g, errConnLost)
				break
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}
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
// server returns. A connection already replaced is left alone, and so is
// one that is still receiving (a slow link draining the requests in
// flight, which ends by itself): it is looked at again every abortGrace,
// for at most maxDrain. Called with e.mu held.
func (e *Engine) abortLater(j *job, cause error) {
	seq, gens := j.runSeq, j.gens
	if len(gens) == 0 {
		return
	}
	start := time.Now()
	var check func()
	check = func() {
		e.mu.Lock()
		still := j.state == Running && j.runSeq == seq && !j.waiting && j.gens != nil
		e.mu.Unlock()
		if !still {
			return
		}
		now := time.Now()
		for _, g := range gens {
			if rx, ok := g.r.(receiver); ok && now.Sub(start) < maxDrain &&
				rx.LastReceived(g.gen).After(now.Add(-abortGrace)) {
				time.AfterFunc(abortGrace, check)
				return
			}
		}
		for _, g := range gens {
			abortGen(g, fmt.Errorf("%s did not stop within %v: %w", j.src, now.Sub(start).Round(time.Millisecond), cause))
		}
	}
	time.AfterFunc(abortGrace, check)
}

// maxDrain bounds how long a cancelled try may keep a connection that is
// still receiving before it is closed all the same.
const maxDrain = 15 * time.Second

// receiver is implemented by file systems that know when their server
// last sent anything on connection gen (remote.FS).
type receiver interface {
	LastReceived(gen uint64) time.Time
}

// genAborter is implemented by file systems that can close one connection
// of theirs by its generation only (remote.FS).
type genAborter interface {
	AbortGen(gen uint64, cause error)
}

// abortGen closes connection g if it is still the current one.
func abortGen(g connGen, cause error) {
	if a, ok := g.r.(genAborter); ok {
		a.AbortGen(g.gen, cause)
		return
	}
	if gen, up := g.r.ConnState(); up && gen == g.gen {
		g.r.Abort(cause)
	}
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
// While the queue is paused nothing counts as stalled, nor does a job
// held back by the bandwidth limit.
func (e *Engine) checkStalls(now time.Time) {
	paused := e.gate.paused()
	e.mu.Lock()
	defer e.mu.Unlock()
	for j := range e.running {
		done := j.done.Load()
		if paused || j.waiting || j.finishing || j.cancel == nil || j.still.IsZero() || done != j.lastDone || e.limit.holds(j) {
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
