package transfer

import (
	"context"
	"io"
	"io/fs"
	"time"
)

// FS is a file system ferry can browse and copy to and from. Paths are
// absolute and use the file system's own separator rules (see Join and
// Separator).
//
// local.FS and remote.FS satisfy FS without importing this package: every
// method uses standard library types only.
type FS interface {
	// Label names the file system for display: "local" or a host alias.
	Label() string
	// Home returns the directory a session starts in: the working
	// directory locally, the login directory remotely.
	Home(ctx context.Context) (string, error)
	// Join joins path elements with the file system's separator.
	Join(elem ...string) string
	// Separator returns the separator Join puts between elements: "/"
	// remotely, the operating system's locally.
	Separator() string
	// Dir returns all but the last element of name.
	Dir(name string) string
	// Base returns the last element of name.
	Base(name string) string

	// Stat follows symbolic links; Lstat does not.
	Stat(ctx context.Context, name string) (fs.FileInfo, error)
	// Lstat describes name without following a final symbolic link.
	Lstat(ctx context.Context, name string) (fs.FileInfo, error)
	// ReadDir lists a directory in no particular order.
	ReadDir(ctx context.Context, name string) ([]fs.FileInfo, error)
	// Readlink returns the target of a symbolic link.
	Readlink(ctx context.Context, name string) (string, error)

	// Open opens a file for reading.
	Open(ctx context.Context, name string) (io.ReadCloser, error)
	// CreateExcl creates a new file that must not exist yet (O_EXCL) with
	// permission bits perm, opened for writing.
	CreateExcl(ctx context.Context, name string, perm fs.FileMode) (io.WriteCloser, error)

	// Mkdir creates one directory.
	Mkdir(ctx context.Context, name string, perm fs.FileMode) error
	// Remove removes a file or an empty directory.
	Remove(ctx context.Context, name string) error
	// Rename renames oldname to newname, replacing newname atomically
	// where the file system supports it.
	Rename(ctx context.Context, oldname, newname string) error
	// Chmod changes permission bits.
	Chmod(ctx context.Context, name string, mode fs.FileMode) error
	// Chtimes sets access and modification times.
	Chtimes(ctx context.Context, name string, atime, mtime time.Time) error
	// Symlink creates newname as a symbolic link to target.
	Symlink(ctx context.Context, target, newname string) error
}
