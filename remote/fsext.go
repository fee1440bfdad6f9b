package remote

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// HasExtension reports whether the server advertised the SFTP extension
// name (such as "posix-rename@openssh.com" or "fsync@openssh.com") and
// returns its data.
func (f *FS) HasExtension(name string) (string, bool) {
	return f.c.cur.Load().sftp.HasExtension(name)
}

// OpenFile opens the existing file name with os.OpenFile's access flags
// (os.O_RDONLY, os.O_WRONLY, os.O_RDWR, os.O_APPEND, os.O_TRUNC). Files are
// created with CreateExcl only, so os.O_CREATE and os.O_EXCL are refused.
// The returned value is an *sftp.File, which implements io.Seeker and
// writes with concurrent requests through ReadFromWithConcurrency.
func (f *FS) OpenFile(ctx context.Context, name string, flag int) (io.ReadWriteCloser, error) {
	if flag&(os.O_CREATE|os.O_EXCL) != 0 {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fmt.Errorf("OpenFile does not create files: %w", fs.ErrInvalid)}
	}
	l, g, err := f.begin(ctx)
	if err != nil {
		return nil, beginErr("open", name, err)
	}
	fh, err := l.sftp.OpenFile(name, flag)
	if err = f.end(ctx, l, g, "open", name, err); err != nil {
		return nil, err
	}
	return fh, nil
}

// CreateExclDefault creates name, which must not exist, for writing,
// leaving its permission bits as the server gives new files (for OpenSSH,
// 0666 less the session's umask) and saving the round trip of a chmod.
// The returned *sftp.File reports them through Stat and changes them with
// Chmod, both on the open handle.
func (f *FS) CreateExclDefault(ctx context.Context, name string) (io.WriteCloser, error) {
	l, g, err := f.begin(ctx)
	if err != nil {
		return nil, beginErr("create", name, err)
	}
	fh, err := l.sftp.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL)
	if err = f.end(ctx, l, g, "create", name, err); err != nil {
		return nil, err
	}
	return fh, nil
}

// ExplainError names the operation and path in err, an error from one of
// this file system's open files, and says what its SFTP status code
// means, as the errors of FS's own methods do. An error that is not the
// server's answer is explained as connection lost (SFTP status 7) when
// the current connection has ended.
func (f *FS) ExplainError(op, path string, err error) error {
	if err != nil && lostOn(f.c.cur.Load(), err) {
		return lostErr(op, path)
	}
	return wrapErr(op, path, err)
}
