package transfer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"sync"
)

// Chowner is implemented by file systems that can change the owner and
// group of a file (local.FS, remote.FS). An id of -1 leaves that one as
// it is.
type Chowner interface {
	Chown(ctx context.Context, name string, uid, gid int) error
}

// IDLookuper is implemented by file systems that can turn user and group
// names into numeric ids: the local disk through its user database, a
// server through the names its long listings show. LookupIDs returns the
// uid of user and the gid of group, -1 for "", and an error naming a name
// it does not know; near is a directory whose entries the names may own.
type IDLookuper interface {
	LookupIDs(ctx context.Context, near, user, group string) (uid, gid int, err error)
}

// ErrNoChown says a file system cannot change owners.
var ErrNoChown = errors.New("this file system cannot change owners")

// ChmodAll changes the mode of name and, when recursive is set and name
// is a directory, of everything below it, to what change returns for each
// entry's current mode. Symbolic links are left alone (their own mode
// means nothing, and SFTP would change their targets). It stops at the
// first error and returns how many entries it changed. A directory is
// changed before its entries are listed, so that u+rx can open it.
func ChmodAll(ctx context.Context, fsys FS, name string, recursive bool, change func(fs.FileMode) fs.FileMode) (n int, err error) {
	do := func(p string, fi fs.FileInfo) error {
		if fi.Mode()&fs.ModeSymlink != 0 {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if m := change(fi.Mode()); m != fi.Mode() {
			if err := fsys.Chmod(ctx, p, m); err != nil {
				return err
			}
		}
		n++
		return nil
	}
	if !recursive {
		fi, err := fsys.Lstat(ctx, name)
		if err != nil {
			return 0, err
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			// A link given by name: change its target, as chmod does.
			if fi, err = fsys.Stat(ctx, name); err != nil {
				return 0, err
			}
		}
		return n, do(name, fi)
	}
	return n, Walk(ctx, fsys, name, do, nil)
}

// ChownAll changes the owner and group of name and, when recursive is set,
// of everything below it, like chown -R (symbolic links are skipped: SFTP
// would change their targets). fsys must be a Chowner.
func ChownAll(ctx context.Context, fsys FS, name string, uid, gid int, recursive bool) error {
	c, ok := fsys.(Chowner)
	if !ok {
		return &fs.PathError{Op: "chown", Path: name, Err: ErrNoChown}
	}
	if !recursive {
		return c.Chown(ctx, name, uid, gid)
	}
	return Walk(ctx, fsys, name, func(p string, fi fs.FileInfo) error {
		if fi.Mode()&fs.ModeSymlink != 0 {
			return nil
		}
		return c.Chown(ctx, p, uid, gid)
	}, nil)
}

// CreateEmpty creates name as a new empty file, failing with fs.ErrExist
// when something is there. Its permission bits are the file system's
// default for new files where it has one (remote), else 0666 less the
// umask.
func CreateEmpty(ctx context.Context, fsys FS, name string) error {
	// SFTP servers answer O_EXCL on an existing name with a bare failure
	// (OpenSSH): look first, so the user is told what is wrong.
	if _, err := fsys.Lstat(ctx, name); err == nil {
		return &fs.PathError{Op: "create", Path: name, Err: fs.ErrExist}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	var w io.WriteCloser
	var err error
	if dc, ok := fsys.(DefaultCreator); ok {
		w, err = dc.CreateExclDefault(ctx, name)
	} else {
		w, err = fsys.CreateExcl(ctx, name, 0o666)
	}
	if err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return &fs.PathError{Op: "create", Path: name, Err: err}
	}
	return nil
}

// DirSizeWorkers is how many directories DirSize lists at once.
const DirSizeWorkers = 8

// DirSize adds up the sizes of the files below dir, as du -b does,
// without following symbolic links (a link counts its own size). Up to
// workers goroutines list directories at once (DirSizeWorkers when 0),
// taking them from one queue. It stops when ctx ends, and returns the
// total with the first error; a directory that cannot be listed is an
// error naming it.
func DirSize(ctx context.Context, fsys FS, dir string, workers int) (int64, error) {
	if workers <= 0 {
		workers = DirSizeWorkers
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	q := &duQueue{dirs: []duDir{{dir, 0}}, pending: 1}
	q.cond = sync.NewCond(&q.mu)
	stop := context.AfterFunc(ctx, func() {
		q.mu.Lock()
		q.fail(ctx.Err())
		q.mu.Unlock()
	})
	defer stop()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				d, ok := q.take()
				if !ok {
					return
				}
				size, subs, err := duList(ctx, fsys, d)
				q.done(size, subs, err)
			}
		}()
	}
	wg.Wait()
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.total, q.err
}

// duDir is a directory DirSize has still to list, and its depth.
type duDir struct {
	path  string
	depth int
}

// duQueue is DirSize's work: the directories to list, how many are
// listed or waiting (pending), the total so far and the first error.
type duQueue struct {
	mu      sync.Mutex
	cond    *sync.Cond
	dirs    []duDir
	pending int
	total   int64
	err     error
}

// take returns the next directory to list; ok is false when the work is
// finished or has failed.
func (q *duQueue) take() (duDir, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.dirs) == 0 && q.pending > 0 && q.err == nil {
		q.cond.Wait()
	}
	if q.err != nil || len(q.dirs) == 0 {
		return duDir{}, false
	}
	d := q.dirs[len(q.dirs)-1]
	q.dirs = q.dirs[:len(q.dirs)-1]
	return d, true
}

// done records a listed directory: its files' size and its
// subdirectories, or its error.
func (q *duQueue) done(size int64, subs []duDir, err error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if err != nil {
		q.fail(err)
		return
	}
	q.total += size
	q.dirs = append(q.dirs, subs...)
	q.pending += len(subs) - 1
	q.cond.Broadcast()
}

// fail records the first error and wakes every worker; q.mu is held.
func (q *duQueue) fail(err error) {
	if q.err == nil {
		q.err = err
	}
	q.cond.Broadcast()
}

// duList lists d and returns the size of its non-directories and its
// subdirectories.
func duList(ctx context.Context, fsys FS, d duDir) (int64, []duDir, error) {
	if d.depth > MaxDepth {
		return 0, nil, &fs.PathError{Op: "du", Path: d.path, Err: fmt.Errorf("more than %d levels deep", MaxDepth)}
	}
	entries, err := fsys.ReadDir(ctx, d.path)
	if err != nil {
		return 0, nil, err
	}
	var size int64
	var subs []duDir
	for _, e := range entries {
		if err := checkEntryName(e.Name()); err != nil {
			return 0, nil, &fs.PathError{Op: "du", Path: d.path, Err: err}
		}
		if e.IsDir() {
			subs = append(subs, duDir{fsys.Join(d.path, e.Name()), d.depth + 1})
			continue
		}
		size += e.Size()
	}
	return size, subs, nil
}

// OwnerIDs turns user and group, each a number, a name or "" (unchanged),
// into numeric ids on fsys, -1 for what stays: numbers as they are, names
// through fsys's IDLookuper (near is the directory acted in).
func OwnerIDs(ctx context.Context, fsys FS, near, user, group string) (uid, gid int, err error) {
	uid, gid = -1, -1
	var names [2]string // user, group to look up
	for i, v := range []string{user, group} {
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		switch {
		case err == nil && n >= 0 && i == 0:
			uid = n
		case err == nil && n >= 0:
			gid = n
		default:
			names[i] = v
		}
	}
	if names[0] == "" && names[1] == "" {
		return uid, gid, nil
	}
	look, ok := fsys.(IDLookuper)
	if !ok {
		return 0, 0, fmt.Errorf("names are not known on %s: give numeric ids", fsys.Label())
	}
	lu, lg, err := look.LookupIDs(ctx, near, names[0], names[1])
	if err != nil {
		return 0, 0, err
	}
	if names[0] != "" {
		uid = lu
	}
	if names[1] != "" {
		gid = lg
	}
	return uid, gid, nil
}
