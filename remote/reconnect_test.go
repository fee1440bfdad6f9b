package remote

import (
	"context"
	"errors"
	"io/fs"
	"sync"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/remote/knownhosts"
	"github.com/pkg/sftp"
)

// FS implements the engine's transfer.Reconnector, which this package
// cannot import (transfer's tests import remote).
var _ interface {
	ConnState() (gen uint64, up bool)
	WaitOnline(ctx context.Context) error
	Abort(cause error)
} = (*FS)(nil)

func TestDefaultBackoff(t *testing.T) {
	want := []time.Duration{1, 2, 4, 8, 16, 30, 30, 30}
	for i, w := range want {
		if got := DefaultBackoff(i + 1); got != w*time.Second {
			t.Errorf("DefaultBackoff(%d) = %v, want %v", i+1, got, w*time.Second)
		}
	}
	if got := DefaultBackoff(0); got != time.Second {
		t.Errorf("DefaultBackoff(0) = %v, want 1s", got)
	}
	if got := DefaultBackoff(1000); got != 30*time.Second {
		t.Errorf("DefaultBackoff(1000) = %v, want 30s", got)
	}
}

func TestReconnectAfterLoss(t *testing.T) {
	m := newMemNet(t)
	f := memFS(t, m, 3, testBackoff)
	ch, stop := f.Watch()
	defer stop()
	ctx := context.Background()
	if err := f.Mkdir(ctx, "/d", 0o755); err != nil {
		t.Fatal(err)
	}
	m.dropSeen(t, f)
	got := states(t, ch, ConnBack)
	want := []ConnStatus{ConnUp, ConnLost, ConnReconnecting, ConnBack}
	if len(got) != len(want) {
		t.Fatalf("states %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("states %v, want %v", got, want)
		}
	}
	if fi, err := f.Stat(ctx, "/d"); err != nil || !fi.IsDir() {
		t.Fatalf("Stat after reconnecting: %v, %v", fi, err)
	}
	if gen, up := f.ConnState(); gen != 2 || !up {
		t.Fatalf("ConnState = %d, %v; want 2, true", gen, up)
	}
	if s := f.State(); s.Status != ConnBack || s.Gen != 2 {
		t.Fatalf("State = %+v", s)
	}
}

func TestReconnectGivesUpAfterMaxAttemptsThenTriesAgain(t *testing.T) {
	m := newMemNet(t)
	refused := errors.New("connection refused")
	m.fail = []error{refused, refused, refused}
	f := memFS(t, m, 3, testBackoff)
	err := <-m.dropJoined(t, f, func() error { return f.WaitOnline(context.Background()) })
	var re *ReconnectError
	if !errors.As(err, &re) || re.Attempts != 3 || !errors.Is(err, refused) {
		t.Fatalf("WaitOnline = %v, want a *ReconnectError after 3 attempts wrapping the dial error", err)
	}
	if n := m.dialCount(); n != 3 {
		t.Fatalf("%d dials, want 3", n)
	}
	if s := f.State(); s.Status != ConnFailed || s.Attempt != 3 || s.MaxAttempts != 3 {
		t.Fatalf("State = %+v, want failed after attempt 3 of 3", s)
	}
	// A later call starts a new round, which succeeds.
	if _, err := f.Stat(context.Background(), "/"); err != nil {
		t.Fatalf("Stat after giving up once: %v", err)
	}
	if gen, up := f.ConnState(); gen != 2 || !up {
		t.Fatalf("ConnState = %d, %v; want 2, true", gen, up)
	}
}

func TestReconnectStopsAtOnceOnRefusedIdentity(t *testing.T) {
	for _, fatal := range []error{
		&knownhosts.ChangedKeyError{Host: "mem", KeyType: "ssh-ed25519"},
		&knownhosts.RevokedKeyError{Host: "mem"},
		&AuthError{Err: errors.New("ssh: unable to authenticate")},
	} {
		m := newMemNet(t)
		m.fail = []error{fatal}
		f := memFS(t, m, 6, testBackoff)
		err := <-m.dropJoined(t, f, func() error { _, err := f.Stat(context.Background(), "/"); return err })
		if !errors.Is(err, fatal) {
			t.Fatalf("Stat = %v, want it to wrap %T", err, fatal)
		}
		var pe *fs.PathError
		if !errors.As(err, &pe) || pe.Op != "stat" || pe.Path != "/" {
			t.Fatalf("Stat = %v, want it to name the operation and path", err)
		}
		if n := m.dialCount(); n != 1 {
			t.Fatalf("%T: %d dials, want 1: no attempt after the refusal", fatal, n)
		}
	}
}

func TestConcurrentCallersShareOneReconnect(t *testing.T) {
	m := newMemNet(t)
	f := memFS(t, m, 3, testBackoff)
	m.dropSeen(t, f)
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.ReadDir(context.Background(), "/")
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := m.dialCount(); n != 1 {
		t.Fatalf("%d dials for 20 callers, want 1", n)
	}
}

func TestCloseReleasesWaitersDuringBackoff(t *testing.T) {
	m := newMemNet(t)
	f := memFS(t, m, 3, func(int) time.Duration { return time.Hour })
	ch, stop := f.Watch()
	defer stop()
	m.dropSeen(t, f)
	nextState(t, ch, ConnReconnecting)
	errs := make(chan error, 4)
	go func() { errs <- f.WaitOnline(context.Background()) }()
	go func() { _, err := f.Stat(context.Background(), "/"); errs <- err }()
	go func() { _, err := f.ReadDir(context.Background(), "/"); errs <- err }()
	go func() { errs <- f.Remove(context.Background(), "/x") }()
	if err := f.c.close(); err != nil {
		t.Fatal(err)
	}
	for range 4 {
		select {
		case err := <-errs:
			if !errors.Is(err, ErrSessionClosed) {
				t.Fatalf("waiter returned %v, want ErrSessionClosed", err)
			}
		case <-time.After(testWait):
			t.Fatal("a waiter did not return after Close")
		}
	}
	nextState(t, ch, ConnClosed)
	if _, ok := <-ch; ok {
		t.Fatal("watch channel still open after Close")
	}
	if n := m.dialCount(); n != 0 {
		t.Fatalf("%d dials after Close during the backoff, want 0", n)
	}
}

// TestCancelUnblocksStalledCall: a call the server never answers returns
// the context's error once it ends, its connection closed under it, and
// the file system works again over a new one.
func TestCancelUnblocksStalledCall(t *testing.T) {
	t.Parallel()
	m := newMemNet(t)
	f := memFS(t, m, 3, testBackoff)
	entered := make(chan struct{}, 1)
	f.callHook = func() {
		select {
		case entered <- struct{}{}:
		default:
		}
	}
	m.stall()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := f.Stat(ctx, "/")
		done <- err
	}()
	<-entered
	cancel()
	start := time.Now()
	select {
	case err := <-done:
		t.Logf("a stalled Stat returned %v after the cancel", time.Since(start))
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Stat = %v, want context.Canceled", err)
		}
	case <-time.After(testWait):
		t.Fatal("a cancelled Stat stayed blocked on a stalled server")
	}
	m.unstall()
	if _, err := f.Stat(context.Background(), "/"); err != nil {
		t.Fatalf("Stat after the cancel: %v", err)
	}
	if gen, _ := f.ConnState(); gen != 2 {
		t.Fatalf("generation %d, want 2: the stalled connection should have been replaced", gen)
	}
}

func TestNewFSCannotReconnect(t *testing.T) {
	m := newMemNet(t)
	l, err := m.link()
	if err != nil {
		t.Fatal(err)
	}
	f := NewFS("plain", l.sftp)
	if err := f.WaitOnline(context.Background()); err != nil {
		t.Fatalf("WaitOnline while up: %v", err)
	}
	m.dropSeen(t, f)
	err = f.WaitOnline(context.Background())
	var re *ReconnectError
	if !errors.As(err, &re) || re.Attempts != 0 {
		t.Fatalf("WaitOnline after the connection ended: %v, want a *ReconnectError without attempts", err)
	}
	if gen, up := f.ConnState(); gen != 1 || up {
		t.Fatalf("ConnState = %d, %v; want 1, false", gen, up)
	}
	if _, err := f.Stat(context.Background(), "/"); !errors.As(err, &re) {
		t.Fatalf("Stat = %v, want the *ReconnectError", err)
	}
}

// TestWatchKeepsTheLatest: a reader that does not read loses the oldest
// events, never the newest, and publishing never blocks.
func TestWatchKeepsTheLatest(t *testing.T) {
	c := newConnector("slow", nil, 0, DefaultBackoff, nil)
	ch, stop := c.Watch()
	defer stop()
	const n = 3 * watchBuffer
	for i := 1; i <= n; i++ {
		c.mu.Lock()
		c.publishLocked(ConnEvent{Status: ConnReconnecting, Attempt: i, MaxAttempts: n})
		c.mu.Unlock()
	}
	var last ConnEvent
	for len(ch) > 0 {
		last = <-ch
	}
	if last.Attempt != n {
		t.Fatalf("last event read has attempt %d, want %d", last.Attempt, n)
	}
	if s := c.State(); s.Attempt != n {
		t.Fatalf("State has attempt %d, want %d", s.Attempt, n)
	}
}

func TestDisableRangesOnce(t *testing.T) {
	m := newMemNet(t)
	f := memFS(t, m, 3, testBackoff)
	if !f.DisableRanges("test") {
		t.Fatal("first DisableRanges returned false")
	}
	if f.DisableRanges("again") {
		t.Fatal("second DisableRanges returned true")
	}
	if n := f.RangeParts(); n != 1 {
		t.Fatalf("RangeParts = %d after DisableRanges", n)
	}
}

func TestConnEventString(t *testing.T) {
	ev := ConnEvent{Status: ConnReconnecting, Host: "web1", Attempt: 3, MaxAttempts: 6, Wait: 4 * time.Second}
	if got, want := ev.String(), "reconnecting to web1, attempt 3 of 6, next in 4s"; got != want {
		t.Fatalf("String = %q, want %q", got, want)
	}
}

// BenchmarkCallOverhead measures what begin and end add to every call,
// without the call: with a context that cannot end, and with one that can
// (the engine's), which registers and removes an AfterFunc.
func BenchmarkCallOverhead(b *testing.B) {
	for _, bc := range []struct {
		name string
		ctx  func() (context.Context, context.CancelFunc)
	}{
		{"background", func() (context.Context, context.CancelFunc) { return context.Background(), func() {} }},
		{"cancellable", func() (context.Context, context.CancelFunc) { return context.WithCancel(context.Background()) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			l := &link{dead: make(chan struct{})}
			c := newConnector("bench", nil, 0, DefaultBackoff, nil)
			c.cur.Store(l)
			f := &FS{label: "bench", c: c}
			ctx, cancel := bc.ctx()
			defer cancel()
			b.ReportAllocs()
			for b.Loop() {
				l, g, err := f.begin(ctx)
				if err != nil {
					b.Fatal(err)
				}
				if err := f.end(ctx, l, g, "lstat", "/x", nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLstatMem is one Lstat over an in-memory server, for scale:
// pkg/sftp's own work per call against the overhead above.
func BenchmarkLstatMem(b *testing.B) {
	m := &memNet{handlers: sftp.InMemHandler()}
	l, err := m.link()
	if err != nil {
		b.Fatal(err)
	}
	defer l.sftp.Close()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := l.sftp.Lstat("/"); err != nil {
			b.Fatal(err)
		}
	}
}
