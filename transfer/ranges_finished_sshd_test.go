package transfer_test

import (
	"context"
	"crypto/sha256"
	"io"
	"os"
	"path"
	"path/filepath"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/remote"
	"github.com/ferry-tui/ferry/transfer"
)

// heldRanges is a server whose extra channels, the first time, write
// the first held bytes of their range and then wait until release is
// closed: the range written through the file's own handle finishes while
// the others wait.
type heldRanges struct {
	*remote.FS
	held    int64
	release chan struct{}
}

func (f heldRanges) OpenRangeWriter(ctx context.Context, name string, part int, off int64) (io.WriteCloser, error) {
	wc, err := f.FS.OpenRangeWriter(ctx, name, part, off)
	if err != nil {
		return nil, err
	}
	return &heldRange{WriteCloser: wc, held: f.held, release: f.release}, nil
}

type heldRange struct {
	io.WriteCloser
	held    int64
	release chan struct{}
}

func (h *heldRange) ReadFromWithConcurrency(r io.Reader, c int) (int64, error) {
	rf := h.WriteCloser.(transfer.ConcurrentReaderFrom)
	n, err := rf.ReadFromWithConcurrency(io.LimitReader(r, h.held), c)
	if err != nil {
		return n, err
	}
	<-h.release
	m, err := rf.ReadFromWithConcurrency(r, c)
	return n + m, err
}

// TestSSHDRangedUploadResumesAfterARangeFinished cancels a ranged upload
// after its first range has finished and while the others are part-way:
// the resume record then has a range that reached the next one's start.
// The retry must continue every range (before the fix such a record was
// refused as malformed, the partial copy thrown away and the file sent
// again from 0: "resumed 0 bytes").
func TestSSHDRangedUploadResumesAfterARangeFinished(t *testing.T) {
	t.Parallel()
	s := startSSHD(t)
	sess := dialSession(t, s)
	const size, held = 16 << 20, 2 << 20 // four ranges of 4 MiB
	src, data := randomSource(t, size)
	dst := path.Join(s.Dir, "big.bin")
	release := make(chan struct{})
	e, events := newEngine(t, transfer.SmallSizes(transfer.Options{}))
	defer logNotices(t, events)
	b, err := e.Submit(transfer.Request{Src: localFS(), Dst: heldRanges{FS: sess.FS, held: held, release: release}, Items: []transfer.Item{{Src: src, Dst: dst}}})
	if err != nil {
		t.Fatal(err)
	}
	// The first range is read whole and the three others held, once the
	// upload has read 4 MiB + 3 x 2 MiB; then wait until the server has
	// all of it.
	const sent = size/4 + 3*held
	part := filepath.Join(s.Dir, ".big.bin.ferry-part")
	deadline := time.Now().Add(waitTimeout)
	for e.Snapshot().DoneBytes < sent || stored(part) < sent {
		if time.Now().After(deadline) {
			t.Fatalf("the upload read %d bytes and the server holds %d, want %d", e.Snapshot().DoneBytes, stored(part), sent)
		}
		time.Sleep(time.Millisecond)
	}
	if err := e.CancelBatch(b.ID()); err != nil {
		t.Fatal(err)
	}
	close(release)
	wait(t, e)
	rec, err := os.ReadFile(filepath.Join(s.Dir, ".big.bin.ferry-part.meta"))
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range e.Jobs(0, 10) {
		if j.State == transfer.Cancelled {
			_ = e.Retry(j.ID)
		}
	}
	wait(t, e)
	// Each range is kept up to the rewind before where it got to.
	const want = sent - 4*transfer.SmallResumeRewind
	j := e.Jobs(0, 1)[0]
	if j.State != transfer.Done || j.Resumed != want {
		t.Fatalf("retry: %v, resumed %d bytes, want %d: %v\nresume record at the cancel:\n%s", j.State, j.Resumed, want, j.Err, rec)
	}
	got, err := os.ReadFile(dst)
	if err != nil || sha256.Sum256(got) != sha256.Sum256(data) {
		t.Fatalf("after retry the file differs (%d bytes, %v)", len(got), err)
	}
	noTemps(t, s.Dir)
}
