package remote

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ferry-tui/ferry/remote/knownhosts"
)

// Reconnect defaults.
const (
	// DefaultReconnectAttempts is how many times a session dials again
	// per outage unless Dialer.ReconnectAttempts says otherwise.
	DefaultReconnectAttempts = 6
	// maxBackoff caps DefaultBackoff.
	maxBackoff = 30 * time.Second
	// reconnectTimeout bounds each reconnect's TCP connect and SSH
	// handshake (prompts excepted) when the host sets no ConnectTimeout.
	reconnectTimeout = 30 * time.Second
	// closeWait bounds how long Session.Close waits for a reconnect
	// attempt in progress to notice and stop.
	closeWait = 2 * time.Second
)

// ErrSessionClosed is returned by calls on a file system whose session was
// closed, including calls that were waiting for it to reconnect.
var ErrSessionClosed = errors.New("session closed")

// DefaultBackoff is the wait before reconnect attempt n (1-based): 1, 2,
// 4, 8 and 16 seconds, then 30 seconds for every attempt after.
func DefaultBackoff(attempt int) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	if attempt > 5 {
		return maxBackoff
	}
	return time.Second << (attempt - 1)
}

// ReconnectError says that a lost connection could not be restored.
// errors.As finds the cause through it: a *knownhosts.ChangedKeyError, a
// *knownhosts.RevokedKeyError, a *knownhosts.UnknownKeyError or an
// *AuthError (each of which ends the attempts at once), the last dial
// error, or ErrReconnectStopped when the user stopped the attempts
// (StopReconnect).
type ReconnectError struct {
	// Host is the label of the session's host (its alias).
	Host string
	// Attempts is how many attempts were made; 0 when the file system
	// cannot reconnect at all (one made by NewFS), or when the user
	// stopped the attempts before the first.
	Attempts int
	// Err is the last attempt's error, or why the connection was lost
	// when no attempt was made.
	Err error
}

// Error says the connection was lost and why it could not be restored.
func (e *ReconnectError) Error() string {
	if errors.Is(e.Err, ErrReconnectStopped) {
		return stoppedText(e)
	}
	if e.Attempts == 0 {
		return fmt.Sprintf("connection to %s lost and cannot be restored: %v", e.Host, e.Err)
	}
	return fmt.Sprintf("connection to %s lost; reconnecting failed after %d attempt(s): %v", e.Host, e.Attempts, e.Err)
}

// Unwrap returns the cause.
func (e *ReconnectError) Unwrap() error { return e.Err }

// fatalDialErr reports whether a reconnect that failed with err must not
// be tried again: the server's identity or the user's credentials were
// refused, which another attempt cannot change.
func fatalDialErr(err error) bool {
	var (
		changed *knownhosts.ChangedKeyError
		revoked *knownhosts.RevokedKeyError
		unknown *knownhosts.UnknownKeyError
		auth    *AuthError
	)
	return errors.As(err, &changed) || errors.As(err, &revoked) ||
		errors.As(err, &unknown) || errors.As(err, &auth)
}

// connector holds a file system's current link and replaces it when it
// dies: one reconnect loop at a time, shared by every caller waiting.
type connector struct {
	label       string
	redial      func(ctx context.Context) (*link, error) // nil: cannot reconnect
	maxAttempts int
	backoff     func(attempt int) time.Duration
	logf        func(format string, args ...any)

	cur atomic.Pointer[link] // never nil once started

	mu       sync.Mutex
	closed   bool
	gen      uint64
	outage   *outage // the round of attempts under way; nil when none
	state    ConnEvent
	watchers map[chan ConnEvent]struct{}

	waiting atomic.Int32 // callers waiting in waitOnline for a round to end
}

// outage is one round of reconnect attempts.
type outage struct {
	ctx    context.Context // ends when the session closes
	cancel context.CancelFunc
	done   chan struct{} // closed when the round ends
	err    error         // nil when a link is back; set before done closes
	exited chan struct{} // closed when the loop has returned
	dials  atomic.Int32  // attempts begun (dials started) in this round
}

// newConnector returns a connector; logf may be nil.
func newConnector(label string, redial func(context.Context) (*link, error), attempts int, backoff func(int) time.Duration, logf func(string, ...any)) *connector {
	if logf == nil {
		logf = func(string, ...any) {}
	}
	return &connector{
		label:       label,
		redial:      redial,
		maxAttempts: attempts,
		backoff:     backoff,
		logf:        logf,
		watchers:    make(map[chan ConnEvent]struct{}),
	}
}

// start installs the first link.
func (c *connector) start(l *link) {
	c.mu.Lock()
	c.gen = 1
	l.gen, l.owner = 1, c
	c.cur.Store(l)
	c.state = ConnEvent{Status: ConnUp, Host: c.label, Gen: 1}
	c.mu.Unlock()
	l.watch()
}

// lost is called by a link that has died. If it is the current link, the
// round of reconnect attempts starts.
func (c *connector) lost(l *link) {
	c.mu.Lock()
	evs := c.startOutageLocked(l)
	c.mu.Unlock()
	c.logEvents(evs)
}

// startOutageLocked starts a round of attempts for the dead current link
// l, unless one is under way, l is no longer current, or the session is
// closed; c.mu is held. It returns the events to log.
func (c *connector) startOutageLocked(l *link) []ConnEvent {
	if c.closed || c.cur.Load() != l || c.outage != nil {
		return nil
	}
	var evs []ConnEvent
	if c.state.Status != ConnLost && c.state.Status != ConnFailed {
		evs = append(evs, c.publishLocked(ConnEvent{Status: ConnLost, Gen: l.gen, Err: l.cause}))
	}
	if c.redial == nil {
		return evs
	}
	ctx, cancel := context.WithCancel(context.Background())
	o := &outage{ctx: ctx, cancel: cancel, done: make(chan struct{}), exited: make(chan struct{})}
	c.outage = o
	go c.run(o)
	return evs
}

// logEvents logs evs; c.mu must not be held.
func (c *connector) logEvents(evs []ConnEvent) {
	for _, ev := range evs {
		c.logEvent(ev)
	}
}

// run is the reconnect loop of one outage: up to maxAttempts attempts,
// each after its backoff, until one succeeds, one fails in a way another
// cannot mend, or the session closes.
func (c *connector) run(o *outage) {
	defer close(o.exited)
	defer o.cancel()
	var last error
	attempt := 0
	for attempt < c.maxAttempts {
		attempt++
		wait := c.backoff(attempt)
		if !c.publish(o, ConnEvent{Status: ConnReconnecting, Attempt: attempt, MaxAttempts: c.maxAttempts, Wait: wait, At: time.Now().Add(wait), Err: last}) {
			return
		}
		if !sleep(o.ctx, wait) {
			return
		}
		o.dials.Store(int32(attempt))
		l, err := c.redial(o.ctx)
		if o.ctx.Err() != nil {
			if err == nil {
				l.kill(ErrSessionClosed)
			}
			return
		}
		if err == nil {
			c.install(o, l)
			return
		}
		c.logf("reconnect to %s, attempt %d of %d: %v", c.label, attempt, c.maxAttempts, err)
		last = err
		if fatalDialErr(err) {
			break
		}
	}
	c.finish(o, &ReconnectError{Host: c.label, Attempts: attempt, Err: last}, ConnEvent{Status: ConnFailed, Attempt: attempt, MaxAttempts: c.maxAttempts})
}

// publish publishes ev for the round o, unless o has ended (the session
// closed); it reports whether o goes on.
func (c *connector) publish(o *outage, ev ConnEvent) bool {
	c.mu.Lock()
	if c.outage != o {
		c.mu.Unlock()
		return false
	}
	ev = c.publishLocked(ev)
	c.mu.Unlock()
	c.logEvent(ev)
	return true
}

// install makes l the current link and ends the round o, unless the
// session closed meanwhile, in which case l is closed.
func (c *connector) install(o *outage, l *link) {
	c.mu.Lock()
	if c.outage != o {
		c.mu.Unlock()
		l.kill(ErrSessionClosed)
		return
	}
	c.gen++
	l.gen, l.owner = c.gen, c
	c.cur.Store(l)
	c.outage = nil
	close(o.done)
	ev := c.publishLocked(ConnEvent{Status: ConnBack, Gen: l.gen})
	c.mu.Unlock()
	c.logEvent(ev)
	l.watch()
}

// finish ends the round o with err and publishes ev with err as its Err,
// unless o has ended already.
func (c *connector) finish(o *outage, err error, ev ConnEvent) {
	c.mu.Lock()
	if c.outage != o {
		c.mu.Unlock()
		return
	}
	c.outage = nil
	o.err = err
	close(o.done)
	ev.Err = err
	ev = c.publishLocked(ev)
	c.mu.Unlock()
	c.logEvent(ev)
}

// sleep waits for d or until ctx ends; it reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// waitOnline returns the current link once it is up: at once if it is,
// else after the round of attempts under way, or a new one, succeeds. It
// returns the round's error if it fails, ErrSessionClosed if the session
// closes, or ctx's error.
func (c *connector) waitOnline(ctx context.Context) (*link, error) {
	for {
		l := c.cur.Load()
		if !l.down() {
			return l, nil
		}
		c.mu.Lock()
		if c.closed {
			c.mu.Unlock()
			return nil, ErrSessionClosed
		}
		if c.cur.Load() != l {
			c.mu.Unlock()
			continue // replaced meanwhile
		}
		evs := c.startOutageLocked(l)
		o := c.outage
		c.mu.Unlock()
		c.logEvents(evs)
		if o == nil {
			return nil, &ReconnectError{Host: c.label, Err: l.cause}
		}
		c.waiting.Add(1)
		select {
		case <-o.done:
			c.waiting.Add(-1)
			if o.err != nil {
				return nil, o.err
			}
		case <-ctx.Done():
			c.waiting.Add(-1)
			return nil, ctx.Err()
		}
	}
}

// connState returns the current link's generation and whether it is up.
func (c *connector) connState() (uint64, bool) {
	l := c.cur.Load()
	return l.gen, !l.down()
}

// close closes the session: no more attempts, every waiter released with
// ErrSessionClosed, watchers told and let go, the current link closed.
func (c *connector) close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	o := c.outage
	if o != nil {
		c.outage = nil
		o.err = ErrSessionClosed
		close(o.done)
		o.cancel()
	}
	ev := c.publishLocked(ConnEvent{Status: ConnClosed})
	for ch := range c.watchers {
		close(ch)
	}
	clear(c.watchers)
	l := c.cur.Load()
	c.mu.Unlock()
	c.logEvent(ev)
	err := l.kill(ErrSessionClosed)
	if o != nil {
		// A dial under way ends with its context; wait for it, so that
		// nothing the session started (a prompt, a ProxyCommand)
		// outlives Close, but never long.
		t := time.NewTimer(closeWait)
		defer t.Stop()
		select {
		case <-o.exited:
		case <-t.C:
		}
	}
	return err
}
