package transfer

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// A local copy below a destination goes through an os.Root, which opens
// every directory of a path in turn (openat with O_NOFOLLOW, then close)
// so that no symbolic link leads out of it. For a tree of small files that
// walk was most of the client's system calls: each file is created,
// timed, checked and renamed by its full path, four walks. rootFS keeps
// the directories it works in open as roots of their own and does each
// operation on the last element of the path, one system call.
//
// A directory kept open is the directory ferry found at that path: when
// another program renames it away during the copy, later files may land
// in it under its new name (as they would with any open directory handle;
// os.Root documents the same of its own directory). ferry's own renames
// and removals forget the directories they touch, and any error from a
// kept directory forgets it and repeats the operation by the full path
// through the top root, so that a failure always reads as it did.

// maxDirs bounds how many directories one rootFS keeps open.
const maxDirs = 32

// dirRoot is a directory below the root, open as a root of its own.
type dirRoot struct {
	root  *os.Root
	refs  int    // operations running on it
	gone  bool   // forgotten while in use: closed at its last release
	stamp uint64 // when last used, for eviction
}

// rootDirs is a rootFS's cache of open directories, by path relative to
// the top root.
type rootDirs struct {
	mu     sync.Mutex
	m      map[string]*dirRoot
	clock  uint64
	closed bool
}

// acquire returns dir open as a root, opening it through top when it is
// not kept, with the function that lets go of it; nil when it cannot be
// opened (the caller then goes by the full path).
func (c *rootDirs) acquire(top *os.Root, dir string) (*os.Root, func()) {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil, nil
	}
	c.clock++
	if d := c.m[dir]; d != nil {
		d.refs++
		d.stamp = c.clock
		c.mu.Unlock()
		return d.root, func() { c.release(d) }
	}
	c.mu.Unlock()
	root, err := top.OpenRoot(dir)
	if err != nil {
		return nil, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if d := c.m[dir]; d != nil || c.closed || !c.makeRoom() {
		// Opened meanwhile by another operation, closed, or full of
		// directories in use: this one is used once.
		return root, func() { root.Close() }
	}
	if c.m == nil {
		c.m = make(map[string]*dirRoot)
	}
	d := &dirRoot{root: root, refs: 1, stamp: c.clock}
	c.m[dir] = d
	return root, func() { c.release(d) }
}

// makeRoom evicts the least recently used idle directory when the cache
// is full, and reports whether there is room.
func (c *rootDirs) makeRoom() bool {
	if len(c.m) < maxDirs {
		return true
	}
	var oldest string
	var od *dirRoot
	for k, d := range c.m {
		if d.refs == 0 && (od == nil || d.stamp < od.stamp) {
			oldest, od = k, d
		}
	}
	if od == nil {
		return false
	}
	delete(c.m, oldest)
	od.root.Close()
	return true
}

func (c *rootDirs) release(d *dirRoot) {
	c.mu.Lock()
	defer c.mu.Unlock()
	d.refs--
	if d.refs == 0 && d.gone {
		d.root.Close()
	}
}

// forget drops dir and every kept directory below it (it was renamed or
// removed, or an operation in it failed).
func (c *rootDirs) forget(dir string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	prefix := dir + string(filepath.Separator)
	for k, d := range c.m {
		if k != dir && !strings.HasPrefix(k, prefix) && dir != "." {
			continue
		}
		delete(c.m, k)
		if d.refs == 0 {
			d.root.Close()
		} else {
			d.gone = true
		}
	}
}

// close closes every kept directory; none may be in use.
func (c *rootDirs) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	for k, d := range c.m {
		delete(c.m, k)
		if d.refs == 0 {
			d.root.Close()
		} else {
			d.gone = true
		}
	}
}

// inDir runs f on the last element of rel through rel's directory kept
// open, or through the top root when rel has no directory part or its
// directory cannot be opened. Any error from a kept directory runs f
// again on the whole of rel through the top root, whose answer stands;
// the directory is forgotten unless both say the name does not exist,
// the answer the engine expects when it looks for a destination or a
// partial copy that is not there.
func inDir[T any](r *rootFS, rel string, f func(root *os.Root, name string) (T, error)) (T, error) {
	dir, base := filepath.Split(rel)
	if dir == "" || base == "" {
		return f(r.root, rel)
	}
	dir = filepath.Clean(dir)
	sub, release := r.dirs.acquire(r.root, dir)
	if sub == nil {
		return f(r.root, rel)
	}
	v, err := f(sub, base)
	release()
	if err == nil {
		return v, nil
	}
	v, err2 := f(r.root, rel)
	if !errors.Is(err, fs.ErrNotExist) || !errors.Is(err2, fs.ErrNotExist) {
		r.dirs.forget(dir)
	}
	return v, err2
}
