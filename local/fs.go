// Package local implements ferry's file system over the local disk.
package local

import (
	"context"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// FS is the local file system. The zero value is ready to use.
type FS struct{}

// New returns the local file system.
func New() *FS { return &FS{} }

// Label returns "local".
func (*FS) Label() string { return "local" }

// Home returns the current working directory.
func (*FS) Home(context.Context) (string, error) { return os.Getwd() }

// Join joins elements with the operating system's separator.
func (*FS) Join(elem ...string) string { return filepath.Join(elem...) }

// Separator returns the operating system's path separator.
func (*FS) Separator() string { return string(filepath.Separator) }

// Dir returns the parent of name.
func (*FS) Dir(name string) string { return filepath.Dir(name) }

// Base returns the last element of name.
func (*FS) Base(name string) string { return filepath.Base(name) }

// Stat describes name, following symbolic links.
func (*FS) Stat(_ context.Context, name string) (fs.FileInfo, error) { return os.Stat(name) }

// Lstat describes name without following a final symbolic link.
func (*FS) Lstat(_ context.Context, name string) (fs.FileInfo, error) { return os.Lstat(name) }

// ReadDir lists the directory name. Entries that vanish while it is being
// read are left out.
func (*FS) ReadDir(_ context.Context, name string) ([]fs.FileInfo, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	names, err := f.Readdirnames(-1)
	if err != nil {
		return nil, err
	}
	infos := make([]fs.FileInfo, 0, len(names))
	for _, n := range names {
		fi, err := os.Lstat(filepath.Join(name, n))
		if err != nil {
			if os.IsNotExist(err) {
				continue
			}
			return nil, err
		}
		infos = append(infos, fi)
	}
	return infos, nil
}

// Readlink returns the target of the symbolic link name.
func (*FS) Readlink(_ context.Context, name string) (string, error) { return os.Readlink(name) }

// Open opens name for reading.
func (*FS) Open(_ context.Context, name string) (io.ReadCloser, error) { return os.Open(name) }

// CreateExcl creates name, which must not exist, for writing.
func (*FS) CreateExcl(_ context.Context, name string, perm fs.FileMode) (io.WriteCloser, error) {
	return os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
}

// Mkdir creates the directory name.
func (*FS) Mkdir(_ context.Context, name string, perm fs.FileMode) error { return os.Mkdir(name, perm) }

// Remove removes a file or an empty directory.
func (*FS) Remove(_ context.Context, name string) error { return os.Remove(name) }

// Rename renames oldname to newname atomically.
func (*FS) Rename(_ context.Context, oldname, newname string) error {
	return os.Rename(oldname, newname)
}

// Chmod changes the permission bits of name.
func (*FS) Chmod(_ context.Context, name string, mode fs.FileMode) error { return os.Chmod(name, mode) }

// Chtimes sets the access and modification times of name.
func (*FS) Chtimes(_ context.Context, name string, atime, mtime time.Time) error {
	return os.Chtimes(name, atime, mtime)
}

// Symlink creates newname as a symbolic link to target.
func (*FS) Symlink(_ context.Context, target, newname string) error {
	return os.Symlink(target, newname)
}
