package transfer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
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
