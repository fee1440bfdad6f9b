package transfer

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
)

// MkdirAll creates dir and any missing parents on fsys, like mkdir -p.
// An existing directory is not an error; an existing file is.
func MkdirAll(ctx context.Context, fsys FS, dir string, perm fs.FileMode) error {
	fi, err := fsys.Stat(ctx, dir)
	if err == nil {
		if fi.IsDir() {
			return nil
		}
		return &fs.PathError{Op: "mkdir", Path: dir, Err: errors.New("exists and is not a directory")}
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if parent := fsys.Dir(dir); parent != dir {
		if err := MkdirAll(ctx, fsys, parent, perm); err != nil {
			return err
		}
	}
	err = fsys.Mkdir(ctx, dir, perm)
	if err != nil {
		// Someone else may have made it meanwhile.
		if fi, serr := fsys.Stat(ctx, dir); serr == nil && fi.IsDir() {
			return nil
		}
	}
	return err
}

// Walk visits name and everything below it without following symbolic
// links: pre before a directory's entries, post after them (either may be
// nil). It refuses entry names that are not a single path element and
// trees deeper than MaxDepth, and stops at the first error or when ctx
// ends.
func Walk(ctx context.Context, fsys FS, name string, pre, post func(path string, fi fs.FileInfo) error) error {
	return walkTree(ctx, fsys, name, nil, 0, pre, post)
}

// RemoveAll removes name and, if it is a directory, everything below it,
// without following symbolic links. removed, if not nil, is called after
// each entry is removed. It stops at the first error, which names the
// operation and the path.
func RemoveAll(ctx context.Context, fsys FS, name string, removed func(path string, fi fs.FileInfo)) error {
	return walkTree(ctx, fsys, name, nil, 0, nil, func(p string, fi fs.FileInfo) error {
		if err := fsys.Remove(ctx, p); err != nil {
			return err
		}
		if removed != nil {
			removed(p, fi)
		}
		return nil
	})
}

// RenameNoReplace renames from to to unless something is already at to,
// which it reports as an fs.ErrExist PathError: a rename must never
// replace silently (plain SFTP rename refuses an existing target, but
// posix-rename would replace it).
func RenameNoReplace(ctx context.Context, fsys FS, from, to string) error {
	if _, err := fsys.Lstat(ctx, to); err == nil {
		return &fs.PathError{Op: "rename", Path: to, Err: fs.ErrExist}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return fsys.Rename(ctx, from, to)
}

// walkTree visits name and the tree below it: pre before a directory's
// entries, post after them. Symbolic links are visited, not followed. fi
// describes name when the caller already has it (a listing's entry, which
// describes links themselves); nil means Lstat it. Trees deeper than
// MaxDepth are refused, not followed.
func walkTree(ctx context.Context, fsys FS, name string, fi fs.FileInfo, depth int, pre, post func(string, fs.FileInfo) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if depth > MaxDepth {
		return &fs.PathError{Op: "walk", Path: name, Err: fmt.Errorf("deeper than %d levels", MaxDepth)}
	}
	if fi == nil {
		var err error
		if fi, err = fsys.Lstat(ctx, name); err != nil {
			return err
		}
	}
	if pre != nil {
		if err := pre(name, fi); err != nil {
			return err
		}
	}
	if fi.IsDir() {
		entries, err := fsys.ReadDir(ctx, name)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if err := checkEntryName(e.Name()); err != nil {
				return &fs.PathError{Op: "walk", Path: name, Err: err}
			}
			if err := walkTree(ctx, fsys, fsys.Join(name, e.Name()), e, depth+1, pre, post); err != nil {
				return err
			}
		}
	}
	if post != nil {
		return post(name, fi)
	}
	return nil
}

// checkEntryName rejects a directory entry name that could escape or
// confuse a path (see validName).
func checkEntryName(n string) error {
	if validName(n) {
		return nil
	}
	return fmt.Errorf("server listed an invalid name %q (not a single path element)", n)
}
