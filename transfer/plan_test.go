package transfer_test

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/transfer"
)

// loopInfo is a directory entry that is its own parent, as a bind mount
// or a lying server can make it.
type loopInfo struct {
	fs.FileInfo
}

func (loopInfo) Name() string { return "again" }

// loopFS lists, in every directory, an entry "again" that is the directory
// itself.
type loopFS struct{ transfer.FS }

func (l loopFS) ReadDir(ctx context.Context, name string) ([]fs.FileInfo, error) {
	real := name
	for strings.HasSuffix(real, string(filepath.Separator)+"again") {
		real = filepath.Dir(real)
	}
	fis, err := l.FS.ReadDir(ctx, real)
	if err != nil {
		return nil, err
	}
	self, err := os.Lstat(real)
	if err != nil {
		return nil, err
	}
	return append(fis, loopInfo{self}), nil
}

func TestDirectoryLoopDetected(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	writeFile(t, filepath.Join(src, "f"), []byte("x"), 0o644, baseTime)
	e, _ := newEngine(t, transfer.Options{})
	run(t, e, transfer.Request{Src: loopFS{localFS()}, Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: filepath.Join(dir, "dst")}}})
	j := jobFor(t, e, filepath.Join(src, "again"))
	if j.State != transfer.Failed || !errors.Is(j.Err, transfer.ErrLoop) {
		t.Fatalf("loop: %v %v", j.State, j.Err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "dst", "f")); string(b) != "x" {
		t.Errorf("the rest of the tree was not copied: %q", b)
	}
}

// blockFS blocks ReadDir of one directory until released, and Open of
// large files until released, counting how many of those are open.
type blockFS struct {
	transfer.FS
	blockDir string
	dirGate  chan struct{}

	mu        sync.Mutex
	largeOpen int
	largePeak int
	largeGate chan struct{}
	largeIn   chan struct{}
}

func (b *blockFS) ReadDir(ctx context.Context, name string) ([]fs.FileInfo, error) {
	if name == b.blockDir {
		<-b.dirGate
	}
	return b.FS.ReadDir(ctx, name)
}

func (b *blockFS) Open(ctx context.Context, name string) (io.ReadCloser, error) {
	if !strings.HasPrefix(filepath.Base(name), "large") || b.largeGate == nil {
		return b.FS.Open(ctx, name)
	}
	b.mu.Lock()
	b.largeOpen++
	b.largePeak = max(b.largePeak, b.largeOpen)
	b.mu.Unlock()
	b.largeIn <- struct{}{}
	<-b.largeGate
	b.mu.Lock()
	b.largeOpen--
	b.mu.Unlock()
	return b.FS.Open(ctx, name)
}

func TestPlanningStreams(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	for i := range 10 {
		writeFile(t, filepath.Join(src, "a", string(rune('a'+i))), []byte("x"), 0o644, baseTime)
	}
	writeFile(t, filepath.Join(src, "z", "later"), []byte("y"), 0o644, baseTime)
	bfs := &blockFS{FS: localFS(), blockDir: filepath.Join(src, "z"), dirGate: make(chan struct{})}
	e, rec := newEngine(t, transfer.Options{})
	if _, err := e.Submit(transfer.Request{Src: bfs, Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: filepath.Join(dir, "dst")}}}); err != nil {
		t.Fatal(err)
	}
	// While the walk is stuck in z, the files of a are copied.
	deadline := time.Now().Add(waitTimeout)
	for {
		s := e.Snapshot()
		if s.States[transfer.Done] >= 10 {
			if !s.Counting || s.ETA != -1 {
				t.Errorf("walk still under way but Counting %v, ETA %v", s.Counting, s.ETA)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no progress while the walk is blocked: %+v", s)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if len(rec.of(transfer.BatchPlanned)) != 0 {
		t.Error("BatchPlanned before the walk ended")
	}
	close(bfs.dirGate)
	wait(t, e)
	onlyDone(t, e)
	if e.Snapshot().Counting {
		t.Error("still counting after the walk")
	}
}

func TestLargeFilesCapped(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	for i := range 3 {
		writeFile(t, filepath.Join(src, "large"+string(rune('a'+i))), randBytes(uint64(i), 8<<20), 0o644, baseTime)
	}
	for i := range 6 {
		writeFile(t, filepath.Join(src, "small"+string(rune('a'+i))), []byte("s"), 0o644, baseTime)
	}
	bfs := &blockFS{FS: localFS(), largeGate: make(chan struct{}), largeIn: make(chan struct{}, 10)}
	e, _ := newEngine(t, transfer.Options{Workers: 4, MaxLarge: 1})
	if _, err := e.Submit(transfer.Request{Src: bfs, Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: filepath.Join(dir, "dst")}}}); err != nil {
		t.Fatal(err)
	}
	<-bfs.largeIn
	// One large file is held open; the small ones pass it.
	deadline := time.Now().Add(waitTimeout)
	for e.Snapshot().States[transfer.Done] < 7 { // the directory and 6 small files
		if time.Now().After(deadline) {
			t.Fatalf("small files held up behind a large one: %+v", e.Snapshot())
		}
		time.Sleep(5 * time.Millisecond)
	}
	close(bfs.largeGate)
	wait(t, e)
	onlyDone(t, e)
	if bfs.largePeak != 1 {
		t.Errorf("%d large files ran at once, want 1", bfs.largePeak)
	}
}
