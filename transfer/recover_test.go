package transfer_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/transfer"
)

// errLost is a connection-lost error, as remote.StatusError reports one.
type errLost struct{}

func (errLost) Error() string        { return "connection lost (SFTP status 7)" }
func (errLost) ConnectionLost() bool { return true }

// flakyFS is a file system whose connection can drop: the first opens of
// one file stop after a number of bytes and then either fail at once as
// if the link dropped ("drop") or hang, ignoring their context, until the
// connection is aborted ("stall").
type flakyFS struct {
	transfer.FS
	name  string
	after int64
	mode  string // "drop" or "stall"
	bad   int    // how many opens of name misbehave

	mu      sync.Mutex
	gen     uint64
	opens   int
	abort   chan struct{} // closed by Abort; replaced after
	reached chan struct{} // closed when the first bad reader stops
	aborts  atomic.Int32
	waitErr error // what WaitOnline returns
	waits   atomic.Int32
	down    bool // ConnState reports the connection down
}

var _ transfer.Reconnector = (*flakyFS)(nil)

func newFlaky(fsys transfer.FS, name string, after int64, mode string, bad int) *flakyFS {
	return &flakyFS{FS: fsys, name: name, after: after, mode: mode, bad: bad, abort: make(chan struct{}), reached: make(chan struct{})}
}

func (f *flakyFS) ConnState() (uint64, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.gen, !f.down
}

func (f *flakyFS) WaitOnline(ctx context.Context) error {
	f.waits.Add(1)
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.waitErr
}

func (f *flakyFS) Abort(error) {
	f.aborts.Add(1)
	f.mu.Lock()
	defer f.mu.Unlock()
	close(f.abort)
	f.abort = make(chan struct{})
	f.gen++
}

func (f *flakyFS) Open(ctx context.Context, name string) (io.ReadCloser, error) {
	rc, err := f.FS.Open(ctx, name)
	if err != nil || (name != f.name && f.name != "*") {
		return rc, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.opens++
	if f.opens > f.bad {
		return rc, nil
	}
	return &flakyReader{rc: rc, f: f, left: f.after, abort: f.abort, first: f.opens == 1 && f.reached != nil}, nil
}

type flakyReader struct {
	rc    io.ReadCloser
	f     *flakyFS
	left  int64
	abort chan struct{}
	first bool
}

func (r *flakyReader) Read(b []byte) (int, error) {
	if r.left <= 0 {
		if r.first {
			r.first = false
			close(r.f.reached)
		}
		if r.f.mode == "stall" {
			<-r.abort
		} else {
			r.f.mu.Lock()
			r.f.gen++
			r.f.mu.Unlock()
		}
		return 0, errLost{}
	}
	if int64(len(b)) > r.left {
		b = b[:r.left]
	}
	n, err := r.rc.Read(b)
	r.left -= int64(n)
	return n, err
}

func (r *flakyReader) Seek(off int64, whence int) (int64, error) {
	return r.rc.(io.Seeker).Seek(off, whence)
}

func (r *flakyReader) Close() error { return r.rc.Close() }

// bigFile writes a 24 MiB source (large enough for a resume record) and
// returns its path, its data and a destination path beside it.
func bigFile(t *testing.T, seed uint64) (src string, data []byte, dst string) {
	dir := t.TempDir()
	data = randBytes(seed, 24<<20)
	src = filepath.Join(dir, "big")
	writeFile(t, src, data, 0o644, baseTime)
	return src, data, filepath.Join(dir, "copy")
}

// sameCopy checks that dst holds data and nothing was left behind.
func sameCopy(t *testing.T, dst string, data []byte) {
	t.Helper()
	got, err := os.ReadFile(dst)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("copy differs (%v)", err)
	}
	noTemps(t, filepath.Dir(dst))
}

func TestStalledFileIsRetriedAndResumes(t *testing.T) {
	t.Parallel()
	src, data, dst := bigFile(t, 11)
	flaky := newFlaky(localFS(), src, 16<<20, "stall", 1)
	// The stall is for good, so the timeout only has to be longer than
	// any pause of a healthy copy on a busy machine: 300 ms was not,
	// under -race with other tests running (a second, false stall).
	e, rec := newEngine(t, transfer.Options{StallTimeout: 2 * time.Second})
	run(t, e, transfer.Request{Src: flaky, Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: dst}}})
	j := jobFor(t, e, src)
	if j.State != transfer.Done || j.Attempt != 1 || j.Resumed == 0 {
		t.Fatalf("job: %v attempt %d resumed %d: %v", j.State, j.Attempt, j.Resumed, j.Err)
	}
	if n := flaky.aborts.Load(); n != 1 {
		t.Errorf("%d aborts, want 1: the stalled connection must be closed", n)
	}
	ev := rec.waitFor(t, "a retry notice", func(ev transfer.Event) bool {
		return ev.Kind == transfer.Notice && strings.Contains(ev.Message, "stalled")
	})
	if !strings.Contains(ev.Message, "trying again (1 of 3)") {
		t.Errorf("notice %q", ev.Message)
	}
	sameCopy(t, dst, data)
}

func TestCancelUnblocksACallOnASilentServer(t *testing.T) {
	t.Parallel()
	src, _, dst := bigFile(t, 12)
	flaky := newFlaky(localFS(), src, 16<<20, "stall", 1)
	e, _ := newEngine(t, transfer.Options{StallTimeout: -1})
	if _, err := e.Submit(transfer.Request{Src: flaky, Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: dst}}}); err != nil {
		t.Fatal(err)
	}
	<-flaky.reached
	j := jobFor(t, e, src)
	if err := e.Cancel(j.ID); err != nil {
		t.Fatal(err)
	}
	wait(t, e) // would hang without the abort: the reader ignores its context
	j, _ = e.Job(j.ID)
	if j.State != transfer.Cancelled || j.Attempt != 0 {
		t.Fatalf("job: %v attempt %d: %v", j.State, j.Attempt, j.Err)
	}
	if flaky.aborts.Load() != 1 {
		t.Errorf("%d aborts, want 1", flaky.aborts.Load())
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(dst), ".copy.ferry-part.meta")); err != nil {
		t.Errorf("the partial copy's resume record is gone: %v", err)
	}
	if want := filepath.Join(filepath.Dir(dst), ".copy.ferry-part"); j.Partial != want {
		t.Errorf("JobStatus.Partial = %q, want %q", j.Partial, want)
	}
}

func TestLostConnectionIsRetriedOnceBack(t *testing.T) {
	t.Parallel()
	src, data, dst := bigFile(t, 13)
	flaky := newFlaky(localFS(), src, 16<<20, "drop", 1)
	e, _ := newEngine(t, transfer.Options{})
	run(t, e, transfer.Request{Src: flaky, Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: dst}}})
	j := jobFor(t, e, src)
	if j.State != transfer.Done || j.Attempt != 1 || j.Resumed < 8<<20 {
		t.Fatalf("job: %v attempt %d resumed %d: %v", j.State, j.Attempt, j.Resumed, j.Err)
	}
	if flaky.aborts.Load() != 0 {
		t.Errorf("a dropped connection was aborted again")
	}
	if s := e.Snapshot(); s.DoneBytes != int64(len(data)) || s.TotalBytes != int64(len(data)) {
		t.Errorf("snapshot bytes %d of %d, want %d", s.DoneBytes, s.TotalBytes, len(data))
	}
	sameCopy(t, dst, data)
}

func TestRetriesAreBounded(t *testing.T) {
	t.Parallel()
	src, _, dst := bigFile(t, 14)
	flaky := newFlaky(localFS(), src, 1<<20, "drop", 100)
	e, _ := newEngine(t, transfer.Options{Retries: 2})
	run(t, e, transfer.Request{Src: flaky, Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: dst}}})
	j := jobFor(t, e, src)
	if j.State != transfer.Failed || j.Attempt != 2 {
		t.Fatalf("job: %v attempt %d: %v", j.State, j.Attempt, j.Err)
	}
	var cl interface{ ConnectionLost() bool }
	if !errors.As(j.Err, &cl) {
		t.Errorf("error %v does not say the connection was lost", j.Err)
	}
}

func TestConnectionNotRestoredFailsTheFile(t *testing.T) {
	t.Parallel()
	src, _, dst := bigFile(t, 15)
	flaky := newFlaky(localFS(), src, 1<<20, "drop", 1)
	flaky.waitErr = errors.New("host key changed")
	e, _ := newEngine(t, transfer.Options{})
	run(t, e, transfer.Request{Src: flaky, Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: dst}}})
	j := jobFor(t, e, src)
	if j.State != transfer.Failed || !errors.Is(j.Err, transfer.ErrNotRestored) || !strings.Contains(j.Err.Error(), "host key changed") {
		t.Fatalf("job: %v: %v", j.State, j.Err)
	}
}

func TestPartialCopyOffersResume(t *testing.T) {
	t.Parallel()
	src, data, dst := bigFile(t, 16)
	gate := newGate(localFS(), src, 16<<20)
	e, rec := newEngine(t, transfer.Options{})
	if _, err := e.Submit(transfer.Request{Src: gate, Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: dst}}}); err != nil {
		t.Fatal(err)
	}
	gate.waitReached(t)
	e.CancelAll()
	gate.open()
	wait(t, e)

	// A new copy of the same file (F5 again) asks instead of starting over.
	if _, err := e.Submit(transfer.Request{Src: localFS(), Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: dst}}}); err != nil {
		t.Fatal(err)
	}
	ev := rec.waitFor(t, "a conflict", func(ev transfer.Event) bool { return ev.Kind == transfer.JobConflict })
	if !ev.Conflict.Partial || ev.Conflict.DstSize < 8<<20 {
		t.Fatalf("conflict %+v", ev.Conflict)
	}
	if err := e.Answer(ev.Job, transfer.Answer{Choice: transfer.Resume}); err != nil {
		t.Fatal(err)
	}
	wait(t, e)
	j, _ := e.Job(ev.Job)
	if j.State != transfer.Done || j.Resumed == 0 {
		t.Fatalf("job: %v resumed %d: %v", j.State, j.Resumed, j.Err)
	}
	sameCopy(t, dst, data)
}

// dropListing is a file system whose connection drops during the first
// listings of one directory.
type dropListing struct {
	*flakyFS
	dir   string
	fails atomic.Int32
}

func (d *dropListing) ReadDir(ctx context.Context, name string) ([]fs.FileInfo, error) {
	if name == d.dir && d.fails.Add(-1) >= 0 {
		d.mu.Lock()
		d.gen++
		d.mu.Unlock()
		return nil, &fs.PathError{Op: "ls", Path: name, Err: errLost{}}
	}
	return d.flakyFS.ReadDir(ctx, name)
}

func TestListingRetriedAfterLostConnection(t *testing.T) {
	t.Parallel()
	src := filepath.Join(t.TempDir(), "tree")
	makeTree(t, src)
	d := &dropListing{flakyFS: newFlaky(localFS(), "", 0, "drop", 0), dir: src}
	d.fails.Store(2)
	dst := filepath.Join(t.TempDir(), "copy")
	e, rec := newEngine(t, transfer.Options{})
	id := run(t, e, transfer.Request{Src: d, Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: dst}}})
	compareTrees(t, src, dst)
	rec.finished(t, id)
	if n := len(rec.of(transfer.Notice)); n != 2 {
		t.Errorf("%d notices, want one per retried listing", n)
	}
}

func TestRangedRecordOverAShortPartialRestarts(t *testing.T) {
	t.Parallel()
	src, data, dst := bigFile(t, 17)
	// A ranged upload whose server died before the data landed: the
	// record says the ranges got far, the partial file is empty.
	tmp := filepath.Join(filepath.Dir(dst), ".copy.ferry-part")
	writeFile(t, tmp, nil, 0o644, baseTime)
	fi, err := os.Stat(src)
	if err != nil {
		t.Fatal(err)
	}
	rec := fmt.Sprintf("ferry-part 1\nsize %d\nmtime %d\nrange 0 9000000\nrange 12582912 23000000\n", fi.Size(), fi.ModTime().UnixNano())
	writeFile(t, tmp+".meta", []byte(rec), 0o600, baseTime)
	e, _ := newEngine(t, transfer.Options{})
	run(t, e, transfer.Request{Src: localFS(), Dst: localFS(), Policy: transfer.Resume, Items: []transfer.Item{{Src: src, Dst: dst}}})
	j := jobFor(t, e, src)
	if j.State != transfer.Done || j.Resumed != 0 {
		t.Fatalf("job: %v resumed %d: %v", j.State, j.Resumed, j.Err)
	}
	sameCopy(t, dst, data)
}

// errGaveUp is what a session that could not reconnect returns.
type errGaveUp struct{}

func (errGaveUp) Error() string {
	return "connection to box lost; reconnecting failed after 6 attempt(s)"
}
func (errGaveUp) NotRestored() bool { return true }

func TestDeadHostFailsQueuedFilesAtOnce(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var items []transfer.Item
	for i := range 4 {
		src := filepath.Join(dir, fmt.Sprintf("f%d", i))
		writeFile(t, src, randBytes(uint64(30+i), 2<<20), 0o644, baseTime)
		items = append(items, transfer.Item{Src: src, Dst: filepath.Join(dir, fmt.Sprintf("copy%d", i))})
	}
	flaky := newFlaky(localFS(), "*", 1<<20, "drop", 100)
	flaky.reached = nil
	flaky.down, flaky.waitErr = true, errGaveUp{}
	e, _ := newEngine(t, transfer.Options{Workers: 1})
	run(t, e, transfer.Request{Src: flaky, Dst: localFS(), Items: items})
	for _, it := range items {
		j := jobFor(t, e, it.Src)
		if j.State != transfer.Failed || !errors.Is(j.Err, transfer.ErrNotRestored) {
			t.Errorf("%s: %v: %v", it.Src, j.State, j.Err)
		}
	}
	if n := flaky.waits.Load(); n != 1 {
		t.Errorf("%d waits for the connection, want 1: the files behind the first must not each wait through another round", n)
	}
	// Retrying asks the connection again.
	e.RetryFailed()
	wait(t, e)
	if n := flaky.waits.Load(); n != 2 {
		t.Errorf("after RetryFailed: %d waits, want 2", n)
	}
}

func TestRetryUnderRenameKeepsItsName(t *testing.T) {
	t.Parallel()
	src, data, dst := bigFile(t, 18)
	writeFile(t, dst, []byte("old"), 0o644, baseTime)
	flaky := newFlaky(localFS(), src, 16<<20, "drop", 1)
	e, _ := newEngine(t, transfer.Options{})
	run(t, e, transfer.Request{Src: flaky, Dst: localFS(), Policy: transfer.Rename, Items: []transfer.Item{{Src: src, Dst: dst}}})
	j := jobFor(t, e, src)
	want := filepath.Join(filepath.Dir(dst), "copy (1)")
	if j.State != transfer.Done || j.Dst != want || j.Resumed == 0 {
		t.Fatalf("job: %v to %s resumed %d: %v", j.State, j.Dst, j.Resumed, j.Err)
	}
	sameCopy(t, want, data)
	if b, _ := os.ReadFile(dst); string(b) != "old" {
		t.Errorf("the original changed")
	}
}

func TestSkipForAllKeepsOtherPartials(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var items []transfer.Item
	for i := range 2 {
		src := filepath.Join(dir, fmt.Sprintf("big%d", i))
		writeFile(t, src, randBytes(uint64(40+i), 12<<20), 0o644, baseTime)
		dst := filepath.Join(dir, fmt.Sprintf("copy%d", i))
		tmp := filepath.Join(dir, fmt.Sprintf(".copy%d.ferry-part", i))
		writeFile(t, tmp, randBytes(9, 1<<20), 0o644, baseTime)
		items = append(items, transfer.Item{Src: src, Dst: dst})
	}
	e, rec := newEngine(t, transfer.Options{Workers: 1})
	if _, err := e.Submit(transfer.Request{Src: localFS(), Dst: localFS(), Items: items}); err != nil {
		t.Fatal(err)
	}
	ev := rec.waitFor(t, "a conflict", func(ev transfer.Event) bool { return ev.Kind == transfer.JobConflict })
	if err := e.Answer(ev.Job, transfer.Answer{Choice: transfer.Skip, ForAll: true}); err != nil {
		t.Fatal(err)
	}
	wait(t, e)
	for i, it := range items {
		j := jobFor(t, e, it.Src)
		if j.State != transfer.Skipped {
			t.Errorf("%s: %v: %v", it.Src, j.State, j.Err)
		}
		if fi, err := os.Stat(filepath.Join(dir, fmt.Sprintf(".copy%d.ferry-part", i))); err != nil || fi.Size() != 1<<20 {
			t.Errorf("partial %d: %v, %v", i, fi, err)
		}
	}
}

// busyFS is a flakyFS whose server keeps sending until quietAt.
type busyFS struct {
	*flakyFS
	quietAt time.Time
}

func (b *busyFS) LastReceived(uint64) time.Time {
	if now := time.Now(); now.Before(b.quietAt) {
		return now
	}
	return b.quietAt
}

func TestCancelDoesNotCloseAConnectionStillReceiving(t *testing.T) {
	t.Parallel()
	src, _, dst := bigFile(t, 19)
	b := &busyFS{flakyFS: newFlaky(localFS(), src, 16<<20, "stall", 1)}
	e, _ := newEngine(t, transfer.Options{StallTimeout: -1})
	if _, err := e.Submit(transfer.Request{Src: b, Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: dst}}}); err != nil {
		t.Fatal(err)
	}
	<-b.reached
	// A slow link: the server goes on sending for 2.5 s after the cancel.
	b.quietAt = time.Now().Add(2500 * time.Millisecond)
	j := jobFor(t, e, src)
	if err := e.Cancel(j.ID); err != nil {
		t.Fatal(err)
	}
	wait(t, e)
	if n := b.aborts.Load(); n != 1 {
		t.Fatalf("%d aborts, want 1 once the link fell silent", n)
	}
	if time.Now().Before(b.quietAt) {
		t.Fatal("the connection was closed while it was still receiving")
	}
}

func TestMissingParentNamedByTheDestination(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := filepath.Join(dir, "f")
	writeFile(t, src, []byte("x"), 0o644, baseTime)
	dst := filepath.Join(dir, "no", "such", "f")
	e, _ := newEngine(t, transfer.Options{})
	run(t, e, transfer.Request{Src: localFS(), Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: dst}}})
	j := jobFor(t, e, src)
	if j.State != transfer.Failed || !errors.Is(j.Err, fs.ErrNotExist) || strings.Contains(j.Err.Error(), "ferry-part") ||
		!strings.Contains(j.Err.Error(), filepath.Join(dir, "no", "such")) {
		t.Fatalf("job: %v: %v", j.State, j.Err)
	}
}
