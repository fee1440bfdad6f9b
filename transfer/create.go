package transfer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"
	"time"
)

// createModes remembers, per destination directory, the permission bits a
// server gives new files there, so that creating a temporary file needs
// no chmod when they are already the ones wanted. The first file created
// in a directory learns them with one fstat on its handle.
type createModes struct {
	mu    sync.Mutex
	modes map[string]fs.FileMode
}

func (c *createModes) get(dir string) (fs.FileMode, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	m, ok := c.modes[dir]
	return m, ok
}

func (c *createModes) set(dir string, m fs.FileMode) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.modes == nil {
		c.modes = make(map[string]fs.FileMode)
	}
	c.modes[dir] = m
}

// createExcl creates name (O_EXCL) with permission bits mode, set before
// any data is written. On a DefaultCreator the chmod is skipped when the
// directory's default for new files is mode already.
func (b *batch) createExcl(ctx context.Context, dfs FS, name string, mode fs.FileMode) (io.WriteCloser, error) {
	dc, ok := dfs.(DefaultCreator)
	if !ok {
		return dfs.CreateExcl(ctx, name, mode)
	}
	dir := dfs.Dir(name)
	def, known := b.modes.get(dir)
	f, err := dc.CreateExclDefault(ctx, name)
	if err != nil {
		return nil, err
	}
	hm, ok := f.(HandleModer)
	if !ok {
		f.Close()
		return nil, removeNew(ctx, dfs, name, fmt.Errorf("create %s: %w: the writer cannot change its permissions", name, errors.ErrUnsupported))
	}
	if !known {
		fi, err := hm.Stat()
		if err == nil {
			def, known = fi.Mode().Perm(), true
			b.modes.set(dir, def)
		}
	}
	if known && def == mode.Perm() {
		return f, nil
	}
	if err := hm.Chmod(mode.Perm()); err != nil {
		f.Close()
		return nil, removeNew(ctx, dfs, name, fmt.Errorf("set permissions of %s: %w", name, explain(dfs, "chmod", name, err)))
	}
	return f, nil
}

// openTemp creates the temporary file, or, when resume is allowed and a
// partial copy of an unchanged source checks out, reopens it at the
// offset to continue from. Anything else left at the temporary name is
// removed first.
func (w *safeWrite) openTemp(resume bool) (io.WriteCloser, error) {
	f, err := w.createTemp()
	if err == nil {
		return f, nil
	}
	fi, lerr := w.dfs.Lstat(w.ctx, w.tmp)
	if lerr != nil {
		if errors.Is(err, fs.ErrNotExist) {
			// Name what the user named, not the temporary file.
			dir := w.dfs.Dir(w.dst)
			return nil, &fs.PathError{Op: "copy to", Path: w.dst, Err: fmt.Errorf("directory %s does not exist: %w", dir, fs.ErrNotExist)}
		}
		return nil, fmt.Errorf("create temporary file: %w", err)
	}
	if resume {
		off, ranges, ok, err := w.partialOffset(fi)
		if err != nil {
			// Keep a partial that could not be checked: it may be good.
			return nil, fmt.Errorf("resume %s: %w", w.tmp, err)
		}
		if ok {
			f, err := w.reopen(off, ranges)
			if err == nil {
				return f, nil
			}
			if !errors.Is(err, errors.ErrUnsupported) {
				return nil, fmt.Errorf("resume %s: %w", w.tmp, err)
			}
		}
	}
	w.discard()
	f, err = w.createTemp()
	if err != nil {
		return nil, fmt.Errorf("create temporary file: %w", err)
	}
	return f, nil
}

// createTemp creates the temporary file, noting when a failure left it
// behind.
func (w *safeWrite) createTemp() (io.WriteCloser, error) {
	if sc, ok := w.dfs.(SmallCreator); ok && w.small {
		f, err := sc.CreateSmall(w.ctx, w.tmp, w.mode)
		if !errors.Is(err, errors.ErrUnsupported) {
			return f, err
		}
	}
	if mc, ok := w.dfs.(MaskedCreator); ok && !w.small {
		f, err := mc.CreateExclMasked(w.ctx, w.tmp, w.mode)
		if !errors.Is(err, errors.ErrUnsupported) {
			w.fixMode = err == nil
			return f, err
		}
	}
	f, err := w.j.b.createExcl(w.ctx, w.dfs, w.tmp, w.mode)
	var lb *leftBehindError
	if errors.As(err, &lb) {
		w.leftBehind()
	}
	return f, err
}

// reopen opens the partial temporary file for writing at off. ranges,
// when set, are the points where each range of a ranged partial copy
// continues (off is the first).
func (w *safeWrite) reopen(off int64, ranges []rangeMark) (io.WriteCloser, error) {
	fo, ok := w.dfs.(FileOpener)
	if !ok {
		return nil, errors.ErrUnsupported
	}
	f, err := fo.OpenFile(w.ctx, w.tmp, os.O_WRONLY)
	if err != nil {
		return nil, err
	}
	if err := seekTo(f, off); err != nil {
		f.Close()
		return nil, err
	}
	w.off, w.metaMade, w.ranges = off, true, ranges
	// The partial may come from CreateExclMasked.
	_, w.fixMode = w.dfs.(MaskedCreator)
	have := off
	if ranges != nil {
		have = 0
		for _, r := range ranges {
			have += r.done - r.start
		}
	}
	w.e.resumed(w.j, have)
	return f, nil
}

// removeNew removes the file name that createExcl made before failing
// with err. When it cannot, the error says the file was left behind.
func removeNew(ctx context.Context, dfs FS, name string, err error) error {
	cctx, cancel := cleanupContext(ctx)
	defer cancel()
	if rerr := dfs.Remove(cctx, name); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
		return &leftBehindError{err: err}
	}
	return err
}

// leftBehindError is a failure that left a new temporary file behind.
type leftBehindError struct{ err error }

func (e *leftBehindError) Error() string { return e.err.Error() }
func (e *leftBehindError) Unwrap() error { return e.err }

// cleanupContext returns a context for removing what a failed try left:
// not ctx itself, which may be cancelled, but bounded by cancelCleanup
// after a cancel (stopping stays within its 2 s) and by 30 s otherwise.
func cleanupContext(ctx context.Context) (context.Context, context.CancelFunc) {
	limit := 30 * time.Second
	if ctx.Err() != nil {
		limit = cancelCleanup
	}
	return context.WithTimeout(context.WithoutCancel(ctx), limit)
}
