package remote

import (
	"errors"
	"fmt"
)

// ErrReconnectStopped is the cause of the *ReconnectError of a round of
// reconnect attempts that the user stopped (StopReconnect).
var ErrReconnectStopped = errors.New("reconnecting stopped by the user")

// StopReconnect ends the round of reconnect attempts under way at once: a
// wait before the next attempt is cut short, and a dial in progress is
// cancelled, with any question it is asking. The state becomes ConnFailed
// with a *ReconnectError wrapping ErrReconnectStopped, which every call
// waiting for the connection (WaitOnline included) returns. As after any
// give-up, the next call on the file system, or WaitOnline, starts another
// round. Without a round under way, or once the session is closed, it does
// nothing. It never blocks.
func (s *Session) StopReconnect() { s.c.stopReconnect() }

// StopReconnect ends the round of reconnect attempts under way at once;
// see Session.StopReconnect.
func (f *FS) StopReconnect() { f.c.stopReconnect() }

// stopReconnect ends the round under way, if any, with
// ErrReconnectStopped. The loop notices through the round's context: its
// wait or its dial ends, and a connection it made meanwhile is closed
// (run and install check that the round is still current).
func (c *connector) stopReconnect() {
	c.mu.Lock()
	o := c.outage
	if o == nil || c.closed {
		c.mu.Unlock()
		return
	}
	dials := int(o.dials.Load())
	err := &ReconnectError{Host: c.label, Attempts: dials, Err: ErrReconnectStopped}
	c.outage = nil
	o.err = err
	close(o.done)
	o.cancel()
	ev := c.publishLocked(ConnEvent{Status: ConnFailed, Attempt: dials, MaxAttempts: c.maxAttempts, Err: err})
	c.mu.Unlock()
	c.logEvent(ev)
}

// stoppedText is the message of a *ReconnectError whose attempts the user
// stopped.
func stoppedText(e *ReconnectError) string {
	if e.Attempts == 0 {
		return fmt.Sprintf("connection to %s lost; %v", e.Host, e.Err)
	}
	return fmt.Sprintf("connection to %s lost; %v after %d attempt(s)", e.Host, e.Err, e.Attempts)
}
