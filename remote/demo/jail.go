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
// a relative one climbing past it stops there. Every file system call then
// goes through an os.Root opened on the directory, which refuses what
// still points outside (a link changed while a path is resolved), so that
// nothing outside the directory is ever read, written or listed.
type jail struct {
	root *os.Root
}

// resolve maps name, a clean absolute client path, to a path relative to
// the root, "." for the root itself, in which no component is a symbolic
// link. The last component is followed only when followLast is set, as
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
	p, err := j.resolve("stat", name, true)
	if err != nil {
		return err
	}
	fi, err := j.root.Stat(p)
	if err != nil {
		return pathErr("stat", name, err)
	}
	if !fi.IsDir() {
		return &fs.PathError{Op: "stat", Path: name, Err: syscall.ENOTDIR}
	}
	return nil
}
