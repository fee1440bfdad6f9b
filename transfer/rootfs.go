package transfer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ErrOutsideRoot is the cause when a local path lies outside the
// destination directory a copy was confined to.
var ErrOutsideRoot = errors.New("path is outside the destination directory")

// rootFS is an FS over an os.Root: local paths below dir are made relative
// to it and every operation goes through the root, which refuses to leave
// it, also by way of symbolic links.
type rootFS struct {
	label string
	dir   string
	root  *os.Root
	dirs  rootDirs // directories below root kept open (rootdirs.go)
}

// close closes the kept directories and the root.
func (r *rootFS) close() error {
	r.dirs.close()
	return r.root.Close()
}

// rel turns the absolute path name into a path relative to the root.
func (r *rootFS) rel(op, name string) (string, error) {
	rel, err := filepath.Rel(r.dir, name)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return "", &fs.PathError{Op: op, Path: name, Err: ErrOutsideRoot}
	}
	return rel, nil
}

func (r *rootFS) Label() string                        { return r.label }
func (r *rootFS) Home(context.Context) (string, error) { return r.dir, nil }
func (r *rootFS) Join(elem ...string) string           { return filepath.Join(elem...) }
func (r *rootFS) Separator() string                    { return string(filepath.Separator) }
func (r *rootFS) Dir(name string) string               { return filepath.Dir(name) }
func (r *rootFS) Base(name string) string              { return filepath.Base(name) }

func (r *rootFS) Stat(_ context.Context, name string) (fs.FileInfo, error) {
	rel, err := r.rel("stat", name)
	if err != nil {
		return nil, err
	}
	return inDir(r, rel, (*os.Root).Stat)
}

func (r *rootFS) Lstat(_ context.Context, name string) (fs.FileInfo, error) {
	rel, err := r.rel("lstat", name)
	if err != nil {
		return nil, err
	}
	return inDir(r, rel, (*os.Root).Lstat)
}

func (r *rootFS) ReadDir(_ context.Context, name string) ([]fs.FileInfo, error) {
	rel, err := r.rel("readdir", name)
	if err != nil {
		return nil, err
	}
	f, err := r.root.Open(rel)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ents, err := f.ReadDir(-1)
	if err != nil {
		return nil, err
	}
	infos := make([]fs.FileInfo, 0, len(ents))
	for _, e := range ents {
		fi, err := e.Info()
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		infos = append(infos, fi)
	}
	return infos, nil
}

func (r *rootFS) Readlink(_ context.Context, name string) (string, error) {
	rel, err := r.rel("readlink", name)
	if err != nil {
		return "", err
	}
	return r.root.Readlink(rel)
}

func (r *rootFS) Open(_ context.Context, name string) (io.ReadCloser, error) {
	rel, err := r.rel("open", name)
	if err != nil {
		return nil, err
	}
	return r.root.Open(rel)
}

// CreateExcl creates name with perm; the process umask applies, as it does
// for any download.
func (r *rootFS) CreateExcl(_ context.Context, name string, perm fs.FileMode) (io.WriteCloser, error) {
	rel, err := r.rel("create", name)
	if err != nil {
		return nil, err
	}
	return inDir(r, rel, func(root *os.Root, name string) (io.WriteCloser, error) {
		f, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm.Perm())
		if err != nil {
			return nil, err // not a nil *os.File in an interface
		}
		return f, nil
	})
}

func (r *rootFS) OpenFile(_ context.Context, name string, flag int) (io.ReadWriteCloser, error) {
	if flag&(os.O_CREATE|os.O_EXCL) != 0 {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fmt.Errorf("OpenFile does not create files: %w", fs.ErrInvalid)}
	}
	rel, err := r.rel("open", name)
	if err != nil {
		return nil, err
	}
	return inDir(r, rel, func(root *os.Root, name string) (io.ReadWriteCloser, error) {
		f, err := root.OpenFile(name, flag, 0)
		if err != nil {
			return nil, err
		}
		return f, nil
	})
}

func (r *rootFS) Mkdir(_ context.Context, name string, perm fs.FileMode) error {
	rel, err := r.rel("mkdir", name)
	if err != nil {
		return err
	}
	return noValue(inDir(r, rel, func(root *os.Root, name string) (struct{}, error) {
		return struct{}{}, root.Mkdir(name, perm.Perm())
	}))
}

func (r *rootFS) Remove(_ context.Context, name string) error {
	rel, err := r.rel("remove", name)
	if err != nil {
		return err
	}
	err = noValue(inDir(r, rel, func(root *os.Root, name string) (struct{}, error) {
		return struct{}{}, root.Remove(name)
	}))
	if err == nil {
		r.dirs.forget(rel)
	}
	return err
}

func (r *rootFS) Rename(_ context.Context, oldname, newname string) error {
	o, err := r.rel("rename", oldname)
	if err != nil {
		return err
	}
	n, err := r.rel("rename", newname)
	if err != nil {
		return err
	}
	if filepath.Dir(o) != filepath.Dir(n) {
		err = r.root.Rename(o, n)
	} else {
		err = noValue(inDir(r, o, func(root *os.Root, name string) (struct{}, error) {
			to := n
			if name != o {
				to = filepath.Base(n)
			}
			return struct{}{}, root.Rename(name, to)
		}))
	}
	if err == nil {
		r.dirs.forget(o)
		r.dirs.forget(n)
	}
	return err
}

func (r *rootFS) Chmod(_ context.Context, name string, mode fs.FileMode) error {
	rel, err := r.rel("chmod", name)
	if err != nil {
		return err
	}
	return noValue(inDir(r, rel, func(root *os.Root, name string) (struct{}, error) {
		return struct{}{}, root.Chmod(name, mode)
	}))
}

func (r *rootFS) Chtimes(_ context.Context, name string, atime, mtime time.Time) error {
	rel, err := r.rel("chtimes", name)
	if err != nil {
		return err
	}
	return noValue(inDir(r, rel, func(root *os.Root, name string) (struct{}, error) {
		return struct{}{}, root.Chtimes(name, atime, mtime)
	}))
}

func (r *rootFS) Symlink(_ context.Context, target, newname string) error {
	rel, err := r.rel("symlink", newname)
	if err != nil {
		return err
	}
	return r.root.Symlink(target, rel)
}

// noValue drops the value of an inDir that has none.
func noValue(_ struct{}, err error) error { return err }
