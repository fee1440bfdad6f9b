package tui

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/queue"
)

// downFS is the local disk as a host whose connection the test takes down
// and brings back: while down, opening a file fails as a lost connection
// does and WaitOnline says the connection could not be restored, as a
// session that gave up does. The file system stays the same object
// throughout, as remote.FS does across reconnects.
type downFS struct {
	transfer.FS
	ch   chan ConnState
	once sync.Once
	up   atomic.Bool
	gen  atomic.Uint64
}

var (
	_ transfer.Reconnector = (*downFS)(nil)
	_ ConnWatcher          = (*downFS)(nil)
)

func newDownFS() *downFS {
	d := &downFS{FS: local.New(), ch: make(chan ConnState, 16)}
	d.up.Store(true)
	d.gen.Store(1)
	return d
}

func (d *downFS) Label() string { return "web1" }

func (d *downFS) Open(ctx context.Context, name string) (io.ReadCloser, error) {
	if !d.up.Load() {
		return nil, &fs.PathError{Op: "open", Path: name, Err: lostErr{}}
	}
	return d.FS.Open(ctx, name)
}

func (d *downFS) ConnState() (uint64, bool) { return d.gen.Load(), d.up.Load() }

func (d *downFS) WaitOnline(ctx context.Context) error {
	if d.up.Load() {
		return nil
	}
	return errors.New("connection to web1 lost; reconnecting failed after 6 attempt(s)")
}

func (d *downFS) Abort(error) { d.gen.Add(1) }

func (d *downFS) WatchConn() (<-chan ConnState, func()) {
	return d.ch, func() { d.once.Do(func() { close(d.ch) }) }
}

// setUp takes the connection down or brings it back, and says so.
func (d *downFS) setUp(up bool) {
	d.gen.Add(1)
	d.up.Store(up)
	if up {
		d.ch <- ConnState{Status: ConnBack, Host: "web1"}
	} else {
		d.ch <- ConnState{Status: ConnFailed, Host: "web1", Attempt: 6, MaxAttempts: 6, Err: errors.New("connection refused")}
	}
}

// After the host is back, r and R in the queue retry the jobs that failed
// while it was down, through the same file system.
func TestQueueRetriesAfterReconnect(t *testing.T) {
	t.Parallel()
	left, right := numberedFiles(t, 3), t.TempDir()
	d := newDownFS()
	e := transfer.New(transfer.Options{Workers: 2, Retries: 1})
	t.Cleanup(func() { e.Close() })
	m, r := startWatched(t, Options{Left: d, Right: local.New(), LeftDir: left, RightDir: right, Engine: e}, 120, 24)

	d.setUp(false)
	r.waitFor("offline", func() bool { return strings.Contains(header(m, leftSide), "offline") })
	copyAll(t, r)
	r.waitFor("the jobs to fail", func() bool {
		s := e.Snapshot()
		return s.States[transfer.Failed] == 3 && !queue.Busy(s)
	})
	if j, _ := e.Job(1); !errors.Is(j.Err, transfer.ErrNotRestored) {
		t.Errorf("job 1 failed with %v, want ErrNotRestored", j.Err)
	}

	d.setUp(true)
	r.waitFor("the connection back", func() bool { return !strings.Contains(header(m, leftSide), "offline") })
	r.press("w", "r") // the job under the cursor
	r.waitFor("job 1 done", func() bool { return jobState(t, e, 1) == transfer.Done })
	if content(filepath.Join(right, "f00.txt")) != "file 0" {
		t.Error("r did not copy f00.txt")
	}
	r.press("R")
	if !strings.Contains(m.status.text, "retrying 2 jobs") {
		t.Errorf("status %q", m.status.text)
	}
	waitSettled(r)
	if s := e.Snapshot(); s.States[transfer.Done] != 3 || s.States[transfer.Failed] != 0 {
		t.Errorf("states %v", s.States)
	}
	for i, name := range []string{"f00.txt", "f01.txt", "f02.txt"} {
		if got := content(filepath.Join(right, name)); got != "file "+string(rune('0'+i)) {
			t.Errorf("%s = %q", name, got)
		}
	}
}

// blockFS is the local disk as a host that stops answering: reading a
// file blocks, ignoring its context as a pkg/sftp call does, until the
// connection is aborted.
type blockFS struct {
	transfer.FS
	mu      sync.Mutex
	gen     uint64
	abort   chan struct{} // closed by Abort, then replaced
	reached chan struct{} // closed when a read first blocks
	once    sync.Once
	aborts  atomic.Int32
}

var _ transfer.Reconnector = (*blockFS)(nil)

func newBlockFS() *blockFS {
	return &blockFS{FS: local.New(), gen: 1, abort: make(chan struct{}), reached: make(chan struct{})}
}

func (b *blockFS) Label() string { return "web1" }

func (b *blockFS) ConnState() (uint64, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.gen, true
}

func (b *blockFS) WaitOnline(context.Context) error { return nil }

func (b *blockFS) Abort(error) {
	b.aborts.Add(1)
	b.mu.Lock()
	defer b.mu.Unlock()
	close(b.abort)
	b.abort = make(chan struct{})
	b.gen++
}

func (b *blockFS) Open(ctx context.Context, name string) (io.ReadCloser, error) {
	rc, err := b.FS.Open(ctx, name)
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return &blockReader{ReadCloser: rc, b: b, abort: b.abort}, nil
}

type blockReader struct {
	io.ReadCloser
	b     *blockFS
	abort chan struct{}
}

func (r *blockReader) Read([]byte) (int, error) {
	r.b.once.Do(func() { close(r.b.reached) })
	<-r.abort
	return 0, &fs.PathError{Op: "read", Path: "?", Err: lostErr{}}
}

// blockedCopy starts copying f00.txt from a host that stops answering
// and waits until the read blocks.
func blockedCopy(t *testing.T) (*Model, *runner, *transfer.Engine, *blockFS, string) {
	t.Helper()
	left, right := numberedFiles(t, 1), t.TempDir()
	b := newBlockFS()
	e := transfer.New(transfer.Options{Workers: 2})
	m := start(t, Options{Left: b, Right: local.New(), LeftDir: left, RightDir: right, Engine: e}, 120, 24)
	r := newRunner(t, m)
	copyAll(t, r)
	r.waitFor("the read to block", func() bool {
		select {
		case <-b.reached:
			return true
		default:
			return false
		}
	})
	if s := e.Snapshot(); s.States[transfer.Running] != 1 {
		t.Fatalf("states %v, want one job running", s.States)
	}
	return m, r, e, b, right
}

// x in the queue stops a job blocked on a silent server: the engine
// closes its connection a second later and the job ends cancelled.
func TestQueueCancelStopsBlockedJob(t *testing.T) {
	t.Parallel()
	m, r, e, b, right := blockedCopy(t)
	t.Cleanup(func() { e.Close() })
	r.press("w", "x")
	start := time.Now()
	r.waitFor("the job cancelled", func() bool { return jobState(t, e, 1) == transfer.Cancelled })
	if d := time.Since(start); d > 2500*time.Millisecond {
		t.Errorf("the cancel took %v", d)
	}
	r.waitFor("the queue to show it", func() bool { return strings.Contains(screen(m), "cancelled f00.txt") })
	if b.aborts.Load() == 0 {
		t.Error("the connection was not aborted")
	}
	if exists(filepath.Join(right, "f00.txt")) {
		t.Error("a cancelled copy left its target")
	}
}

// q and y while a job is blocked end the program, and the engine stops
// within the 2 s that cmd/ferry gives it.
func TestQuitWhileJobBlockedReturns(t *testing.T) {
	t.Parallel()
	m, _, e, b, _ := blockedCopy(t)
	if isQuit(press(t, m, "q")) {
		t.Fatal("quit without asking")
	}
	if !strings.Contains(screen(m), "1 transfer is still queued or running and will be cancelled.") {
		t.Fatalf("no question:\n%s", screen(m))
	}
	if !isQuit(press(t, m, "y")) {
		t.Fatal("y did not quit")
	}
	start := time.Now()
	closed := make(chan struct{})
	go func() {
		e.Close()
		close(closed)
	}()
	select {
	case <-closed:
	case <-time.After(2 * time.Second):
		t.Fatal("the engine did not stop within 2 s of quitting")
	}
	t.Logf("engine stopped %v after quitting", time.Since(start).Round(time.Millisecond))
	if b.aborts.Load() == 0 {
		t.Error("the blocked connection was not aborted")
	}
	if got := jobState(t, e, 1); got != transfer.Cancelled {
		t.Errorf("job 1 is %v after quitting", got)
	}
}
