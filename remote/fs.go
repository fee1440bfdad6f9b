package remote

import (
	"context"
	"io"
	"io/fs"
	"os"
	"path"
	"sync/atomic"
	"time"

	"github.com/pkg/sftp"
)

// FS is a remote file system over SFTP. It is safe for concurrent use:
// pkg/sftp multiplexes requests over the connection.
//
// An FS from Dial survives its connection: a call made while the
// connection is down waits for the session to reconnect (bounded by its
// context and the session's attempts), and a call the connection died
// under fails with a *StatusError of code 7 (connection lost). Every call
// honours its context: when it ends, the call returns its error, and a
// call still blocked on the server a second later has its connection
// closed under it (the session reconnects).
type FS struct {
	label    string
	c        *connector
	noRanges atomic.Bool // DisableRanges was called
	// callHook, when set (by tests, before any call), runs in every call
	// once it has the link it will run on.
	callHook func()
}

// NewFS wraps client; label names the host in the UI (usually the alias).
// The FS cannot reconnect: once the client's connection ends, calls fail
// and WaitOnline returns an error. It has no extra channels for byte
// ranges or streams.
func NewFS(label string, client *sftp.Client) *FS {
	c := newConnector(label, nil, 0, DefaultBackoff, nil)
	c.start(newPlainLink(client))
	return &FS{label: label, c: c}
}

// cur returns the current link, up or not.
func (f *FS) cur() *link { return f.c.cur.Load() }

// Client returns the SFTP client of the current connection.
func (f *FS) Client() *sftp.Client { return f.cur().sftp }

// Label returns the host label given to NewFS.
func (f *FS) Label() string { return f.label }

// Home returns the server's idea of the login directory.
func (f *FS) Home(ctx context.Context) (string, error) {
	l, g, err := f.begin(ctx)
	if err != nil {
		return "", beginErr("realpath", ".", err)
	}
	p, err := l.sftp.RealPath(".")
	return p, f.end(ctx, l, g, "realpath", ".", err)
}

// Join joins elements with forward slashes.
func (*FS) Join(elem ...string) string { return path.Join(elem...) }

// Dir returns the parent of name.
func (*FS) Dir(name string) string { return path.Dir(name) }

// Base returns the last element of name.
func (*FS) Base(name string) string { return path.Base(name) }

// Stat describes name, following symbolic links.
func (f *FS) Stat(ctx context.Context, name string) (fs.FileInfo, error) {
	l, g, err := f.begin(ctx)
	if err != nil {
		return nil, beginErr("stat", name, err)
	}
	fi, err := l.sftp.Stat(name)
	return fi, f.end(ctx, l, g, "stat", name, err)
}

// Lstat describes name without following a final symbolic link.
func (f *FS) Lstat(ctx context.Context, name string) (fs.FileInfo, error) {
	l, g, err := f.begin(ctx)
	if err != nil {
		return nil, beginErr("lstat", name, err)
	}
	fi, err := l.sftp.Lstat(name)
	return fi, f.end(ctx, l, g, "lstat", name, err)
}

// ReadDir lists the directory name.
func (f *FS) ReadDir(ctx context.Context, name string) ([]fs.FileInfo, error) {
	l, g, err := f.begin(ctx)
	if err != nil {
		return nil, beginErr("ls", name, err)
	}
	fis, err := l.sftp.ReadDirContext(ctx, name)
	return fis, f.end(ctx, l, g, "ls", name, err)
}

// Readlink returns the target of the symbolic link name.
func (f *FS) Readlink(ctx context.Context, name string) (string, error) {
	l, g, err := f.begin(ctx)
	if err != nil {
		return "", beginErr("readlink", name, err)
	}
	t, err := l.sftp.ReadLink(name)
	return t, f.end(ctx, l, g, "readlink", name, err)
}

// Open opens name for reading. The returned value is an *sftp.File, whose
// WriteTo reads with concurrent requests.
func (f *FS) Open(ctx context.Context, name string) (io.ReadCloser, error) {
	l, g, err := f.begin(ctx)
	if err != nil {
		return nil, beginErr("open", name, err)
	}
	fh, err := l.sftp.Open(name)
	if err = f.end(ctx, l, g, "open", name, err); err != nil {
		return nil, err
	}
	return fh, nil
}

// CreateExcl creates name, which must not exist, for writing with
// permission bits perm set on the handle. The returned value is an
// *sftp.File, whose ReadFromWithConcurrency writes with concurrent requests.
func (f *FS) CreateExcl(ctx context.Context, name string, perm fs.FileMode) (io.WriteCloser, error) {
	l, g, err := f.begin(ctx)
	if err != nil {
		return nil, beginErr("create", name, err)
	}
	fh, err := l.sftp.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL)
	if err != nil {
		return nil, f.end(ctx, l, g, "create", name, err)
	}
	if err := fh.Chmod(perm); err != nil {
		fh.Close()
		_ = l.sftp.Remove(name)
		return nil, f.end(ctx, l, g, "chmod", name, err)
	}
	g.done()
	return fh, nil
}

// Mkdir creates the directory name. pkg/sftp sends no mode with MKDIR, so
// the permission bits are set afterwards when they differ from 0755.
func (f *FS) Mkdir(ctx context.Context, name string, perm fs.FileMode) error {
	l, g, err := f.begin(ctx)
	if err != nil {
		return beginErr("mkdir", name, err)
	}
	if err := l.sftp.Mkdir(name); err != nil {
		return f.end(ctx, l, g, "mkdir", name, err)
	}
	if perm != 0 && perm.Perm() != 0o755 {
		return f.end(ctx, l, g, "chmod", name, l.sftp.Chmod(name, perm))
	}
	g.done()
	return nil
}

// Remove removes a file or an empty directory.
func (f *FS) Remove(ctx context.Context, name string) error {
	l, g, err := f.begin(ctx)
	if err != nil {
		return beginErr("remove", name, err)
	}
	return f.end(ctx, l, g, "remove", name, l.sftp.Remove(name))
}

// Rename renames oldname to newname. It uses posix-rename@openssh.com,
// which replaces newname atomically, when the server advertises it; plain
// SFTP rename fails when newname exists.
func (f *FS) Rename(ctx context.Context, oldname, newname string) error {
	l, g, err := f.begin(ctx)
	if err != nil {
		return beginErr("rename", oldname, err)
	}
	if _, ok := l.sftp.HasExtension("posix-rename@openssh.com"); ok {
		err = l.sftp.PosixRename(oldname, newname)
	} else {
		err = l.sftp.Rename(oldname, newname)
	}
	return f.end(ctx, l, g, "rename", oldname, err)
}

// Chmod changes the permission bits of name.
func (f *FS) Chmod(ctx context.Context, name string, mode fs.FileMode) error {
	l, g, err := f.begin(ctx)
	if err != nil {
		return beginErr("chmod", name, err)
	}
	return f.end(ctx, l, g, "chmod", name, l.sftp.Chmod(name, mode))
}

// Chtimes sets the access and modification times of name.
func (f *FS) Chtimes(ctx context.Context, name string, atime, mtime time.Time) error {
	l, g, err := f.begin(ctx)
	if err != nil {
		return beginErr("chtimes", name, err)
	}
	return f.end(ctx, l, g, "chtimes", name, l.sftp.Chtimes(name, atime, mtime))
}

// Symlink creates newname as a symbolic link to target.
func (f *FS) Symlink(ctx context.Context, target, newname string) error {
	l, g, err := f.begin(ctx)
	if err != nil {
		return beginErr("symlink", newname, err)
	}
	return f.end(ctx, l, g, "symlink", newname, l.sftp.Symlink(target, newname))
}
