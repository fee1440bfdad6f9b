package transfer_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/remote"
	"github.com/ferry-tui/ferry/transfer"
)

// cancelAfterLease stops every copy of its engine just after the stream
// channels for a ranged download were lent: a stop (or a quit, or a stall)
// arriving between two ranges.
type cancelAfterLease struct {
	*remote.FS
	e      func() *transfer.Engine
	leased atomic.Int32
}

func (f *cancelAfterLease) LeaseStreams(ctx context.Context, n int) ([]func(ctx context.Context, name string, off, end int64, dst io.Writer) (int64, error), func()) {
	copies, release := f.FS.LeaseStreams(ctx, n)
	f.leased.Add(1)
	f.e().CancelAll()
	return copies, release
}

// TestSSHDRangedDownloadStoppedBetweenRangesKeepsThePartial: a resumed
// ranged download whose last range is already complete, stopped before
// the range left to do is read, is not taken for a complete file: the
// target does not appear, and the partial with its hole stays partial.
// With the small sizes (a resume rewinds 1 MiB) a 10 MiB file will do.
func TestSSHDRangedDownloadStoppedBetweenRangesKeepsThePartial(t *testing.T) {
	t.Parallel()
	s := startSSHD(t)
	sess := dialDelayed(t, s, rangeRTT)
	const size = 10 << 20
	data := randomBytes(size)
	src := path.Join(s.Dir, "big.bin")
	if err := os.WriteFile(src, data, 0o644); err != nil {
		t.Fatal(err)
	}
	mt := time.Unix(1700000000, 0)
	if err := os.Chtimes(src, mt, mt); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	dst := filepath.Join(dir, "big.bin")
	tmp := filepath.Join(dir, ".big.bin.ferry-part")
	// The partial: everything but 4-5 MiB, which the record says is
	// still to be read (the second range is complete).
	part := bytes.Clone(data)
	clear(part[4<<20 : 5<<20])
	if err := os.WriteFile(tmp, part, 0o644); err != nil {
		t.Fatal(err)
	}
	rec := fmt.Sprintf("ferry-part 1\nsize %d\nmtime %d\nrange 0 %d\nrange %d %d\n", size, mt.UnixNano(), 4<<20, 5<<20, size)
	if err := os.WriteFile(tmp+".meta", []byte(rec), 0o600); err != nil {
		t.Fatal(err)
	}
	var e *transfer.Engine
	e, _ = newEngine(t, transfer.SmallSizes(transfer.Options{}))
	fsys := &cancelAfterLease{FS: sess.FS, e: func() *transfer.Engine { return e }}
	if _, err := e.Submit(transfer.Request{Src: fsys, Dst: localFS(), Policy: transfer.Resume, Items: []transfer.Item{{Src: src, Dst: dst}}}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := e.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	if fsys.leased.Load() == 0 {
		t.Fatal("the partial was not resumed in ranges: no stream channels were asked for")
	}
	j := e.Jobs(0, 1)[0]
	if j.State == transfer.Done {
		t.Errorf("the stopped download is done (%v)", j.Err)
	}
	if got, err := os.ReadFile(dst); err == nil {
		t.Fatalf("%s appeared (%d bytes, equal to the source: %v)", dst, len(got), bytes.Equal(got, data))
	}
}
