package remote

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// wantStopped fails t unless err is a *ReconnectError wrapping
// ErrReconnectStopped after attempts attempts.
func wantStopped(t *testing.T, what string, err error, attempts int) {
	t.Helper()
	var re *ReconnectError
	if !errors.As(err, &re) || !errors.Is(err, ErrReconnectStopped) || re.Attempts != attempts {
		t.Fatalf("%s = %v, want a *ReconnectError after %d attempt(s) wrapping ErrReconnectStopped", what, err, attempts)
	}
}

// TestStopReconnectDuringBackoff: stopping cuts the wait before the first
// attempt short, releases every waiter with the reason, reports
// ConnFailed, and dials nothing; the next call starts a new round.
func TestStopReconnectDuringBackoff(t *testing.T) {
	m := newMemNet(t)
	var slow atomic.Bool
	slow.Store(true)
	f := memFS(t, m, 6, func(int) time.Duration {
		if slow.Load() {
			return time.Hour
		}
		return 5 * time.Millisecond
	})
	ch, stop := f.Watch()
	defer stop()
	m.dropSeen(t, f)
	nextState(t, ch, ConnReconnecting)

	errs := make(chan error, 3)
	go func() { errs <- f.WaitOnline(context.Background()) }()
	go func() { _, err := f.Stat(context.Background(), "/"); errs <- err }()
	go func() { _, err := f.ReadDir(context.Background(), "/"); errs <- err }()

	f.StopReconnect()
	ev := nextState(t, ch, ConnFailed)
	wantStopped(t, "the ConnFailed event's Err", ev.Err, 0)
	if ev.Attempt != 0 || ev.MaxAttempts != 6 {
		t.Errorf("ConnFailed event %+v, want attempt 0 of 6", ev)
	}
	// A waiter that came after the stop started a round of its own (as
	// the next call does): stop that one too.
	deadline := time.After(testWait)
	for got := 0; got < 3; {
		select {
		case err := <-errs:
			wantStopped(t, "a waiter", err, 0)
			got++
		case <-time.After(10 * time.Millisecond):
			f.StopReconnect()
		case <-deadline:
			t.Fatal("a waiter did not return after StopReconnect")
		}
	}
	if n := m.dialCount(); n != 0 {
		t.Fatalf("%d dials after a stop during the first wait, want 0", n)
	}
	if s := f.State(); s.Status != ConnFailed {
		t.Fatalf("State = %+v, want failed", s)
	}
	// Stopping again, with no round under way, changes nothing.
	f.StopReconnect()
	if s := f.State(); s.Status != ConnFailed || !errors.Is(s.Err, ErrReconnectStopped) {
		t.Fatalf("State after a second stop = %+v", s)
	}

	// The next call starts a new round, as after any give-up.
	slow.Store(false)
	if _, err := f.Stat(context.Background(), "/"); err != nil {
		t.Fatalf("Stat after the stop: %v", err)
	}
	if gen, up := f.ConnState(); gen != 2 || !up {
		t.Fatalf("ConnState = %d, %v; want 2, true", gen, up)
	}
	nextState(t, ch, ConnBack)
}

// TestStopReconnectCancelsDial: stopping cancels the dial in progress
// through its context (as a question it is asking is), and a connection
// that dial makes anyway is closed, never installed.
func TestStopReconnectCancelsDial(t *testing.T) {
	m := newMemNet(t)
	entered := make(chan struct{}, 1)
	dialCtx := make(chan error, 1)
	var late atomic.Pointer[link]
	redial := func(ctx context.Context) (*link, error) {
		entered <- struct{}{}
		<-ctx.Done()
		dialCtx <- ctx.Err()
		// A dial that finished anyway: its connection must not be used.
		l, err := m.link()
		late.Store(l)
		return l, err
	}
	first, err := m.link()
	if err != nil {
		t.Fatal(err)
	}
	c := newConnector("mem", redial, 6, testBackoff, testLogf(t))
	c.start(first)
	t.Cleanup(func() { c.close() })
	f := &FS{label: "mem", c: c}

	m.dropSeen(t, f)
	errs := make(chan error, 1)
	go func() { errs <- f.WaitOnline(context.Background()) }()
	select {
	case <-entered:
	case <-time.After(testWait):
		t.Fatal("no attempt started")
	}
	// A WaitOnline that came after the stop would start a round of its
	// own.
	waitJoined(t, f, 1)
	f.StopReconnect()
	select {
	case err := <-errs:
		wantStopped(t, "WaitOnline", err, 1)
		if !strings.Contains(err.Error(), "stopped by the user after 1 attempt") {
			t.Errorf("message %q", err)
		}
	case <-time.After(testWait):
		t.Fatal("WaitOnline did not return after StopReconnect")
	}
	select {
	case err := <-dialCtx:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("the dial's context ended with %v", err)
		}
	case <-time.After(testWait):
		t.Fatal("the dial in progress was not cancelled")
	}
	waitUntil(t, "the late connection to be closed", func() bool {
		l := late.Load()
		return l != nil && l.down()
	})
	if gen, up := f.ConnState(); gen != 1 || up {
		t.Fatalf("ConnState = %d, %v; want the lost connection 1", gen, up)
	}
	if s := f.State(); s.Status != ConnFailed || s.Attempt != 1 {
		t.Fatalf("State = %+v, want failed after attempt 1", s)
	}
}

// TestStopReconnectWithoutRound: a connection that is up, and a closed
// session, are left alone.
func TestStopReconnectWithoutRound(t *testing.T) {
	m := newMemNet(t)
	f := memFS(t, m, 3, testBackoff)
	f.StopReconnect()
	if s := f.State(); s.Status != ConnUp {
		t.Fatalf("State after stopping with the connection up: %+v", s)
	}
	if _, err := f.Stat(context.Background(), "/"); err != nil {
		t.Fatal(err)
	}
	if err := f.c.close(); err != nil {
		t.Fatal(err)
	}
	f.StopReconnect()
	if s := f.State(); s.Status != ConnClosed {
		t.Fatalf("State after stopping a closed session: %+v", s)
	}
}

// waitUntil polls cond until it holds, failing t after testWait.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(testWait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}
