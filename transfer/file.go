package transfer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"time"
)

// runFile copies one regular file safely: conflict rules first, then a
// temporary file beside the target, renamed into place only once it is
// complete.
func (e *Engine) runFile(ctx context.Context, j *job) outcome {
	dfs, release, err := j.b.dstFS(j.dst)
	if err != nil {
		return failed(err)
	}
	defer release()
	p := e.decide(ctx, j, dfs)
	if p.out != nil {
		if p.landed && j.b.req.Move {
			e.removeSource(ctx, j, j.info.Size())
		}
		return *p.out
	}
	w := &safeWrite{e: e, j: j, ctx: ctx, sfs: j.b.req.Src, dfs: dfs, dst: p.dst}
	w.tmp = tempPath(dfs, p.dst)
	w.meta = metaPath(w.tmp)
	w.mode = j.info.Mode().Perm()
	if j.b.req.NoPreserve {
		w.mode &^= 0o022
	}
	return w.run(p)
}

// safeWrite is one file on its way: O_EXCL temp file with the permissions
// set on the handle first, data, Sync where supported, Close checked, size
// checked, times set, then an atomic rename over the target.
type safeWrite struct {
	e        *Engine
	j        *job
	ctx      context.Context
	sfs, dfs FS
	dst      string
	tmp      string
	meta     string
	mode     fs.FileMode

	off      int64       // where the data starts (a resume's offset)
	ranges   []rangeMark // a ranged partial's resume points, or nil
	metaMade bool        // a resume record sits beside tmp
	metaLen  int         // the length of the record this write wrote, 0 if none
	// metaPending says the record of an upload that may go in ranges
	// waits for them (rangedUpload writes it with the ranges, or
	// writePendingMeta without).
	metaPending  bool
	plannedParts int    // the ranges prepareRanges asked channels for; 0 when none
	prepared     func() // waits for those channels; nil when none
	small        bool   // the data is in memory: CreateSmall may make tmp
	// fixMode says tmp may lack permission bits of mode (CreateExclMasked
	// made it, or a partial it made is continued): finish sets them.
	fixMode bool
}

// run carries out the write.
func (w *safeWrite) run(p plan) outcome {
	j := w.j
	size := j.info.Size()

	// Small files are read whole first, in one request using the listed
	// size, so that a source that cannot be read leaves nothing behind.
	var data []byte
	var src io.ReadCloser
	var closeSrc <-chan error
	if size <= smallFile {
		var err error
		var handled bool
		data, handled, err = w.readSmallFast(size)
		if err != nil {
			return failed(err)
		}
		if !handled {
			src, err = w.sfs.Open(w.ctx, j.src)
			if err != nil {
				return failed(fmt.Errorf("open source: %w", err))
			}
			data, err = readSmall(src, size)
			if err != nil {
				src.Close()
				return failed(explain(w.sfs, "read", j.src, err))
			}
			if data != nil {
				// Closing the read handle overlaps with the write.
				closeSrc = inBackground(src.Close)
				src = nil
			}
		}
	}
	defer func() {
		if src != nil {
			src.Close()
		}
		if closeSrc != nil {
			<-closeSrc
		}
	}()

	w.small = data != nil
	w.prepareRanges(size)
	dstFile, err := w.openTemp(p.resume && size >= resumableFile)
	if err != nil {
		return failed(err)
	}
	if sw, ok := dstFile.(SmallWriter); ok && data != nil {
		if err := w.writeSmall(sw, data, p); err != nil {
			return failed(w.abandon(err))
		}
		return w.land(p, int64(len(data)))
	}
	// fail gives up before the temporary file is finished.
	fail := func(err error) outcome {
		dstFile.Close()
		return failed(w.abandon(err))
	}
	if size >= resumableFile && !w.metaMade {
		if w.plannedParts > 0 && w.off == 0 && w.ranges == nil {
			// A fresh upload that may go in ranges writes its record
			// once, listing them, as they start: at 50 ms a record
			// written now and again with the ranges cost 0.21 s more.
			w.metaPending = true
		} else {
			w.writeFirstMeta()
		}
	}

	var n int64
	streamed := false
	if data == nil && src == nil {
		n, streamed, err = w.tryStream(dstFile)
	}
	switch {
	case streamed:
	case data != nil:
		n, err = w.writeAll(dstFile, data)
	default:
		if src == nil {
			src, err = w.sfs.Open(w.ctx, j.src)
			if err != nil {
				return fail(fmt.Errorf("open source: %w", err))
			}
		}
		if w.off > 0 {
			if err := seekTo(src, w.off); err != nil {
				return fail(fmt.Errorf("seek %s: %w", j.src, err))
			}
		}
		n, err = w.copyData(dstFile, src)
	}
	if err != nil {
		return fail(fmt.Errorf("copy %s: %w", j.src, err))
	}
	w.setFinishing(true)
	err = w.finish(dstFile, w.off+n, w.wantSync(p.dstInfo != nil))
	w.setFinishing(false)
	if err != nil {
		return failed(w.abandon(err))
	}
	return w.land(p, n)
}

// writeAll writes a small file's data in one go.
func (w *safeWrite) writeAll(f io.Writer, data []byte) (int64, error) {
	if err := w.e.gate.wait(w.ctx); err != nil {
		return 0, err
	}
	n, err := f.Write(data)
	w.e.progress(w.j, n)
	w.e.limit.wait(w.ctx, w.j, n)
	if err == nil && n != len(data) {
		err = io.ErrShortWrite
	}
	return int64(n), explain(w.dfs, "write", w.tmp, err)
}

// finish flushes the temporary file when sync says so (and its file
// system can), closes it, checks its size, and sets its time. Setting the time runs alongside Sync and Close: every write
// has been acknowledged, and neither changes the time, so the round trips
// overlap.
func (w *safeWrite) finish(f io.WriteCloser, want int64, sync bool) error {
	var times <-chan error
	if !w.j.b.req.NoPreserve {
		mt := w.j.info.ModTime()
		times = inBackground(func() error { return w.dfs.Chtimes(w.ctx, w.tmp, mt, mt) })
	}
	// The permission bits the create may have left out go on beside
	// the close too: no round trip of their own.
	var perms <-chan error
	if w.fixMode {
		perms = inBackground(w.setMode)
	}
	// Every byte has been written: the resume record goes beside the
	// close, a round trip saved (at 50 ms, 0.05 s of a large upload). A
	// close or rename that fails now leaves a partial without a record,
	// which a retry starts over; one that cannot be removed is tried
	// again after the rename.
	var unrecord <-chan error
	if w.metaMade {
		unrecord = inBackground(func() error { return w.dfs.Remove(w.ctx, w.meta) })
	}
	defer func() {
		if unrecord != nil {
			if err := <-unrecord; err == nil || errors.Is(err, fs.ErrNotExist) {
				w.metaMade = false
			}
		}
	}()
	var err error
	if s, ok := f.(Syncer); ok && sync && canSync(w.dfs) {
		err = explain(w.dfs, "fsync", w.tmp, s.Sync())
	}
	if cerr := f.Close(); cerr != nil && err == nil {
		err = explain(w.dfs, "close", w.tmp, cerr)
	}
	if times != nil {
		if terr := <-times; terr != nil && err == nil {
			err = fmt.Errorf("set time of %s: %w", w.tmp, terr)
		}
	}
	if perms != nil {
		if perr := <-perms; perr != nil && err == nil {
			err = perr
		}
	}
	if err != nil {
		return err
	}
	_, acked := f.(RemoteFile)
	return w.checkSize(want, acked)
}

// setMode gives the temporary file exactly the permission bits wanted
// (fixMode). A server that refuses (permission denied, not supported)
// fails the file only when the file does not have them anyway.
func (w *safeWrite) setMode() error {
	err := w.dfs.Chmod(w.ctx, w.tmp, w.mode)
	if err == nil {
		return nil
	}
	if fi, lerr := w.dfs.Lstat(w.ctx, w.tmp); lerr == nil && fi.Mode().Perm() == w.mode.Perm() {
		return nil
	}
	return fmt.Errorf("set permissions of %s: %w", w.tmp, explain(w.dfs, "chmod", w.tmp, err))
}

// checkSize checks that the temporary file holds want bytes. When acked
// (the file was a RemoteFile) the server's acknowledgement of every write
// already proves it for a fresh file, and a round trip is saved; a
// resumed file or a local one is looked at.
func (w *safeWrite) checkSize(want int64, acked bool) error {
	if acked && w.off == 0 {
		return nil
	}
	fi, err := w.dfs.Lstat(w.ctx, w.tmp)
	if err != nil {
		return fmt.Errorf("check size: %w", err)
	}
	if fi.Size() != want {
		return &fs.PathError{Op: "check size", Path: w.tmp, Err: fmt.Errorf("%w: %d bytes, want %d", ErrShortWrite, fi.Size(), want)}
	}
	return nil
}

// abandon cleans up after a write that failed with err and returns the
// error to report. A large file's temporary file and resume record stay
// so that a retry can continue, unless the destination is full: a partial
// copy that cannot be finished there would only keep it full. Anything
// else is removed. The job's context may be cancelled, so cleanup does not
// use it; after a cancel it gets cancelCleanup, not a reconnect's worth of
// waiting, so that stopping stays within its 2 s. A temporary file that
// could not be removed is named in JobStatus.Partial.
func (w *safeWrite) abandon(err error) error {
	full := isNoSpace(err)
	if w.metaMade && !full {
		w.leftBehind()
		return err
	}
	ctx, cancel := cleanupContext(w.ctx)
	defer cancel()
	rerr := w.dfs.Remove(ctx, w.tmp)
	if errors.Is(rerr, fs.ErrNotExist) {
		rerr = nil
	}
	if w.metaMade {
		_ = w.dfs.Remove(ctx, w.meta)
		w.metaMade = false
	}
	if rerr != nil {
		w.leftBehind()
	}
	if full {
		if rerr != nil {
			return fmt.Errorf("%w (%w, and its partial copy %s could not be removed: %v)", err, ErrNoSpace, w.tmp, rerr)
		}
		return &noSpace{err: err}
	}
	return err
}

// cancelCleanup bounds the removal of a temporary file after a cancel:
// with abortGrace it must leave room in the 2 s a stop may take.
const cancelCleanup = 200 * time.Millisecond

// setFinishing tells the stall watchdog that the file is being flushed
// and closed, which moves no bytes (an fsync of a large file on a slow
// disk can take long) and is not a stall.
func (w *safeWrite) setFinishing(on bool) {
	w.e.mu.Lock()
	w.j.finishing = on
	w.e.mu.Unlock()
}

// leftBehind records that the temporary file stays.
func (w *safeWrite) leftBehind() {
	w.e.mu.Lock()
	w.j.partial = w.tmp
	w.e.mu.Unlock()
}

// discard removes what sits at the temporary name and its resume record.
func (w *safeWrite) discard() {
	for _, p := range []string{w.meta, w.tmp} {
		_ = w.dfs.Remove(w.ctx, p)
	}
	w.metaMade = false
}

// seekTo moves r's offset to off.
func seekTo(r any, off int64) error {
	s, ok := r.(io.Seeker)
	if !ok {
		return fmt.Errorf("cannot seek: %w", errors.ErrUnsupported)
	}
	_, err := s.Seek(off, io.SeekStart)
	return err
}

// inBackground runs fn in a goroutine; the channel yields its error.
func inBackground(fn func() error) <-chan error {
	ch := make(chan error, 1)
	go func() { ch <- fn() }()
	return ch
}
