package transfer

import "sync"

// Subscription follows the events of one batch. Several subscriptions of
// one batch are independent: each receives every event of the batch, in
// the order the engine emitted them, at its own pace. Like Engine.Events,
// a subscription never holds up a worker: events wait in a queue of its
// own, and when more than a few thousand wait unread the routine ones
// (starts and successes, which Batch.Jobs also shows) are dropped and
// counted in Dropped; failures, conflicts, notices, what a move removed or
// kept, and batch events never are.
type Subscription struct {
	log  *eventLog
	q    *eventQueue
	once sync.Once
}

// Events returns the channel the batch's events arrive on. A batch that
// is retried after it finished sends its events again, so the channel
// stays open until Close or Engine.Close.
func (s *Subscription) Events() <-chan Event { return s.q.out }

// Dropped counts the routine events this subscription did not receive:
// dropped while it fell behind, or emitted before it began and no longer
// kept (see Batch.Subscribe).
func (s *Subscription) Dropped() uint64 { return s.q.dropped.Load() }

// Close stops the subscription and closes its channel; events still
// waiting are discarded. Closing twice is harmless.
func (s *Subscription) Close() {
	s.log.remove(s)
	s.close()
}

// close closes the queue once.
func (s *Subscription) close() { s.once.Do(s.q.close) }

// eventLog keeps a batch's events for its subscriptions: every essential
// event, and routine ones up to maxBacklog, so that a subscription made
// after the batch began still starts with its beginning; and it fans each
// new event out to the live subscriptions.
type eventLog struct {
	mu      sync.Mutex
	buffer  int     // channel capacity of a new subscription
	hist    []Event // the events kept for later subscriptions
	routine int     // routine events in hist
	missed  uint64  // routine events not kept in hist
	subs    map[*Subscription]struct{}
	closed  bool // the engine closed: no more events
}

// init sets the channel capacity of subscriptions.
func (l *eventLog) init(buffer int) { l.buffer = buffer }

// publish records ev and hands it to every subscription and to all (the
// engine's queue), so that they all see the batch's events in one order;
// it never blocks.
func (l *eventLog) publish(ev Event, all *eventQueue) {
	l.mu.Lock()
	defer l.mu.Unlock()
	all.push(ev)
	if l.closed {
		return
	}
	switch {
	case ev.essential():
		l.hist = append(l.hist, ev)
	case l.routine < maxBacklog:
		l.hist = append(l.hist, ev)
		l.routine++
	default:
		l.missed++
	}
	for s := range l.subs {
		s.q.push(ev)
	}
}

// subscribe returns a subscription that starts with the events kept so
// far. After the engine closed, it delivers them and ends.
func (l *eventLog) subscribe() *Subscription {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		// Nothing more will come: hand over what was kept, then end.
		q := &eventQueue{out: make(chan Event, len(l.hist))}
		for _, ev := range l.hist {
			q.out <- ev
		}
		close(q.out)
		q.dropped.Store(l.missed)
		s := &Subscription{log: l, q: q}
		s.once.Do(func() {}) // its queue has no goroutine to stop
		return s
	}
	s := &Subscription{log: l, q: newEventQueue(l.buffer)}
	for _, ev := range l.hist {
		s.q.push(ev)
	}
	s.q.dropped.Add(l.missed)
	if l.subs == nil {
		l.subs = make(map[*Subscription]struct{})
	}
	l.subs[s] = struct{}{}
	return s
}

// remove forgets s.
func (l *eventLog) remove(s *Subscription) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.subs, s)
}

// close ends every subscription once the engine has stopped: each hands
// over what fits in its channel and closes it.
func (l *eventLog) close() {
	l.mu.Lock()
	l.closed = true
	subs := l.subs
	l.subs = nil
	l.mu.Unlock()
	for s := range subs {
		s.close()
	}
}
