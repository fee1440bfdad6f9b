package transfer

import (
	"context"
	"sync"
	"sync/atomic"
)

// qent is a queue entry; it is stale when the job was re-queued since
// (gen differs) or is no longer waiting for a worker.
type qent struct {
	j   *job
	gen uint64
}

// fifo is a first-in, first-out list of entries.
type fifo struct {
	items []qent
	head  int
}

func (f *fifo) push(e qent) { f.items = append(f.items, e) }

// peek drops stale entries and returns the first live one.
func (f *fifo) peek() (qent, bool) {
	for f.head < len(f.items) {
		e := f.items[f.head]
		if e.gen == e.j.gen && e.j.state == Queued && e.j.conflict == nil {
			return e, true
		}
		f.pop()
	}
	return qent{}, false
}

func (f *fifo) pop() {
	f.items[f.head] = qent{}
	f.head++
	if f.head > 64 && f.head*2 > len(f.items) {
		f.items = append([]qent(nil), f.items[f.head:]...)
		f.head = 0
	}
}

// jobQueue keeps large files apart, so that the cap on running large
// files never holds up small ones behind them.
type jobQueue struct {
	small, large fifo
}

// enqueue puts j at the back of the queue and wakes a worker. Called with
// e.mu held.
func (e *Engine) enqueue(j *job) {
	j.gen++
	ent := qent{j: j, gen: j.gen}
	if j.large {
		e.queue.large.push(ent)
	} else {
		e.queue.small.push(ent)
	}
	e.cond.Signal()
}

// pick takes the oldest job a worker may start now. Called with e.mu held.
func (e *Engine) pick() *job {
	s, okS := e.queue.small.peek()
	l, okL := e.queue.large.peek()
	if okL && e.runningLarge >= e.opts.MaxLarge {
		okL = false
	}
	switch {
	case okS && (!okL || s.j.id < l.j.id):
		e.queue.small.pop()
		return s.j
	case okL:
		e.queue.large.pop()
		return l.j
	}
	return nil
}

// next blocks until there is a job for this worker and marks it running,
// or returns nil when the worker should exit (the engine closed or has
// more workers than wanted).
func (e *Engine) next() *job {
	e.mu.Lock()
	defer e.mu.Unlock()
	for {
		if e.closed || e.live > e.target {
			e.live--
			// Pass on a wake-up this worker may have taken from another.
			e.cond.Signal()
			return nil
		}
		if !e.gate.paused() {
			if j := e.pick(); j != nil {
				e.setState(j, Running)
				return j
			}
		}
		e.cond.Wait()
	}
}

// worker runs jobs until next says to stop.
func (e *Engine) worker() {
	defer e.wg.Done()
	for {
		j := e.next()
		if j == nil {
			return
		}
		e.run(j)
	}
}

// SetWorkers changes how many jobs run at once, clamped to 1..MaxWorkers.
// Growing starts workers at once; shrinking lets the extra workers finish
// their current job first.
func (e *Engine) SetWorkers(n int) {
	n = min(max(n, 1), MaxWorkers)
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return
	}
	e.target = n
	for e.live < e.target {
		e.live++
		e.wg.Add(1)
		go e.worker()
	}
	e.cond.Broadcast()
}

// Workers returns how many jobs may run at once.
func (e *Engine) Workers() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.target
}

// Pause stops the queue: no job starts, and running transfers hold still
// between chunks (their connections stay open) until Resume.
func (e *Engine) Pause() {
	e.gate.set(true)
}

// Resume restarts a paused queue.
func (e *Engine) Resume() {
	e.gate.set(false)
	e.mu.Lock()
	e.cond.Broadcast()
	e.mu.Unlock()
}

// Paused reports whether the queue is paused.
func (e *Engine) Paused() bool { return e.gate.paused() }

// pauseGate holds running transfers still while the queue is paused.
type pauseGate struct {
	on atomic.Bool
	mu sync.Mutex
	ch chan struct{} // closed when the pause ends
}

func (g *pauseGate) init() { g.ch = make(chan struct{}) }

func (g *pauseGate) paused() bool { return g.on.Load() }

// set pauses or resumes.
func (g *pauseGate) set(pause bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.on.Load() == pause {
		return
	}
	g.on.Store(pause)
	if !pause {
		close(g.ch)
		g.ch = make(chan struct{})
	}
}

// wait returns at once unless paused, else when resumed or ctx is done.
func (g *pauseGate) wait(ctx context.Context) error {
	if !g.on.Load() {
		return ctx.Err()
	}
	g.mu.Lock()
	ch := g.ch
	on := g.on.Load()
	g.mu.Unlock()
	if on {
		select {
		case <-ch:
		case <-ctx.Done():
		}
	}
	return ctx.Err()
}
