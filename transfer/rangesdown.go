package transfer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
)

// RangeStreamer is implemented by file systems that can read one large
// file as several byte ranges at once, each over a channel of its own
// (remote.FS: stream channels on the same SSH connection). One SSH channel
// carries at most about one window per round trip, so a single stream
// cannot fill a long link; a download spread over several can.
type RangeStreamer interface {
	// StreamParts is how many ranges may be read at once; 1 means none.
	StreamParts() int
	// LeaseStreams lends up to n channels: one copy function per channel
	// it got (none when fewer than two), and release, called once every
	// copy has returned. Copy i reads name from off up to end (or its
	// end of file) into dst, in order, and returns the bytes written.
	LeaseStreams(ctx context.Context, n int) (copies []func(ctx context.Context, name string, off, end int64, dst io.Writer) (int64, error), release func())
}

// errRangeShort is the error of a range that ended before its end: the
// source shrank while it was copied (the server is not to blame).
var errRangeShort = errors.New("the file ended early: it changed while it was copied")

// localWriterAt is a local file written at offsets (an *os.File).
type localWriterAt interface {
	io.WriterAt
	Fd() uintptr
}

// tryRangedDownload downloads a large source into the local temporary
// file dst as byte ranges read at once over several channels of the
// source file system, each written at its offset; done reports whether it
// did. A partial copy that was itself fetched in ranges continues each
// range where it got to, over as many channels as it can lease (one will
// do); any other resumed download keeps its single stream.
func (w *safeWrite) tryRangedDownload(dst io.Writer) (n int64, done bool, err error) {
	rs, ok := w.sfs.(RangeStreamer)
	wa, local := dst.(localWriterAt)
	size := w.j.info.Size()
	if !ok || !local || w.e.opts.NoRanges || rs.StreamParts() < 2 || (w.ranges == nil && w.off > 0) {
		return 0, false, nil
	}
	marks := w.ranges
	want := len(marks)
	if marks == nil {
		if want = w.e.opts.sizes.rangeParts(rs.StreamParts(), size); want < 2 {
			return 0, false, nil
		}
	}
	// The file system lends as many channels as the link needs (one on
	// loopback, where the window is no limit) and the server allows.
	copies, release := rs.LeaseStreams(w.ctx, want)
	defer release()
	if len(copies) == 0 {
		// One stream, from the first range's point.
		return 0, false, nil
	}
	if marks == nil {
		parts := len(copies)
		chunk := size / int64(parts)
		marks = make([]rangeMark, parts)
		for i := range marks {
			marks[i] = rangeMark{start: int64(i) * chunk, done: int64(i) * chunk}
		}
	}
	return w.rangedDownload(copies, wa, size, marks)
}

// rangedDownload reads the source's ranges, one per mark from its done
// offset to the next mark's start (the last to size), over the leased
// copies, as many at once as there are copies, writing each into dst at
// its offset. The resume record lists every range and how far it has been
// written, as a ranged upload's does. On success n is how far past w.off
// the file is now complete.
func (w *safeWrite) rangedDownload(copies []func(ctx context.Context, name string, off, end int64, dst io.Writer) (int64, error), dst io.WriterAt, size int64, marks []rangeMark) (n int64, done bool, err error) {
	parts := len(marks)
	end := func(i int) int64 {
		if i == parts-1 {
			return size
		}
		return marks[i+1].start
	}
	rec := newRangeRecord(marks)
	if w.metaMade {
		// A record that does not list the ranges would make a resume
		// continue after holes: without one, no ranges.
		if err := w.writeMeta(w.ctx, rec.marks()); err != nil {
			w.e.notice(w.j.b, w.dst, fmt.Sprintf("fetching %s as one stream: cannot record the progress of parallel ranges (%v)", w.j.src, err))
			return 0, false, nil
		}
	}
	ctx, cancel := context.WithCancel(w.ctx)
	defer cancel()
	stopRec := w.keepRecord(ctx, rec)
	p := &progress{ctx: ctx, e: w.e, j: w.j}
	todo := make(chan int, parts)
	for i := range parts {
		todo <- i
	}
	close(todo)
	var (
		wg                sync.WaitGroup
		mu                sync.Mutex
		readErr, writeErr error
	)
	fail := func(rerr, werr error) {
		mu.Lock()
		defer mu.Unlock()
		if readErr == nil && writeErr == nil {
			readErr, writeErr = rerr, werr
			cancel()
		}
	}
	for _, copyRange := range copies {
		wg.Go(func() {
			for i := range todo {
				if err := ctx.Err(); err != nil {
					// Stopped between two ranges: what is left of
					// them is not in the file.
					fail(err, nil)
					return
				}
				from, to := marks[i].done, end(i)
				rw := &rangeWriter{w: dst, off: from, p: p, pos: &rec.pos[i]}
				got, err := copyRange(ctx, w.j.src, from, to, rw)
				switch {
				case rw.err != nil:
					fail(nil, rw.err)
				case err != nil:
					fail(err, nil)
				case got != to-from:
					fail(fmt.Errorf("range at %d: read %d of %d bytes: %w", from, got, to-from, errRangeShort), nil)
				default:
					continue
				}
				return
			}
		})
	}
	wg.Wait()
	// Every range must have reached its end, whatever ended the workers:
	// a file with a hole in it is never taken for a complete one.
	if readErr == nil && writeErr == nil {
		for i := range parts {
			if got := rec.pos[i].Load(); got != end(i) {
				err := ctx.Err()
				if err == nil {
					err = fmt.Errorf("range at %d: read to %d of %d: %w", marks[i].start, got, end(i), errRangeShort)
				}
				readErr = err
				break
			}
		}
	}
	failed := readErr != nil || writeErr != nil
	stopRec(failed)
	switch {
	case writeErr != nil:
		return 0, true, explain(w.dfs, "write", w.tmp, writeErr)
	case readErr != nil:
		if !errors.Is(readErr, errRangeShort) {
			w.rangesFailed(w.sfs, "read", w.j.src, readErr)
		}
		return 0, true, explain(w.sfs, "read", w.j.src, readErr)
	}
	return size - w.off, true, nil
}

// rangeWriter writes one range of a download into the local file at its
// offset, counts the bytes, and records how far the range is written.
type rangeWriter struct {
	w   io.WriterAt
	off int64
	p   *progress
	pos *atomic.Int64
	err error // the last error Write returned
}

func (r *rangeWriter) Write(b []byte) (int, error) {
	if err := r.p.check(); err != nil {
		r.err = err
		return 0, err
	}
	n, err := r.w.WriteAt(b, r.off)
	r.off += int64(n)
	r.p.add(n)
	r.pos.Store(r.off)
	if err != nil {
		r.err = err
	}
	return n, err
}
