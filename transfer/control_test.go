package transfer_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/transfer"
)

func TestCancelMidFileThenRetryResumes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	data := randBytes(3, 24<<20)
	src := filepath.Join(dir, "big")
	dst := filepath.Join(dir, "copy")
	writeFile(t, src, data, 0o644, baseTime)
	gate := newGate(localFS(), src, 16<<20)
	e, _ := newEngine(t, transfer.Options{})
	if _, err := e.Submit(transfer.Request{Src: gate, Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: dst}}}); err != nil {
		t.Fatal(err)
	}
	gate.waitReached(t)
	j := jobFor(t, e, src)
	if j.State != transfer.Running || j.Done < 8<<20 {
		t.Fatalf("at the gate: %+v", j)
	}
	if err := e.Cancel(j.ID); err != nil {
		t.Fatal(err)
	}
	gate.open()
	wait(t, e)
	j, _ = e.Job(j.ID)
	if j.State != transfer.Cancelled {
		t.Fatalf("after cancel: %v %v", j.State, j.Err)
	}
	tmp := filepath.Join(dir, ".copy.ferry-part")
	if fi, err := os.Stat(tmp); err != nil || fi.Size() < 8<<20 {
		t.Fatalf("partial file: %v, %v", fi, err)
	}
	if _, err := os.Stat(tmp + ".meta"); err != nil {
		t.Fatalf("resume record: %v", err)
	}
	if _, err := os.Stat(dst); err == nil {
		t.Fatal("the target appeared although the copy was cancelled")
	}

	if err := e.Retry(j.ID); err != nil {
		t.Fatal(err)
	}
	wait(t, e)
	j, _ = e.Job(j.ID)
	if j.State != transfer.Done || j.Resumed == 0 || j.Done != int64(len(data)) {
		t.Fatalf("after retry: %+v", j)
	}
	got, _ := os.ReadFile(dst)
	if !bytes.Equal(got, data) {
		t.Fatal("resumed copy differs")
	}
	noTemps(t, dir)
}

func TestResumeRestartsWhenSourceChanged(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := filepath.Join(dir, "big")
	dst := filepath.Join(dir, "copy")
	writeFile(t, src, randBytes(4, 12<<20), 0o644, baseTime)
	gate := newGate(localFS(), src, 10<<20)
	e, _ := newEngine(t, transfer.Options{})
	if _, err := e.Submit(transfer.Request{Src: gate, Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: dst}}}); err != nil {
		t.Fatal(err)
	}
	gate.waitReached(t)
	e.CancelAll()
	gate.open()
	wait(t, e)
	// Same size, new content and time: the partial copy must not be used.
	data := randBytes(5, 12<<20)
	writeFile(t, src, data, 0o644, baseTime.Add(time.Minute))
	e2, _ := newEngine(t, transfer.Options{})
	run(t, e2, transfer.Request{Src: localFS(), Dst: localFS(), Policy: transfer.Resume, Items: []transfer.Item{{Src: src, Dst: dst}}})
	j := jobFor(t, e2, src)
	if j.State != transfer.Done || j.Resumed != 0 {
		t.Fatalf("job %+v; want done from scratch", j)
	}
	if got, _ := os.ReadFile(dst); !bytes.Equal(got, data) {
		t.Fatal("copy differs")
	}
}

func TestResumeRestartsWhenTailDiffers(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	data := randBytes(6, 16<<20)
	src := filepath.Join(dir, "big")
	dst := filepath.Join(dir, "copy")
	writeFile(t, src, data, 0o644, baseTime)
	gate := newGate(localFS(), src, 14<<20)
	e, _ := newEngine(t, transfer.Options{})
	if _, err := e.Submit(transfer.Request{Src: gate, Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: dst}}}); err != nil {
		t.Fatal(err)
	}
	gate.waitReached(t)
	e.CancelAll()
	gate.open()
	wait(t, e)
	// Corrupt the partial file everywhere; the tail check must notice.
	tmp := filepath.Join(dir, ".copy.ferry-part")
	fi, err := os.Stat(tmp)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tmp, make([]byte, fi.Size()), 0o644); err != nil {
		t.Fatal(err)
	}
	e2, _ := newEngine(t, transfer.Options{})
	run(t, e2, transfer.Request{Src: localFS(), Dst: localFS(), Policy: transfer.Resume, Items: []transfer.Item{{Src: src, Dst: dst}}})
	if j := jobFor(t, e2, src); j.State != transfer.Done || j.Resumed != 0 {
		t.Fatalf("job %+v; want done from scratch", j)
	}
	if got, _ := os.ReadFile(dst); !bytes.Equal(got, data) {
		t.Fatal("copy differs")
	}
}

func TestPauseHoldsQueueAndRunningTransfer(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	for i := range 20 {
		writeFile(t, filepath.Join(src, string(rune('a'+i))), randBytes(uint64(i), 1000), 0o644, baseTime)
	}
	e, _ := newEngine(t, transfer.Options{Workers: 3})
	e.Pause()
	if !e.Paused() {
		t.Fatal("not paused")
	}
	if _, err := e.Submit(transfer.Request{Src: localFS(), Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: filepath.Join(dir, "dst")}}}); err != nil {
		t.Fatal(err)
	}
	// The walk goes on while paused; no file starts.
	deadline := time.Now().Add(waitTimeout)
	for e.Snapshot().Counting && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	s := e.Snapshot()
	if s.States[transfer.Queued] != 20 || s.States[transfer.Done] != 1 || !s.Paused {
		t.Fatalf("paused: %+v", s)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := e.Wait(ctx); err == nil {
		t.Fatal("Wait returned while paused with queued jobs")
	}
	e.Resume()
	wait(t, e)
	onlyDone(t, e)
}

func TestPauseHoldsALargeFileMidway(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	data := randBytes(8, 12<<20)
	src := filepath.Join(dir, "big")
	writeFile(t, src, data, 0o644, baseTime)
	gate := newGate(localFS(), src, 9<<20)
	e, _ := newEngine(t, transfer.Options{})
	if _, err := e.Submit(transfer.Request{Src: gate, Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: filepath.Join(dir, "copy")}}}); err != nil {
		t.Fatal(err)
	}
	gate.waitReached(t)
	e.Pause()
	gate.open()
	time.Sleep(50 * time.Millisecond)
	j := jobFor(t, e, src)
	held := j.Done
	time.Sleep(100 * time.Millisecond)
	if j = jobFor(t, e, src); j.State != transfer.Running || j.Done != held || held > 10<<20 {
		t.Fatalf("paused transfer moved on: %+v (held at %d)", j, held)
	}
	e.Resume()
	wait(t, e)
	onlyDone(t, e)
	if got, _ := os.ReadFile(filepath.Join(dir, "copy")); !bytes.Equal(got, data) {
		t.Fatal("copy differs")
	}
}

// countFS counts how many files are open for reading at once and holds
// each open until released.
type countFS struct {
	transfer.FS
	mu      sync.Mutex
	open    int
	peak    int
	hold    chan struct{}
	entered chan struct{}
}

func (c *countFS) Open(ctx context.Context, name string) (io.ReadCloser, error) {
	c.mu.Lock()
	c.open++
	c.peak = max(c.peak, c.open)
	c.mu.Unlock()
	c.entered <- struct{}{}
	<-c.hold
	c.mu.Lock()
	c.open--
	c.mu.Unlock()
	return c.FS.Open(ctx, name)
}

func TestSetWorkersWhileRunning(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	for i := range 12 {
		writeFile(t, filepath.Join(src, string(rune('a'+i))), []byte{byte(i)}, 0o644, baseTime)
	}
	cfs := &countFS{FS: localFS(), hold: make(chan struct{}), entered: make(chan struct{}, 100)}
	e, _ := newEngine(t, transfer.Options{Workers: 2})
	if _, err := e.Submit(transfer.Request{Src: cfs, Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: filepath.Join(dir, "dst")}}}); err != nil {
		t.Fatal(err)
	}
	<-cfs.entered
	<-cfs.entered
	time.Sleep(30 * time.Millisecond)
	cfs.mu.Lock()
	if cfs.open != 2 {
		t.Errorf("%d files open with 2 workers", cfs.open)
	}
	cfs.mu.Unlock()
	e.SetWorkers(5)
	if e.Workers() != 5 {
		t.Errorf("Workers() = %d", e.Workers())
	}
	for range 3 {
		<-cfs.entered
	}
	cfs.mu.Lock()
	if cfs.open != 5 {
		t.Errorf("%d files open with 5 workers", cfs.open)
	}
	cfs.mu.Unlock()
	e.SetWorkers(1)
	close(cfs.hold)
	wait(t, e)
	onlyDone(t, e)
	if cfs.peak != 5 {
		t.Errorf("peak %d, want 5", cfs.peak)
	}
}

func TestEventsNeverBlockWorkers(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	for i := range 300 {
		writeFile(t, filepath.Join(src, "f"+string(rune('A'+i%26))+string(rune('a'+i/26))), []byte{byte(i)}, 0o644, baseTime)
	}
	// Nobody reads the events of this engine.
	e := transfer.New(transfer.Options{EventBuffer: 1})
	defer e.Close()
	b, err := e.Submit(transfer.Request{Src: localFS(), Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: filepath.Join(dir, "dst")}}})
	if err != nil {
		t.Fatal(err)
	}
	id := b.ID()
	wait(t, e)
	onlyDone(t, e)
	// The essential events are all there, in order, once someone reads.
	var finished bool
	timeout := time.After(waitTimeout)
	for !finished {
		select {
		case ev := <-e.Events():
			finished = ev.Kind == transfer.BatchFinished && ev.Batch == id
		case <-timeout:
			t.Fatal("BatchFinished never arrived")
		}
	}
}

func TestRetryFailedAfterFixingTheCause(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := filepath.Join(dir, "a")
	writeFile(t, src, []byte("data"), 0o644, baseTime)
	dst := filepath.Join(dir, "sub", "a") // its directory does not exist yet
	e, _ := newEngine(t, transfer.Options{})
	run(t, e, transfer.Request{Src: localFS(), Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: dst}}})
	if len(jobsIn(e, transfer.Failed)) != 1 {
		t.Fatalf("jobs %+v", e.Jobs(0, 0))
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if n := e.RetryFailed(); n != 1 {
		t.Fatalf("RetryFailed = %d", n)
	}
	wait(t, e)
	onlyDone(t, e)
	if s := e.Snapshot(); s.TotalBytes != 4 || s.DoneBytes != 4 {
		t.Errorf("bytes after retry: %+v", s)
	}
}

func TestCloseCancelsQueuedJobs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	for i := range 5 {
		writeFile(t, filepath.Join(src, string(rune('a'+i))), []byte("x"), 0o644, baseTime)
	}
	e := transfer.New(transfer.Options{})
	e.Pause()
	if _, err := e.Submit(transfer.Request{Src: localFS(), Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: filepath.Join(dir, "dst")}}}); err != nil {
		t.Fatal(err)
	}
	var seen atomic.Int64
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range e.Events() {
			seen.Add(1)
		}
	}()
	// Close once the walk has queued the files (paused, none starts).
	deadline := time.Now().Add(waitTimeout)
	for e.Snapshot().States[transfer.Queued] != 5 {
		if time.Now().After(deadline) {
			t.Fatalf("the files were not queued: %+v", e.Snapshot())
		}
		time.Sleep(time.Millisecond)
	}
	e.Close()
	<-done
	for _, j := range e.Jobs(0, 0) {
		if !j.State.Terminal() {
			t.Errorf("job %d %v after Close", j.ID, j.State)
		}
	}
	if _, err := e.Submit(transfer.Request{Src: localFS(), Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: filepath.Join(dir, "x")}}}); err == nil {
		t.Error("Submit after Close accepted")
	}
}

// An item whose source could not be listed was never planned: retrying it
// says so (it crashed the engine before) and RetryFailed passes over it.
func TestRetryUnplannedItemIsRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := filepath.Join(dir, "later")
	e, _ := newEngine(t, transfer.Options{})
	run(t, e, transfer.Request{Src: localFS(), Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: filepath.Join(dir, "copy")}}})
	failed := jobsIn(e, transfer.Failed)
	if len(failed) != 1 {
		t.Fatalf("jobs %+v", e.Jobs(0, 0))
	}
	writeFile(t, src, []byte("data"), 0o644, baseTime)
	if err := e.Retry(failed[0].ID); err == nil || !strings.Contains(err.Error(), "cannot be retried") {
		t.Fatalf("Retry = %v", err)
	}
	if n := e.RetryFailed(); n != 0 {
		t.Fatalf("RetryFailed = %d", n)
	}
	wait(t, e)
	if j, _ := e.Job(failed[0].ID); j.State != transfer.Failed {
		t.Fatalf("job after retry: %+v", j)
	}
}
