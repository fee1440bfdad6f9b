package remote

import (
	"fmt"
	"time"
)

// ConnStatus is the state of a session's connection.
type ConnStatus int

// The states of a connection. A session starts ConnUp; a dropped
// connection goes ConnLost, then ConnReconnecting once per attempt, then
// ConnBack when an attempt succeeds or ConnFailed when the session gives
// up. After ConnFailed the next call on the file system, or WaitOnline,
// starts another round of attempts. ConnClosed is final.
const (
	// ConnUp is the first connection, up.
	ConnUp ConnStatus = iota
	// ConnLost means the connection has ended; Err says why.
	ConnLost
	// ConnReconnecting means attempt Attempt of MaxAttempts starts at At,
	// Wait after the event; Err is the previous attempt's error.
	ConnReconnecting
	// ConnFailed means the session has given up; Err says why (a
	// *ReconnectError).
	ConnFailed
	// ConnBack means a new connection is up, generation Gen.
	ConnBack
	// ConnClosed means the session was closed.
	ConnClosed
)

// String names the state.
func (s ConnStatus) String() string {
	switch s {
	case ConnUp:
		return "up"
	case ConnLost:
		return "lost"
	case ConnReconnecting:
		return "reconnecting"
	case ConnFailed:
		return "failed"
	case ConnBack:
		return "back"
	case ConnClosed:
		return "closed"
	}
	return fmt.Sprintf("ConnStatus(%d)", int(s))
}

// ConnEvent is a change in the state of a session's connection.
type ConnEvent struct {
	// Status is the new state.
	Status ConnStatus
	// Host is the label of the session's host (its alias).
	Host string
	// Gen is the generation of the connection: for ConnLost the one
	// lost, for ConnBack the new one; it changes with every reconnect.
	Gen uint64
	// Attempt and MaxAttempts count the reconnect attempts of this round
	// (ConnReconnecting, ConnFailed).
	Attempt, MaxAttempts int
	// Wait is how long after the event the attempt starts, and At when
	// (ConnReconnecting), so that a view can count down.
	Wait time.Duration
	// At is when the attempt starts (ConnReconnecting).
	At time.Time
	// Err is why the connection was lost (ConnLost), why the previous
	// attempt failed (ConnReconnecting, nil for the first), or why the
	// session gave up (ConnFailed). It may quote the server: sanitise it
	// before display.
	Err error
}

// String describes the event in a line for a status bar or a log, as in
// "reconnecting to web1, attempt 3 of 6, next in 4s".
func (e ConnEvent) String() string {
	switch e.Status {
	case ConnUp:
		return fmt.Sprintf("connected to %s", e.Host)
	case ConnLost:
		return fmt.Sprintf("connection to %s lost: %v", e.Host, e.Err)
	case ConnReconnecting:
		s := fmt.Sprintf("reconnecting to %s, attempt %d of %d, next in %v", e.Host, e.Attempt, e.MaxAttempts, e.Wait.Round(100*time.Millisecond))
		if e.Err != nil {
			s += fmt.Sprintf(" (last attempt: %v)", e.Err)
		}
		return s
	case ConnFailed:
		return fmt.Sprintf("gave up reconnecting to %s: %v", e.Host, e.Err)
	case ConnBack:
		return fmt.Sprintf("reconnected to %s", e.Host)
	case ConnClosed:
		return fmt.Sprintf("disconnected from %s", e.Host)
	}
	return fmt.Sprintf("%s: %v", e.Host, e.Status)
}

// watchBuffer is how many state changes a watcher's channel holds before
// the oldest is dropped for the newest.
const watchBuffer = 16

// Watch returns a channel of state changes starting with the current
// state, and a function that stops them and closes the channel (see
// Session.Watch).
func (c *connector) Watch() (<-chan ConnEvent, func()) {
	ch := make(chan ConnEvent, watchBuffer)
	c.mu.Lock()
	defer c.mu.Unlock()
	ch <- c.state
	if c.closed {
		close(ch)
		return ch, func() {}
	}
	c.watchers[ch] = struct{}{}
	return ch, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		if _, ok := c.watchers[ch]; ok {
			delete(c.watchers, ch)
			close(ch)
		}
	}
}

// State returns the latest state.
func (c *connector) State() ConnEvent {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state
}

// publishLocked records ev as the state and offers it to every watcher
// without blocking; c.mu is held. The caller logs ev once it has let go
// of the mutex (logEvent), so that a slow log never holds up the loop.
func (c *connector) publishLocked(ev ConnEvent) ConnEvent {
	ev.Host = c.label
	if ev.Gen == 0 {
		ev.Gen = c.gen
	}
	c.state = ev
	for ch := range c.watchers {
		offer(ch, ev)
	}
	return ev
}

// offer puts ev on ch, dropping the oldest event when ch is full. Only
// publishLocked sends, under the mutex, so once one is dropped the send
// succeeds.
func offer(ch chan ConnEvent, ev ConnEvent) {
	for {
		select {
		case ch <- ev:
			return
		default:
		}
		select {
		case <-ch:
		default:
		}
	}
}

// logEvent writes ev to the debug log.
func (c *connector) logEvent(ev ConnEvent) {
	c.logf("%s (connection %d)", ev, ev.Gen)
}
