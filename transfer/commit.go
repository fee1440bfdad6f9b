package transfer

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
)

// land renames the finished temporary file, which holds n bytes from
// w.off on, into place and tidies up after it.
func (w *safeWrite) land(p plan, n int64) outcome {
	j := w.j
	size := j.info.Size()
	if got := w.off + n; got != size {
		w.e.notice(j.b, w.dst, fmt.Sprintf("%s changed size while it was copied: listed %d bytes, copied %d", j.src, size, got))
	}
	gens := connGens(w.dfs)
	if err := w.e.commit(w.ctx, j.b, w.dfs, w.tmp, w.dst); err != nil {
		if connDropped(gens, err) {
			// The rename may have happened with only its answer lost;
			// the next try checks before it asks about an existing file.
			w.e.mu.Lock()
			j.commitLost, j.commitSize, j.commitOld = true, w.off+n, p.dstInfo
			w.e.mu.Unlock()
		}
		return failed(w.abandon(err))
	}
	if w.metaMade {
		if err := w.dfs.Remove(w.ctx, w.meta); err != nil && !errors.Is(err, fs.ErrNotExist) {
			w.e.notice(j.b, w.meta, fmt.Sprintf("could not remove resume record: %v", err))
		}
	}
	if j.b.req.Move {
		w.e.removeSource(w.ctx, j, w.off+n)
	}
	return done()
}

// commit renames the finished temporary file tmp over dst. Where Rename
// replaces atomically (local disks, servers with posix-rename@openssh.com)
// that is one step. Otherwise plain SFTP rename fails on an existing
// target, and the old file is first renamed aside to ".NAME.ferry-old",
// the new one renamed in, and the backup removed; if the second rename
// fails the backup is put back, so the target is missing only between two
// renames. A Notice says when this happened.
func (e *Engine) commit(ctx context.Context, b *batch, dfs FS, tmp, dst string) error {
	err := dfs.Rename(ctx, tmp, dst)
	if err == nil {
		return nil
	}
	if renameReplaces(dfs) {
		return fmt.Errorf("rename into place: %w", err)
	}
	if _, lerr := dfs.Lstat(ctx, dst); lerr != nil {
		return fmt.Errorf("rename into place: %w", err)
	}
	bak := backupPath(dfs, dst)
	if _, lerr := dfs.Lstat(ctx, bak); lerr == nil {
		// dst exists, so this is a leftover of an earlier replace.
		if rerr := dfs.Remove(ctx, bak); rerr != nil {
			return fmt.Errorf("remove stale backup: %w", rerr)
		}
	}
	if err := dfs.Rename(ctx, dst, bak); err != nil {
		return fmt.Errorf("move old file aside: %w", err)
	}
	if err := dfs.Rename(ctx, tmp, dst); err != nil {
		if rerr := dfs.Rename(context.WithoutCancel(ctx), bak, dst); rerr != nil {
			return &fs.PathError{Op: "replace", Path: dst, Err: fmt.Errorf("%w; the old file is at %s (%v)", err, bak, rerr)}
		}
		return fmt.Errorf("rename into place: %w", err)
	}
	if err := dfs.Remove(ctx, bak); err != nil && !errors.Is(err, fs.ErrNotExist) {
		e.notice(b, dst, fmt.Sprintf("could not remove the old file at %s (%v); the next copy to %s removes it", bak, err, dst))
	}
	if e.firstNotice(b, "no-posix-rename "+dfs.Label()) {
		e.notice(b, dst, fmt.Sprintf("%s does not support %s: files there are replaced by renaming the old file aside to .NAME%s first, and for a moment the name is missing; an interrupted replace is repaired by the next copy", dfs.Label(), extPosixRename, backupSuffix))
	}
	return nil
}

// repairReplace finishes what an interrupted non-atomic replace of dst
// left: a ".NAME.ferry-old" backup beside it. When dst is missing the
// backup is the old file and is put back; when dst exists the replace had
// completed and the backup is removed. dstInfo is dst's Lstat, or nil.
// It returns dst's Lstat afterwards. Only file systems whose rename does
// not replace need it.
func (e *Engine) repairReplace(ctx context.Context, b *batch, dfs FS, dst string, dstInfo fs.FileInfo) fs.FileInfo {
	if renameReplaces(dfs) {
		return dstInfo
	}
	bak := backupPath(dfs, dst)
	bi, err := dfs.Lstat(ctx, bak)
	if err != nil || !bi.Mode().IsRegular() {
		return dstInfo
	}
	if dstInfo != nil {
		if err := dfs.Remove(ctx, bak); err != nil {
			e.notice(b, dst, fmt.Sprintf("found %s, left by an interrupted replace that had completed, and could not remove it: %v", bak, err))
			return dstInfo
		}
		e.notice(b, dst, fmt.Sprintf("removed %s, left by an interrupted replace of %s that had completed", bak, dst))
		return dstInfo
	}
	if err := dfs.Rename(ctx, bak, dst); err != nil {
		e.notice(b, dst, fmt.Sprintf("%s is missing and the old file is at %s, left by an interrupted replace; putting it back failed: %v", dst, bak, err))
		return nil
	}
	e.notice(b, dst, fmt.Sprintf("put the old %s back from %s, where an interrupted replace had left it", dst, bak))
	fi, err := dfs.Lstat(ctx, dst)
	if err != nil {
		return nil
	}
	return fi
}

// firstNotice reports whether key is new to batch b, so that a notice
// that would repeat for every file is given once per batch.
func (e *Engine) firstNotice(b *batch, key string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if b.noticed[key] {
		return false
	}
	if b.noticed == nil {
		b.noticed = make(map[string]bool)
	}
	b.noticed[key] = true
	return true
}
