package remote

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"sync/atomic"
	"time"

	"github.com/pkg/sftp"
)

const (
	// abortGrace is how long a call may stay blocked after its context
	// ended before its connection is closed under it, so that a cancel
	// takes effect within about this long whatever the server does.
	abortGrace = time.Second
	// lostGrace is how long a call that failed with a transport error
	// waits to see its connection declared dead, which tells "connection
	// lost" from other failures without reading error text.
	lostGrace = 200 * time.Millisecond
)

// guard watches one call's context. When the context ends while the call
// is still running, it gives the call abortGrace to return and then kills
// the call's link, which returns every call blocked on it; the session
// then reconnects.
type guard struct {
	l     *link
	ended atomic.Bool
	stop  func() bool
}

// cancelled runs when the call's context ends.
func (g *guard) cancelled() {
	if g.ended.Load() {
		return
	}
	time.AfterFunc(abortGrace, g.overdue)
}

// overdue runs abortGrace after the context ended.
func (g *guard) overdue() {
	if !g.ended.Load() {
		g.l.kill(errors.New("a cancelled call was still waiting on the server after " + abortGrace.String()))
	}
}

// done marks the call as returned.
func (g *guard) done() {
	if g != nil {
		g.ended.Store(true)
		g.stop()
	}
}

// begin starts a call on the file system: it returns the link to run it
// on, waiting for a reconnect when the connection is down, and a guard
// (nil when ctx cannot end) that end must be given.
func (f *FS) begin(ctx context.Context) (*link, *guard, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	l := f.c.cur.Load()
	if l.down() {
		var err error
		if l, err = f.c.waitOnline(ctx); err != nil {
			return nil, nil, err
		}
	}
	if f.callHook != nil {
		f.callHook()
	}
	if ctx.Done() == nil {
		return l, nil, nil
	}
	g := &guard{l: l}
	g.stop = context.AfterFunc(ctx, g.cancelled)
	return l, g, nil
}

// end finishes a call begun with begin and explains its error, naming op
// and path: the context's error when it ended, connection lost (SFTP
// status 7) when the link died under the call, else wrapErr's account.
func (f *FS) end(ctx context.Context, l *link, g *guard, op, path string, err error) error {
	g.done()
	if err == nil {
		return nil
	}
	if cerr := ctx.Err(); cerr != nil {
		return &fs.PathError{Op: op, Path: path, Err: cerr}
	}
	if lostOn(l, err) {
		return lostErr(op, path)
	}
	return wrapErr(op, path, err)
}

// beginErr explains why a call could not begin.
func beginErr(op, path string, err error) error {
	return &fs.PathError{Op: op, Path: path, Err: err}
}

// lostOn reports whether err, from a call on l, means that l's connection
// was lost: pkg/sftp says so, or the error is not the server's answer and
// l is (or is about to be) dead.
func lostOn(l *link, err error) bool {
	if errors.Is(err, sftp.ErrSSHFxConnectionLost) {
		// pkg/sftp can see its channel end before the watchers have
		// marked the link dead: the next call would still be given
		// this link and fail the same way instead of waiting for the
		// reconnect. The wait is short: the link is ending.
		l.deadWithin(lostGrace)
		return true
	}
	var se *sftp.StatusError
	if errors.As(err, &se) || errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) ||
		errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	return l.deadWithin(lostGrace)
}

// lostErr is the error of a call whose connection was lost.
func lostErr(op, path string) error {
	return &fs.PathError{Op: op, Path: path, Err: newStatusError(op, codeConnectionLost)}
}

// ConnState returns the generation of the current connection, which
// changes each time the session reconnects, and whether it is up.
func (f *FS) ConnState() (gen uint64, up bool) { return f.c.connState() }

// WaitOnline returns nil once the connection is up. When it is down it
// waits for the reconnect under way, or starts one if the session had
// given up. It returns a *ReconnectError when the connection cannot be
// restored (errors.As finds a *knownhosts.ChangedKeyError through it,
// say), ErrSessionClosed when the session is closed, or ctx's error. An FS
// made by NewFS cannot reconnect: it returns an error as soon as the
// connection is down.
func (f *FS) WaitOnline(ctx context.Context) error {
	_, err := f.c.waitOnline(ctx)
	return err
}

// Abort closes the current connection, so that every call blocked on it
// returns at once (as connection lost); cause says why, for the log. The
// session then reconnects by itself. For an FS made by NewFS, Abort closes
// the SFTP client instead.
func (f *FS) Abort(cause error) {
	l := f.c.cur.Load()
	f.c.logf("%s: closing connection %d: %v", f.label, l.gen, cause)
	l.kill(fmt.Errorf("aborted: %w", cause))
}

// State returns the latest state of the connection.
func (f *FS) State() ConnEvent { return f.c.State() }

// Watch returns a channel that receives the connection's state changes,
// starting with the current state, and a function that stops them and
// closes the channel; see Session.Watch.
func (f *FS) Watch() (<-chan ConnEvent, func()) { return f.c.Watch() }
