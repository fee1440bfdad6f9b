package transfer

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"reflect"
	"slices"
	"strings"
)

// A move (Request.Move) is a copy whose sources are removed as they
// arrive. A file or symbolic link is removed by the worker that copied
// it, right after its copy was committed under its final name, and only
// if it is still the file that was copied (same size and time, and on the
// local disk the same inode); otherwise it is kept, and a SourceKept
// event says why. A source whose copy failed, was skipped or was
// cancelled is never touched. Directories are removed when the batch
// ends, deepest first, and only those that are empty by then. A source
// that is a symbolic link to a directory was copied through the link, so
// nothing below it is removed: only the link itself, once everything
// below it arrived.
//
// Within one file system (Request.Src and Request.Dst the same value), an
// item whose destination does not exist yet is simply renamed; anything
// else (a conflict, another device) is copied and removed.

// Causes a move reports in JobStatus.SourceErr and SourceKept events,
// wrapped with the operation and the source path; test them with
// errors.Is.
var (
	// ErrSourceChanged: the source is not what was copied any more (its
	// size, time or identity changed during the copy), so it was kept.
	ErrSourceChanged = errors.New("the source changed while it was copied, so it was kept")
	// ErrSourceNotEmpty: a source directory still holds entries that
	// were not moved, so it was kept.
	ErrSourceNotEmpty = errors.New("the source directory still holds entries that were not moved, so it was kept")
)

// sameObject reports whether a and b are the same file system value.
func sameObject(a, b FS) bool {
	ta := reflect.TypeOf(a)
	if ta != reflect.TypeOf(b) || !ta.Comparable() {
		return false
	}
	return a == b
}

// renameItem moves item it with one rename when the batch is a move
// within one file system and nothing is at the destination yet, and
// records it as a finished job. It reports whether it did; any failure
// leaves the item to be copied and removed.
func (w *walker) renameItem(it Item) bool {
	src, dst := w.b.req.Src, w.b.req.Dst
	if !sameObject(src, dst) {
		return false
	}
	if _, err := dst.Lstat(w.ctx, it.Dst); !errors.Is(err, fs.ErrNotExist) {
		return false
	}
	fi, err := src.Lstat(w.ctx, it.Src)
	if err != nil || w.ctx.Err() != nil {
		return false
	}
	if err := src.Rename(w.ctx, it.Src, it.Dst); err != nil {
		return false
	}
	j := &job{b: w.b, src: it.Src, dst: dst.Join(it.Dst), rootSrc: src.Dir(it.Src), info: fi,
		kind: KindOf(fi.Mode()), renamed: true, srcRemoved: true}
	w.add(j, Done)
	return true
}

// KindOf returns the job kind for mode.
func KindOf(mode fs.FileMode) Kind {
	switch {
	case mode.IsDir():
		return KindDir
	case mode.IsRegular():
		return KindFile
	case mode&fs.ModeSymlink != 0:
		return KindSymlink
	}
	return KindOther
}

// markDirLink notes, for a move, that item job j reached its directory
// through the symbolic link at its source: nothing below is removed.
func (w *walker) markDirLink(j *job) {
	if !w.b.req.Move {
		return
	}
	if fi, err := w.b.req.Src.Lstat(w.ctx, j.src); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		j.link = j.src
	}
}

// removeSource removes the source of file or link job j, whose copy of
// size bytes was just committed, unless it changed meanwhile. A source
// already gone counts as removed.
func (e *Engine) removeSource(ctx context.Context, j *job, size int64) {
	if j.link != "" {
		return
	}
	src := j.b.req.Src
	fi, err := src.Lstat(ctx, j.src)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		e.sourceRemoved(j)
		return
	case err != nil:
		e.sourceKept(j, err)
		return
	case fi.Mode().IsRegular() && changed(j.info, fi, size):
		e.sourceKept(j, &fs.PathError{Op: "move", Path: j.src, Err: ErrSourceChanged})
		return
	}
	if err := src.Remove(ctx, j.src); err != nil && !errors.Is(err, fs.ErrNotExist) {
		e.sourceKept(j, err)
		return
	}
	e.sourceRemoved(j)
}

// changed reports whether a regular file listed as was, of which size
// bytes were copied, is now something else.
func changed(was, now fs.FileInfo, size int64) bool {
	if now.Size() != size || !now.ModTime().Equal(was.ModTime()) {
		return true
	}
	a, b := idOf(was), idOf(now)
	return a.ok && b.ok && a != b
}

// sourceRemoved records that j's source is gone.
func (e *Engine) sourceRemoved(j *job) {
	e.mu.Lock()
	defer e.mu.Unlock()
	j.srcRemoved, j.srcErr = true, nil
	e.emit(j.b, Event{Kind: SourceRemoved, Batch: j.b.id, Job: j.id, State: j.state, Path: j.src})
}

// sourceKept records why j's source stays.
func (e *Engine) sourceKept(j *job, err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	j.srcErr = err
	e.emit(j.b, Event{Kind: SourceKept, Batch: j.b.id, Job: j.id, State: j.state, Path: j.src, Err: err})
}

// linkTally counts the jobs below a source that is a link to a directory.
type linkTally struct {
	item    *job
	allDone bool
}

// sweepMove finishes a move batch when its jobs are all terminal: the
// source directories that were copied and are empty now go, deepest
// first, then the links to directories everything below which arrived.
// Sweeps of one batch run one at a time; a retried batch sweeps again.
func (e *Engine) sweepMove(b *batch) {
	b.sweepMu.Lock()
	defer b.sweepMu.Unlock()
	ctx := e.ctx
	if ctx.Err() != nil {
		return
	}
	var dirs []*job
	links := map[string]*linkTally{}
	e.mu.Lock()
	for _, j := range b.jobs {
		if j.link != "" {
			t := links[j.link]
			if t == nil {
				t = &linkTally{allDone: true}
				links[j.link] = t
			}
			if j.src == j.link {
				t.item = j
			}
			t.allDone = t.allDone && j.state == Done
			continue
		}
		if j.kind == KindDir && j.state == Done && !j.srcRemoved {
			dirs = append(dirs, j)
		}
	}
	e.mu.Unlock()
	sep := b.req.Src.Separator()
	slices.SortStableFunc(dirs, func(a, c *job) int { return strings.Count(c.src, sep) - strings.Count(a.src, sep) })
	for _, d := range dirs {
		e.removeDir(ctx, d)
	}
	for _, t := range links {
		if t.item == nil || !t.allDone || t.item.srcRemoved {
			continue
		}
		fi, err := b.req.Src.Lstat(ctx, t.item.src)
		if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			continue
		}
		if err := b.req.Src.Remove(ctx, t.item.src); err != nil {
			e.sourceKept(t.item, err)
			continue
		}
		e.sourceRemoved(t.item)
	}
}

// removeDir removes the source directory of dir job d if it is empty.
func (e *Engine) removeDir(ctx context.Context, d *job) {
	src := d.b.req.Src
	infos, err := src.ReadDir(ctx, d.src)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return
	case err != nil:
		e.sourceKept(d, err)
		return
	case len(infos) > 0:
		e.sourceKept(d, &fs.PathError{Op: "move", Path: d.src, Err: fmt.Errorf("%w (%d left)", ErrSourceNotEmpty, len(infos))})
		return
	}
	if err := src.Remove(ctx, d.src); err != nil && !errors.Is(err, fs.ErrNotExist) {
		e.sourceKept(d, err)
		return
	}
	e.sourceRemoved(d)
}
