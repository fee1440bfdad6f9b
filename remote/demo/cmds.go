package demo

import (
	"errors"
	"io/fs"
	"os"
	"syscall"

	"github.com/pkg/sftp"
)

// Filecmd changes the file system: Setstat, Rename, Rmdir, Mkdir, Link,
// Symlink and Remove.
func (h handlers) Filecmd(r *sftp.Request) error {
	switch r.Method {
	case "Setstat":
		return h.setstat(r)
	case "Rename":
		return h.rename(r.Filepath, r.Target)
	case "Rmdir":
		return h.remove("rmdir", r.Filepath, true)
	case "Remove":
		return h.remove("remove", r.Filepath, false)
	case "Mkdir":
		return wrapIf("mkdir", r.Filepath, h.j.at("mkdir", r.Filepath, false, func(p string) error {
			return h.j.root.Mkdir(p, newDirMode)
		}))
	case "Link":
		return wrapIf("link", r.Target, h.j.at2("link", r.Filepath, r.Target, h.j.root.Link))
	case "Symlink":
		// r.Filepath is the link's target, as the client sent it: it is
		// stored as given, relative or absolute, and the jail confines
		// whoever follows it.
		return wrapIf("symlink", r.Target, h.j.at("symlink", r.Target, false, func(p string) error {
			return h.j.root.Symlink(r.Filepath, p)
		}))
	}
	return sftp.ErrSSHFxOpUnsupported
}

// PosixRename renames r.Filepath to r.Target, replacing a file there
// atomically, as posix-rename@openssh.com promises.
func (h handlers) PosixRename(r *sftp.Request) error {
	return wrapIf("rename", r.Filepath, h.j.at2("rename", r.Filepath, r.Target, h.j.root.Rename))
}

// rename is SSH_FXP_RENAME as OpenSSH's sftp-server does it: it never
// replaces an existing target (SSH_FX_FAILURE). A regular file is linked
// to the new name and then unlinked from the old, which fails atomically
// if the new name exists; where the file system has no hard links, and for
// anything else, the new name is checked first.
func (h handlers) rename(oldname, newname string) error {
	return h.j.at2("rename", oldname, newname, func(oldp, newp string) error {
		fi, err := h.j.root.Lstat(oldp)
		if err != nil {
			return pathErr("rename", oldname, err)
		}
		if fi.Mode().IsRegular() {
			err := h.j.root.Link(oldp, newp)
			if err == nil {
				return wrapIf("rename", oldname, h.j.root.Remove(oldp))
			}
			if !linkUnsupported(err) {
				return pathErr("rename", newname, err)
			}
		}
		if _, err := h.j.root.Lstat(newp); err == nil {
			return &fs.PathError{Op: "rename", Path: newname, Err: syscall.EEXIST}
		} else if !errors.Is(err, fs.ErrNotExist) {
			return pathErr("rename", newname, err)
		}
		return wrapIf("rename", oldname, h.j.root.Rename(oldp, newp))
	})
}

// linkUnsupported reports whether err, from a hard link, says that the
// file system cannot link (the cases where OpenSSH falls back to rename).
func linkUnsupported(err error) bool {
	return errors.Is(err, errors.ErrUnsupported) || errors.Is(err, syscall.ENOSYS) ||
		errors.Is(err, syscall.EXDEV) || errors.Is(err, syscall.EPERM)
}

// remove removes name, which must be a directory when dir is set and must
// not be one otherwise, as rmdir(2) and unlink(2) insist.
func (h handlers) remove(op, name string, dir bool) error {
	return wrapIf(op, name, h.j.at(op, name, false, func(p string) error {
		fi, err := h.j.root.Lstat(p)
		if err != nil {
			return err
		}
		switch {
		case dir && !fi.IsDir():
			return &fs.PathError{Op: op, Path: name, Err: syscall.ENOTDIR}
		case !dir && fi.IsDir():
			return &fs.PathError{Op: op, Path: name, Err: syscall.EISDIR}
		}
		return h.j.root.Remove(p)
	}))
}

// setstat applies the attributes of r to r.Filepath, following a symbolic
// link in the last component: size, permissions, owner, times.
func (h handlers) setstat(r *sftp.Request) error {
	flags, a := r.AttrFlags(), r.Attributes()
	return h.j.at("setstat", r.Filepath, true, func(p string) error {
		if flags.Size {
			if err := h.truncate(p, r.Filepath, int64(a.Size)); err != nil {
				return err
			}
		}
		if flags.Permissions {
			if err := h.j.root.Chmod(p, a.FileMode()); err != nil {
				return pathErr("chmod", r.Filepath, err)
			}
		}
		if flags.UidGid {
			if err := h.j.root.Chown(p, int(a.UID), int(a.GID)); err != nil {
				return pathErr("chown", r.Filepath, err)
			}
		}
		if flags.Acmodtime {
			if err := h.j.root.Chtimes(p, a.AccessTime(), a.ModTime()); err != nil {
				return pathErr("chtimes", r.Filepath, err)
			}
		}
		return nil
	})
}

// truncate sets the size of the regular file p (root-relative; name is the
// client's path). Anything else is refused before it is opened, so that
// opening a FIFO cannot block the session.
func (h handlers) truncate(p, name string, size int64) error {
	fi, err := h.j.root.Stat(p)
	if err != nil {
		return pathErr("truncate", name, err)
	}
	if fi.IsDir() {
		return &fs.PathError{Op: "truncate", Path: name, Err: syscall.EISDIR}
	}
	if !fi.Mode().IsRegular() {
		return &fs.PathError{Op: "truncate", Path: name, Err: syscall.EINVAL}
	}
	f, err := h.j.root.OpenFile(p, os.O_WRONLY, 0)
	if err != nil {
		return pathErr("truncate", name, err)
	}
	err = f.Truncate(size)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return wrapIf("truncate", name, err)
}
