package transfer_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/remote"
	"github.com/ferry-tui/ferry/transfer"
)

// These tests download over a session from remote.Dial, whose FS streams
// large files over SFTP channels of their own (remote.FS.StreamFile).

// countStreams counts the engine's StreamFile calls, the ones a stream
// handled, and the offsets asked for, and lets a test wrap the writer of
// each call. It offers no download ranges (StreamParts is 1), so every
// large download goes through StreamFile however slow the machine makes
// loopback look.
type countStreams struct {
	*remote.FS
	n, handled atomic.Int32
	// wrap, when set, wraps the writer of the call numbered call (1 for
	// the first).
	wrap func(call int32, dst io.Writer) io.Writer

	mu   sync.Mutex
	offs []int64
}

// StreamParts hides the session's download ranges.
func (c *countStreams) StreamParts() int { return 1 }

func (c *countStreams) StreamFile(ctx context.Context, name string, off int64, dst io.Writer) (int64, bool, error) {
	call := c.n.Add(1)
	c.mu.Lock()
	c.offs = append(c.offs, off)
	c.mu.Unlock()
	if c.wrap != nil {
		dst = c.wrap(call, dst)
	}
	n, handled, err := c.FS.StreamFile(ctx, name, off, dst)
	if handled {
		c.handled.Add(1)
	}
	return n, handled, err
}

// offsets returns the offsets StreamFile was called with.
func (c *countStreams) offsets() []int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]int64(nil), c.offs...)
}

var _ transfer.Streamer = (*countStreams)(nil)

// afterWriter passes writes on to w and calls hit once, after the write
// that brings the total to at least after bytes.
type afterWriter struct {
	w     io.Writer
	after int64
	n     int64
	hit   func()
	done  bool
}

func (a *afterWriter) Write(b []byte) (int, error) {
	n, err := a.w.Write(b)
	a.n += int64(n)
	if !a.done && a.n >= a.after {
		a.done = true
		a.hit()
	}
	return n, err
}

// checkDownloaded fails t unless dst holds data with mode and mtime.
func checkDownloaded(t *testing.T, dst string, data []byte, mode os.FileMode, mtime time.Time) {
	t.Helper()
	got, err := os.ReadFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, data) {
		t.Fatalf("%s differs from the source (%d bytes, want %d)", dst, len(got), len(data))
	}
	fi, err := os.Stat(dst)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != mode || !fi.ModTime().Equal(mtime) {
		t.Errorf("%s: mode %v time %v, want %v %v", dst, fi.Mode().Perm(), fi.ModTime(), mode, mtime)
	}
}

// TestSSHDStreamedDownload downloads a 20 MiB file, which goes through a
// stream: exact bytes, mode and time kept, one stream channel more on the
// server, no temporary files. Files below streamMin (8 MiB remaining)
// take the ordinary path.
func TestSSHDStreamedDownload(t *testing.T) {
	t.Parallel()
	s := startSSHD(t)
	sess := dialSession(t, s)
	out := t.TempDir()
	mtime := baseTime.Add(time.Hour)
	for _, c := range []struct {
		name   string
		size   int
		stream bool
	}{
		{"big.bin", 20 << 20, true},
		{"small.bin", 1 << 20, false},
		{"just-under.bin", 8<<20 - 1, false},
		{"exactly-min.bin", 8 << 20, true},
	} {
		data := randBytes(uint64(20+c.size), c.size)
		src := path.Join(s.Dir, c.name)
		writeFile(t, src, data, 0o640, mtime)
		dst := filepath.Join(out, c.name)
		cs := &countStreams{FS: sess.FS}
		before := sftpSubsystems(t, s)
		e, _ := newEngine(t, transfer.Options{})
		run(t, e, transfer.Request{Src: cs, Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: dst}}})
		onlyDone(t, e)
		checkDownloaded(t, dst, data, 0o640, mtime)
		want := int32(0)
		if c.stream {
			want = 1
		}
		if n, h := cs.n.Load(), cs.handled.Load(); n != want || h != want {
			t.Errorf("%s (%d bytes): %d StreamFile calls, %d handled; want %d", c.name, c.size, n, h, want)
		}
		if offs := cs.offsets(); c.stream && (len(offs) != 1 || offs[0] != 0) {
			t.Errorf("%s: streamed from offsets %v, want [0]", c.name, offs)
		}
		if j := jobFor(t, e, src); j.Done != int64(c.size) || j.Resumed != 0 {
			t.Errorf("%s: job done %d of %d, resumed %d", c.name, j.Done, c.size, j.Resumed)
		}
		// The first stream opens the session's stream channel; later
		// ones reuse it, and the ordinary path opens none.
		wantSubs := 0
		if c.name == "big.bin" {
			wantSubs = 1
		}
		if n := sftpSubsystems(t, s) - before; n != wantSubs {
			t.Errorf("%s: %d new sftp channels, want %d", c.name, n, wantSubs)
		}
	}
	noTemps(t, out)
}

// TestSSHDStreamedDownloadCancelRetryResumes cancels a streamed download
// while its writer is held after 16 MiB, then retries it: the retry
// resumes from the partial file, over a stream from the resume offset, and
// the result is exact.
func TestSSHDStreamedDownloadCancelRetryResumes(t *testing.T) {
	t.Parallel()
	s := startSSHD(t)
	sess := dialSession(t, s)
	// newGate cannot hold a stream: it gates Open's reader, and its
	// embedded transfer.FS hides StreamFile. The stream's writer is held
	// instead.
	data := randBytes(40, 30<<20)
	mtime := baseTime.Add(2 * time.Hour)
	src := path.Join(s.Dir, "big.bin")
	writeFile(t, src, data, 0o644, mtime)
	out := t.TempDir()
	dst := filepath.Join(out, "big.bin")

	reached, release := make(chan struct{}), make(chan struct{})
	var releaseOnce sync.Once
	defer releaseOnce.Do(func() { close(release) })
	cs := &countStreams{FS: sess.FS, wrap: func(call int32, dst io.Writer) io.Writer {
		if call != 1 {
			return dst
		}
		return &afterWriter{w: dst, after: 16 << 20, hit: func() {
			close(reached)
			<-release
		}}
	}}
	e, _ := newEngine(t, transfer.Options{})
	if _, err := e.Submit(transfer.Request{Src: cs, Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: dst}}}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-reached:
	case <-time.After(waitTimeout):
		t.Fatalf("the stream never wrote 16 MiB; %d StreamFile calls", cs.n.Load())
	}
	j := jobFor(t, e, src)
	if err := e.Cancel(j.ID); err != nil {
		t.Fatal(err)
	}
	releaseOnce.Do(func() { close(release) })
	wait(t, e)
	if j, _ = e.Job(j.ID); j.State != transfer.Cancelled {
		t.Fatalf("after cancel: %v %v", j.State, j.Err)
	}
	tmp := filepath.Join(out, ".big.bin.ferry-part")
	part, err := os.ReadFile(tmp)
	if err != nil || len(part) < 16<<20 || len(part) >= len(data) || !bytes.Equal(part, data[:len(part)]) {
		t.Fatalf("partial file after cancel: %d bytes, err %v; want a prefix of at least 16 MiB", len(part), err)
	}
	if _, err := os.Stat(tmp + ".meta"); err != nil {
		t.Fatalf("resume record: %v", err)
	}
	if _, err := os.Stat(dst); err == nil {
		t.Fatal("the target exists after a cancelled download")
	}

	if err := e.Retry(j.ID); err != nil {
		t.Fatal(err)
	}
	wait(t, e)
	if j, _ = e.Job(j.ID); j.State != transfer.Done || j.Resumed < 8<<20 || j.Resumed != int64(len(part))-5<<20 {
		t.Fatalf("after retry of a %d-byte partial file: %+v", len(part), j)
	}
	if offs := cs.offsets(); len(offs) != 2 || offs[0] != 0 || offs[1] != j.Resumed {
		t.Errorf("StreamFile offsets %v, want [0 %d]: the retry should stream from where it resumed", offs, j.Resumed)
	}
	if h := cs.handled.Load(); h != 2 {
		t.Errorf("%d streams handled, want 2", h)
	}
	checkDownloaded(t, dst, data, 0o644, mtime)
	noTemps(t, out)
}

// TestSSHDStreamedDownloadKilledLeavesTargetIntactAndResumes cuts the
// connection after 12 MiB of a streamed download over an existing file:
// the job fails naming the source, the old file is untouched, the partial
// file and its resume record stay, and a new session resumes from them.
func TestSSHDStreamedDownloadKilledLeavesTargetIntactAndResumes(t *testing.T) {
	t.Parallel()
	s := startSSHD(t)
	sess := dialSession(t, s)
	out := t.TempDir()
	old := randBytes(50, 5<<20)
	target := filepath.Join(out, "target.bin")
	writeFile(t, target, old, 0o644, baseTime)
	data := randBytes(51, 40<<20)
	mtime := baseTime.Add(3 * time.Hour)
	src := path.Join(s.Dir, "new.bin")
	writeFile(t, src, data, 0o640, mtime)

	cs := &countStreams{FS: sess.FS, wrap: func(_ int32, dst io.Writer) io.Writer {
		return &afterWriter{w: dst, after: 16 << 20, hit: func() { sess.SSH().Close() }}
	}}
	// No retries: this is about what a dropped link leaves for a later
	// run (recover_test.go covers the retries).
	e, _ := newEngine(t, transfer.Options{Retries: -1})
	run(t, e, transfer.Request{Src: cs, Dst: localFS(), Policy: transfer.Overwrite, Items: []transfer.Item{{Src: src, Dst: target}}})
	j := jobFor(t, e, src)
	t.Logf("job after the link dropped: %v %v", j.State, j.Err)
	if j.State != transfer.Failed || j.Err == nil || !strings.Contains(j.Err.Error(), src) {
		t.Fatalf("job after the link dropped: %v %v; want failed naming %s", j.State, j.Err, src)
	}
	if n, h := cs.n.Load(), cs.handled.Load(); n != 1 || h != 1 {
		t.Fatalf("%d StreamFile calls, %d handled; want one stream", n, h)
	}
	if got, _ := os.ReadFile(target); !bytes.Equal(got, old) {
		t.Fatal("the old target changed")
	}
	tmp := filepath.Join(out, ".target.bin.ferry-part")
	part, err := os.ReadFile(tmp)
	if err != nil || len(part) < 16<<20 || len(part) >= len(data) || !bytes.Equal(part, data[:len(part)]) {
		t.Fatalf("partial download: %d bytes, err %v; want a prefix of at least 16 MiB", len(part), err)
	}
	if fi, err := os.Stat(tmp); err != nil || fi.Mode().Perm() != 0o640 {
		t.Errorf("partial download: %v, %v; want the source's mode 0640 from the start", fi, err)
	}
	if _, err := os.Stat(tmp + ".meta"); err != nil {
		t.Fatalf("resume record: %v", err)
	}

	// A new connection and a new engine resume it, again over a stream.
	cs2 := &countStreams{FS: dialSession(t, s).FS}
	e2, _ := newEngine(t, transfer.Options{})
	run(t, e2, transfer.Request{Src: cs2, Dst: localFS(), Policy: transfer.Resume, Items: []transfer.Item{{Src: src, Dst: target}}})
	j = jobFor(t, e2, src)
	// The resume starts 5 MiB (the engine's rewind) before the partial
	// file's end.
	if j.State != transfer.Done || j.Resumed < 8<<20 || j.Resumed != int64(len(part))-5<<20 {
		t.Fatalf("resume of a %d-byte partial file: %+v", len(part), j)
	}
	if offs := cs2.offsets(); len(offs) != 1 || offs[0] != j.Resumed || cs2.handled.Load() != 1 {
		t.Errorf("resume streamed from %v (%d handled), want [%d]", offs, cs2.handled.Load(), j.Resumed)
	}
	checkDownloaded(t, target, data, 0o640, mtime)
	noTemps(t, out)
}
