package transfer

import (
	"context"
	"errors"
	"io"
	"sync"
)

// copyBufSize is the buffer for copies that have no fast path.
const copyBufSize = 1 << 20

// copyData moves src to dst along the fastest path the pair allows,
// counting bytes on the client's side only, where counting costs nothing:
//
//   - to a ConcurrentReaderFrom: dst.ReadFromWithConcurrency over a
//     counting reader (many writes in flight), from a LocalFile in
//     parallel byte ranges where the destination offers them;
//   - RemoteFile to ConcurrentReaderFrom: src.WriteTo (many reads in
//     flight) into a pipe that dst.ReadFromWithConcurrency drains, with no
//     temporary file;
//   - from a RemoteFile: src.WriteTo a counting writer around the local
//     file (a counting reader around the *sftp.File would cost 3x);
//   - otherwise a plain buffered copy.
func (w *safeWrite) copyData(dst io.Writer, src io.Reader) (int64, error) {
	srcLocal, isLocal := src.(LocalFile)
	srcRemote, isRemote := src.(RemoteFile)
	p := &progress{ctx: w.ctx, e: w.e, j: w.j}
	rf, remoteDst := dst.(ConcurrentReaderFrom)
	if !remoteDst || !isLocal {
		w.singleStream() // a ranged partial goes on as one stream here
	}
	if remoteDst {
		if isRemote {
			n, rerr, werr := pipeCopy(rf, srcRemote, p)
			if rerr != nil {
				return n, explain(w.sfs, "read", w.j.src, rerr)
			}
			return n, explain(w.dfs, "write", w.tmp, werr)
		}
		if isLocal {
			if n, done, err := w.tryRanges(rf, srcLocal); done {
				return n, err
			}
		}
		w.writePendingMeta()
		n, err := rf.ReadFromWithConcurrency(&countingReader{r: src, p: p}, 0)
		return n, explain(w.dfs, "write", w.tmp, err)
	}
	cw := &countingWriter{w: dst, p: p}
	if isRemote {
		n, err := srcRemote.WriteTo(cw)
		return n, explain(w.sfs, "read", w.j.src, err)
	}
	return io.CopyBuffer(cw, struct{ io.Reader }{src}, make([]byte, copyBufSize))
}

// pipeCopy streams a remote source into a remote destination through the
// client: both sides keep their requests in flight. It returns the bytes
// written and the errors of each side.
func pipeCopy(dst ConcurrentReaderFrom, src io.WriterTo, p *progress) (n int64, readErr, writeErr error) {
	pr, pw := io.Pipe()
	var wg sync.WaitGroup
	wg.Go(func() {
		_, readErr = src.WriteTo(pw)
		pw.CloseWithError(readErr)
	})
	n, writeErr = dst.ReadFromWithConcurrency(&countingReader{r: pr, p: p}, 0)
	pr.CloseWithError(errors.Join(writeErr, io.ErrClosedPipe))
	wg.Wait()
	if errors.Is(readErr, io.ErrClosedPipe) && writeErr != nil {
		readErr = nil // the writing side failed first and closed the pipe
	}
	return n, readErr, writeErr
}

// readSmall reads a whole small file in one request using the listed
// size, while a one-byte read at that size checks in the same round trip
// that the file did not grow. It returns nil, nil when the source cannot
// be read at offsets or its size changed; the caller then streams it.
func readSmall(src io.Reader, size int64) ([]byte, error) {
	ra, ok := src.(io.ReaderAt)
	if !ok {
		return nil, nil
	}
	buf := make([]byte, size)
	var probe [1]byte
	var pn int
	var perr error
	var wg sync.WaitGroup
	wg.Go(func() { pn, perr = ra.ReadAt(probe[:], size) })
	var n int
	var err error
	if size > 0 {
		n, err = ra.ReadAt(buf, 0)
	}
	wg.Wait()
	switch {
	case err != nil && !errors.Is(err, io.EOF):
		return nil, err
	case perr != nil && !errors.Is(perr, io.EOF):
		return nil, perr
	case int64(n) != size || pn != 0:
		return nil, nil // changed since it was listed
	}
	return buf, nil
}

// progress counts a job's bytes and holds it still while the queue is
// paused; it fails the copy once the job's context is done.
type progress struct {
	ctx context.Context
	e   *Engine
	j   *job
}

// check waits out a pause and reports cancellation.
func (p *progress) check() error { return p.e.gate.wait(p.ctx) }

// add counts n bytes moved, then waits for the bandwidth limit.
func (p *progress) add(n int) {
	p.e.progress(p.j, n)
	p.e.limit.wait(p.ctx, p.j, n)
}

// countingReader counts what is read from the local side of an upload.
// It is only ever handed to ReadFromWithConcurrency, so wrapping the
// source costs no concurrency.
type countingReader struct {
	r io.Reader
	p *progress
}

func (c *countingReader) Read(b []byte) (int, error) {
	if err := c.p.check(); err != nil {
		return 0, err
	}
	n, err := c.r.Read(b)
	c.p.add(n)
	return n, err
}

// countingWriter counts what is written to the local side of a download,
// and remembers the last error it returned, so that a copy's write errors
// can be told from its read errors. It deliberately has no ReadFrom, so
// that the source's WriteTo drives the copy with its concurrent reads.
type countingWriter struct {
	w   io.Writer
	p   *progress
	err error
}

func (c *countingWriter) Write(b []byte) (int, error) {
	if err := c.p.check(); err != nil {
		c.err = err
		return 0, err
	}
	n, err := c.w.Write(b)
	c.p.add(n)
	if err != nil {
		c.err = err
	}
	return n, err
}

// progress counts n bytes of j as moved and done.
func (e *Engine) progress(j *job, n int) {
	if n <= 0 {
		return
	}
	j.done.Add(int64(n))
	e.doneBytes.Add(int64(n))
	e.moved.Add(int64(n))
	j.b.carried.Add(int64(n))
}

// resumed records that j continues from off: those bytes count as done
// but not as moved.
func (e *Engine) resumed(j *job, off int64) {
	e.mu.Lock()
	j.resumed = off
	e.mu.Unlock()
	j.done.Add(off)
	e.doneBytes.Add(off)
}

// streamMin is the smallest remaining download read through a Streamer:
// a stream costs an OPEN round trip more than the handle already open.
const streamMin = 8 << 20

// tryStream downloads a large source into a local temporary file as byte
// ranges over several channels (tryRangedDownload) or else through the
// source file system's Streamer, which opens the source itself (so it is
// tried before the source is opened); done reports whether it did.
func (w *safeWrite) tryStream(dst io.Writer) (n int64, done bool, err error) {
	if n, done, err := w.tryRangedDownload(dst); done {
		return n, true, err
	}
	st, ok := w.sfs.(Streamer)
	if _, remoteDst := dst.(ConcurrentReaderFrom); !ok || remoteDst || w.j.info.Size()-w.off < streamMin {
		return 0, false, nil
	}
	w.singleStream() // a ranged partial download goes on as one stream
	cw := &countingWriter{w: dst, p: &progress{ctx: w.ctx, e: w.e, j: w.j}}
	n, done, err = st.StreamFile(w.ctx, w.j.src, w.off, cw)
	switch {
	case !done:
		return 0, false, nil
	case cw.err != nil:
		// cw.err may be the job's cancellation: Engine.run reports that
		// as context.Canceled however it is wrapped.
		return n, true, explain(w.dfs, "write", w.tmp, cw.err)
	}
	return n, true, explain(w.sfs, "read", w.j.src, err)
}

// prepareRanges lets a destination that offers ranges open their
// channels while the temporary file is made, when a local file (its file
// system opens roots: RootOpener) of size may be split: the conditions
// of tryRanges that are known before the temporary file is open.
func (w *safeWrite) prepareRanges(size int64) {
	rp, ok := w.dfs.(RangePreparer)
	rw, isRW := w.dfs.(RangeWriter)
	_, localSrc := w.sfs.(RootOpener)
	if !ok || !isRW || !localSrc || w.rangesOff() {
		return
	}
	if parts := w.e.opts.sizes.rangeParts(rw.RangeParts(), size); parts >= 2 {
		w.prepared = rp.PrepareRanges(parts)
		w.plannedParts = parts
	}
}

// rangesOff reports whether this file goes as one stream whatever the
// destination offers: ranges are off (Options.NoRanges), or the file's
// mode lacks the owner's write bit, so that its range writers could not
// open it again to write.
func (w *safeWrite) rangesOff() bool {
	return w.e.opts.NoRanges || w.mode&0o200 == 0
}

// tryRanges uploads a large local file as byte ranges over several
// channels when the destination offers them; done reports whether it did.
// A partial copy that was itself sent in ranges continues each range
// where it got to; any other resumed upload (w.off > 0) keeps its single
// stream. A file whose mode has no owner write bit goes as one stream:
// the extra channels reopen the temporary file for writing, which its
// mode, set before the data, would refuse.
func (w *safeWrite) tryRanges(dst ConcurrentReaderFrom, src LocalFile) (n int64, done bool, err error) {
	rw, ok := w.dfs.(RangeWriter)
	ok = ok && !w.rangesOff()
	fi, err := src.Stat()
	if err != nil {
		ok = false
	}
	switch {
	case w.ranges != nil && ok && rw.RangeParts() >= len(w.ranges):
		return w.rangedUpload(rw, dst, src, fi.Size(), w.ranges)
	case w.ranges != nil:
		w.singleStream()
		return 0, false, nil
	case !ok || w.off > 0:
		return 0, false, nil
	}
	// No more than were prepared: the channels that opened, or that the
	// server refused, are the ones those asked for (RangeParts counts a
	// refusal as the server's limit).
	if w.prepared != nil {
		w.prepared()
	}
	most := rw.RangeParts()
	if w.plannedParts > 0 {
		most = min(most, w.plannedParts)
	}
	parts := w.e.opts.sizes.rangeParts(most, fi.Size())
	if parts < 2 {
		return 0, false, nil
	}
	chunk := fi.Size() / int64(parts)
	marks := make([]rangeMark, parts)
	for i := range marks {
		marks[i] = rangeMark{start: int64(i) * chunk, done: int64(i) * chunk}
	}
	return w.rangedUpload(rw, dst, src, fi.Size(), marks)
}
