package transfer

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
)

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
	msg := fmt.Sprintf("the server does not support %s: replaced %s by renaming the old file aside first", extPosixRename, dst)
	if err := dfs.Remove(ctx, bak); err != nil && !errors.Is(err, fs.ErrNotExist) {
		msg += fmt.Sprintf("; could not remove the old file at %s: %v", bak, err)
	}
	e.notice(b, dst, msg)
	return nil
}
