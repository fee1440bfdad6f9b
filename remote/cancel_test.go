package remote

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"sync"
	"testing"
	"time"
)

// fsCall is one call of FS that takes a context, with the operation its
// errors name.
type fsCall struct {
	op   string
	call func(ctx context.Context, f *FS) error
}

// fsCalls are the calls of FS that run over pkg/sftp's client.
func fsCalls() map[string]fsCall {
	return map[string]fsCall{
		"Home":  {"realpath", func(ctx context.Context, f *FS) error { _, err := f.Home(ctx); return err }},
		"Stat":  {"stat", func(ctx context.Context, f *FS) error { _, err := f.Stat(ctx, "/a"); return err }},
		"Lstat": {"lstat", func(ctx context.Context, f *FS) error { _, err := f.Lstat(ctx, "/a"); return err }},
		"ReadDir": {"ls", func(ctx context.Context, f *FS) error {
			_, err := f.ReadDir(ctx, "/")
			return err
		}},
		"Readlink": {"readlink", func(ctx context.Context, f *FS) error {
			_, err := f.Readlink(ctx, "/l")
			return err
		}},
		"Open": {"open", func(ctx context.Context, f *FS) error { _, err := f.Open(ctx, "/a"); return err }},
		"CreateExcl": {"create", func(ctx context.Context, f *FS) error {
			_, err := f.CreateExcl(ctx, "/new", 0o600)
			return err
		}},
		"CreateExclDefault": {"create", func(ctx context.Context, f *FS) error {
			_, err := f.CreateExclDefault(ctx, "/new")
			return err
		}},
		"OpenFile": {"open", func(ctx context.Context, f *FS) error {
			_, err := f.OpenFile(ctx, "/a", os.O_WRONLY)
			return err
		}},
		"Mkdir":  {"mkdir", func(ctx context.Context, f *FS) error { return f.Mkdir(ctx, "/d", 0o700) }},
		"Remove": {"remove", func(ctx context.Context, f *FS) error { return f.Remove(ctx, "/a") }},
		"Rename": {"rename", func(ctx context.Context, f *FS) error { return f.Rename(ctx, "/a", "/b") }},
		"Chmod":  {"chmod", func(ctx context.Context, f *FS) error { return f.Chmod(ctx, "/a", 0o600) }},
		"Chtimes": {"chtimes", func(ctx context.Context, f *FS) error {
			return f.Chtimes(ctx, "/a", time.Unix(1, 0), time.Unix(2, 0))
		}},
		"Symlink": {"symlink", func(ctx context.Context, f *FS) error { return f.Symlink(ctx, "/a", "/l2") }},
	}
}

// TestCancelUnblocksEveryCall: every call of FS over pkg/sftp returns once
// its context is cancelled, however long the server takes, with an error
// that names the operation and wraps context.Canceled. Each call has a
// connection of its own to a server that stopped answering, so nothing but
// its own context can end it. (OpenRangeWriter and StreamFile need SSH
// channels: TestSSHDCancelStalledCall covers them.) Once the server
// answers again, so does the file system.
func TestCancelUnblocksEveryCall(t *testing.T) {
	t.Parallel()
	type result struct {
		name  string
		err   error
		took  time.Duration
		after error // of a call once the server answers again
	}
	calls := fsCalls()
	results := make(chan result, len(calls))
	for name, c := range calls {
		m := newMemNet(t)
		m.tcp = true
		f := memFS(t, m, 3, testBackoff)
		entered := make(chan struct{}, 1)
		f.callHook = func() {
			select {
			case entered <- struct{}{}:
			default:
			}
		}
		m.freeze()
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- c.call(ctx, f) }()
		go func() {
			defer cancel()
			<-entered
			cancel()
			start := time.Now()
			select {
			case err := <-done:
				r := result{name: name, err: err, took: time.Since(start)}
				// The server comes back; so does the file system.
				m.thaw()
				if _, err := f.Home(context.Background()); err != nil {
					r.after = err
				}
				results <- r
			case <-time.After(testWait):
				results <- result{name: name, err: errors.New("still blocked"), took: testWait}
			}
		}()
	}
	for range calls {
		r := <-results
		c := calls[r.name]
		t.Logf("%s on a frozen server returned %v after the cancel: %v", r.name, r.took, r.err)
		var pe *fs.PathError
		if !errors.Is(r.err, context.Canceled) || !errors.As(r.err, &pe) || pe.Op != c.op {
			t.Errorf("cancelled %s = %v, want %s naming the path, wrapping context.Canceled", r.name, r.err, c.op)
		}
		if r.after != nil {
			t.Errorf("after a cancelled %s, the server answering again: %v", r.name, r.after)
		}
	}
}

// waitingCtx is a context that tells when Done is first called: a call
// that waits on it has got as far as the wait.
type waitingCtx struct {
	context.Context
	once    sync.Once
	waiting chan struct{}
}

func newWaitingCtx(ctx context.Context) *waitingCtx {
	return &waitingCtx{Context: ctx, waiting: make(chan struct{})}
}

func (c *waitingCtx) Done() <-chan struct{} {
	c.once.Do(func() { close(c.waiting) })
	return c.Context.Done()
}

// TestCancelUnblocksWaitForReconnect: WaitOnline, and a call waiting for
// the session to reconnect, return once their context is cancelled, while
// the reconnect still waits out its backoff.
func TestCancelUnblocksWaitForReconnect(t *testing.T) {
	m := newMemNet(t)
	f := memFS(t, m, 3, func(int) time.Duration { return time.Hour })
	ch, stop := f.Watch()
	defer stop()
	m.dropSeen(t, f)
	nextState(t, ch, ConnReconnecting)
	calls := map[string]func(context.Context) error{
		"WaitOnline": f.WaitOnline,
		"Stat":       func(ctx context.Context) error { _, err := f.Stat(ctx, "/"); return err },
	}
	for name, call := range calls {
		parent, cancel := context.WithCancel(context.Background())
		ctx := newWaitingCtx(parent)
		errs := make(chan error, 1)
		go func() { errs <- call(ctx) }()
		<-ctx.waiting
		cancel()
		select {
		case err := <-errs:
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("%s cancelled while waiting for a reconnect: %v, want context.Canceled", name, err)
			}
		case <-time.After(testWait):
			t.Fatalf("a cancelled %s was still waiting for the reconnect", name)
		}
	}
	if n := m.dialCount(); n != 0 {
		t.Fatalf("%d dials during the backoff", n)
	}
}
