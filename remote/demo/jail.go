package demo

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"strings"
	"syscall"
)

// maxSymlinks bounds the symbolic links followed while resolving one path,
// as Linux's limit for one lookup does.
const maxSymlinks = 40

// jail maps the paths of an SFTP client onto the served directory the way
// OpenSSH's ChrootDirectory does: "/" is the directory, ".." at the top
// stays at the top, and a symbolic link is followed as the kernel would
// inside the chroot, so an absolute target starts again from the top and
// a relative one climbing past it stops there. Every file system call
// goes through an os.Root opened on the directory, which refuses whatever
// points outside, so that nothing outside the directory is ever read,
// written or listed.
type jail struct {
	root *os.Root
}

// at runs fn, a call on j.root, with the root-relative path of name, a
// clean absolute client path. It first passes the path as it is: os.Root
// follows the symbolic links that stay inside the root as a chroot would,
// at no extra cost. Only when os.Root refuses it because a link leads out
// (an absolute target, or one climbing past the top) is name resolved as
// in a chroot, with the last component followed if followLast is set, and
// fn run again on the result; a link changed meanwhile is refused again.
func (j *jail) at(op, name string, followLast bool, fn func(p string) error) error {
	err := fn(lexical(name))
	if !escaped(err) {
		return err
	}
	p, err := j.resolve(op, name, followLast)
	if err != nil {
		return err
	}
	return fn(p)
}

// at2 is at for the two paths of a rename or a link; neither last
// component is followed.
func (j *jail) at2(op, oldname, newname string, fn func(oldp, newp string) error) error {
	err := fn(lexical(oldname), lexical(newname))
	if !escaped(err) {
		return err
	}
	oldp, err := j.resolve(op, oldname, false)
	if err != nil {
		return err
	}
	newp, err := j.resolve(op, newname, false)
	if err != nil {
		return err
	}
	return fn(oldp, newp)
}

// lexical returns name, a clean absolute client path, relative to the
// root: without its leading "/", and "." for "/".
func lexical(name string) string {
	if p := strings.TrimLeft(name, "/"); p != "" {
		return p
	}
	return "."
}

// escaped reports whether err says that os.Root refused a path because a
// symbolic link in it leads out of the root. os.Root's error for that is
// not a system error number, unlike the errors of the calls themselves.
func escaped(err error) bool {
	var pe *fs.PathError
	var le *os.LinkError
	var inner error
	switch {
	case errors.As(err, &pe):
		inner = pe.Err
	case errors.As(err, &le):
		inner = le.Err
	default:
		return false
	}
	var errno syscall.Errno
	return !errors.As(inner, &errno)
}

// resolve maps name, a clean absolute client path, to a path relative to
// the root, "." for the root itself, in which no component is a symbolic
// link (when it looked): each link is read and replaced by its target as
// a chroot would, one Lstat per component, which is why at tries the path
// as it is first. The last component is followed only when followLast is set, as
// stat follows it and lstat, remove and rename do not. A last component
// that does not exist is kept, so that it can be created; any other
// component that does not exist makes resolve fail with ENOENT. Errors
// are *fs.PathError values naming op and the client's path.
func (j *jail) resolve(op, name string, followLast bool) (string, error) {
	todo := strings.Split(name, "/")
	var done []string
	links := 0
	for len(todo) > 0 {
		c := todo[0]
		todo = todo[1:]
		switch c {
		case "", ".":
			continue
		case "..":
			if len(done) > 0 {
				done = done[:len(done)-1]
			}
			continue
		}
		last := !hasComponents(todo)
		cur := path.Join(path.Join(done...), c)
		if last && !followLast {
			done = append(done, c)
			continue
		}
		fi, err := j.root.Lstat(cur)
		if err != nil {
			if last && errors.Is(err, fs.ErrNotExist) {
				done = append(done, c)
				continue
			}
			return "", pathErr(op, name, err)
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			done = append(done, c)
			continue
		}
		if links++; links > maxSymlinks {
			return "", &fs.PathError{Op: op, Path: name, Err: syscall.ELOOP}
		}
		target, err := j.root.Readlink(cur)
		if err != nil {
			return "", pathErr(op, name, err)
		}
		if path.IsAbs(target) {
			done = done[:0]
		}
		todo = append(strings.Split(target, "/"), todo...)
	}
	if len(done) == 0 {
		return ".", nil
	}
	return path.Join(done...), nil
}

// hasComponents reports whether parts, the rest of a split path, still
// names a component: something other than "" and ".". A ".." counts, as
// it makes the component before it a directory to walk through.
func hasComponents(parts []string) bool {
	for _, p := range parts {
		if p != "" && p != "." {
			return true
		}
	}
	return false
}

// pathErr names op and the client's path in err, an error from the root,
// which names the root-relative path. The system error number inside is
// kept, so that the SFTP status sent for it is the one it maps to (and
// errors.Is still matches fs.ErrNotExist and the like); *os.LinkError
// becomes a *fs.PathError too, since pkg/sftp maps only the latter's
// numbers to statuses such as permission denied.
func pathErr(op, name string, err error) error {
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		err = pe.Err
	case errors.As(err, &le):
		err = le.Err
	}
	return &fs.PathError{Op: op, Path: name, Err: err}
}

// checkDir returns an error unless name, a clean absolute client path, is
// a directory.
func (j *jail) checkDir(name string) error {
	var fi fs.FileInfo
	err := j.at("stat", name, true, func(p string) (err error) {
		fi, err = j.root.Stat(p)
		return err
	})
	if err != nil {
		return pathErr("stat", name, err)
	}
	if !fi.IsDir() {
		return &fs.PathError{Op: "stat", Path: name, Err: syscall.ENOTDIR}
	}
	return nil
}
