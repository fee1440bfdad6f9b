package remote

import (
	"context"
	"io"
	"io/fs"
	"os"
	"path"
	"time"

	"github.com/pkg/sftp"
)

// FS is a remote file system over one SFTP client. It is safe for
// concurrent use: pkg/sftp multiplexes requests over the connection.
type FS struct {
	label   string
	client  *sftp.Client
	pool    *channelPool // extra channels for byte ranges; nil when none
	streams *streamPool  // channels for large downloads; nil when none
}

// NewFS wraps client; label names the host in the UI (usually the alias).
func NewFS(label string, client *sftp.Client) *FS {
	return &FS{label: label, client: client}
}

// Client returns the underlying SFTP client.
func (f *FS) Client() *sftp.Client { return f.client }

// Label returns the host label given to NewFS.
func (f *FS) Label() string { return f.label }

// Home returns the server's idea of the login directory.
func (f *FS) Home(context.Context) (string, error) {
	p, err := f.client.RealPath(".")
	return p, wrapErr("realpath", ".", err)
}

// Join joins elements with forward slashes.
func (*FS) Join(elem ...string) string { return path.Join(elem...) }

// Dir returns the parent of name.
func (*FS) Dir(name string) string { return path.Dir(name) }

// Base returns the last element of name.
func (*FS) Base(name string) string { return path.Base(name) }

// Stat describes name, following symbolic links.
func (f *FS) Stat(_ context.Context, name string) (fs.FileInfo, error) {
	fi, err := f.client.Stat(name)
	return fi, wrapErr("stat", name, err)
}

// Lstat describes name without following a final symbolic link.
func (f *FS) Lstat(_ context.Context, name string) (fs.FileInfo, error) {
	fi, err := f.client.Lstat(name)
	return fi, wrapErr("lstat", name, err)
}

// ReadDir lists the directory name.
func (f *FS) ReadDir(ctx context.Context, name string) ([]fs.FileInfo, error) {
	fis, err := f.client.ReadDirContext(ctx, name)
	return fis, wrapErr("ls", name, err)
}

// Readlink returns the target of the symbolic link name.
func (f *FS) Readlink(_ context.Context, name string) (string, error) {
	t, err := f.client.ReadLink(name)
	return t, wrapErr("readlink", name, err)
}

// Open opens name for reading. The returned value is an *sftp.File, whose
// WriteTo reads with concurrent requests.
func (f *FS) Open(_ context.Context, name string) (io.ReadCloser, error) {
	fh, err := f.client.Open(name)
	if err != nil {
		return nil, wrapErr("open", name, err)
	}
	return fh, nil
}

// CreateExcl creates name, which must not exist, for writing with
// permission bits perm set on the handle. The returned value is an
// *sftp.File, whose ReadFromWithConcurrency writes with concurrent requests.
func (f *FS) CreateExcl(_ context.Context, name string, perm fs.FileMode) (io.WriteCloser, error) {
	fh, err := f.client.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL)
	if err != nil {
		return nil, wrapErr("create", name, err)
	}
	if err := fh.Chmod(perm); err != nil {
		fh.Close()
		_ = f.client.Remove(name)
		return nil, wrapErr("chmod", name, err)
	}
	return fh, nil
}

// Mkdir creates the directory name. pkg/sftp sends no mode with MKDIR, so
// the permission bits are set afterwards when they differ from 0755.
func (f *FS) Mkdir(_ context.Context, name string, perm fs.FileMode) error {
	if err := f.client.Mkdir(name); err != nil {
		return wrapErr("mkdir", name, err)
	}
	if perm != 0 && perm.Perm() != 0o755 {
		return wrapErr("chmod", name, f.client.Chmod(name, perm))
	}
	return nil
}

// Remove removes a file or an empty directory.
func (f *FS) Remove(_ context.Context, name string) error {
	return wrapErr("remove", name, f.client.Remove(name))
}

// Rename renames oldname to newname. It uses posix-rename@openssh.com,
// which replaces newname atomically, when the server advertises it; plain
// SFTP rename fails when newname exists.
func (f *FS) Rename(_ context.Context, oldname, newname string) error {
	if _, ok := f.client.HasExtension("posix-rename@openssh.com"); ok {
		return wrapErr("rename", oldname, f.client.PosixRename(oldname, newname))
	}
	return wrapErr("rename", oldname, f.client.Rename(oldname, newname))
}

// Chmod changes the permission bits of name.
func (f *FS) Chmod(_ context.Context, name string, mode fs.FileMode) error {
	return wrapErr("chmod", name, f.client.Chmod(name, mode))
}

// Chtimes sets the access and modification times of name.
func (f *FS) Chtimes(_ context.Context, name string, atime, mtime time.Time) error {
	return wrapErr("chtimes", name, f.client.Chtimes(name, atime, mtime))
}

// Symlink creates newname as a symbolic link to target.
func (f *FS) Symlink(_ context.Context, target, newname string) error {
	return wrapErr("symlink", newname, f.client.Symlink(target, newname))
}
