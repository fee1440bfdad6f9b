package tui

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"sync"

	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/transfer"
)

// A move is a copy whose sources are removed as they arrive: each file
// (or symbolic link) as soon as its own job is done, and directories when
// the batch ends, only if nothing is left in them. A source whose copy
// failed, was skipped or was cancelled is never touched. A source that is
// a symbolic link to a directory was copied through the link, so only the
// link itself is removed, and only when everything below it arrived.

// jobsPage is how many jobs a move's clean-up reads from the engine at a
// time.
const jobsPage = 1024

// removeWorkers bounds how many sources a move removes at once.
const removeWorkers = 16

// sourcesRemovedMsg reports which sources of moved files were removed.
type sourcesRemovedMsg struct {
	src   transfer.FS
	paths []string // removed
	err   error
}

// moveSweptMsg reports the end of a move's clean-up.
type moveSweptMsg struct {
	batch transfer.BatchID
	kept  int // source directories left because they still hold entries
	err   error
}

// removeMovedSources returns a Cmd removing the sources of jobs ids once
// the engine says they are done, a few at a time.
func removeMovedSources(ctx context.Context, e *transfer.Engine, b *batchInfo, ids []transfer.JobID) tea.Cmd {
	batch, src, dirLinks := b.id, b.src, b.dirLinks
	return func() tea.Msg {
		sep := src.Separator()
		var (
			mu    sync.Mutex
			wg    sync.WaitGroup
			paths []string
			errs  []error
		)
		sem := make(chan struct{}, removeWorkers)
		for _, id := range ids {
			j, ok := e.Job(id)
			if !ok || j.Batch != batch || j.State != transfer.Done || j.Kind != transfer.KindFile && j.Kind != transfer.KindSymlink ||
				linkOf(dirLinks, j.Src, sep) != "" {
				continue
			}
			sem <- struct{}{}
			wg.Add(1)
			go func() {
				defer func() { <-sem; wg.Done() }()
				err := removeSource(ctx, src, j)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					errs = append(errs, err)
				} else {
					paths = append(paths, j.Src)
				}
			}()
		}
		wg.Wait()
		if len(paths) == 0 && len(errs) == 0 {
			return nil
		}
		return sourcesRemovedMsg{src: src, paths: paths, err: summarizeErrors(errs)}
	}
}

// removeSource removes the source of a file or link job that is done. A
// regular file whose size no longer matches the copy changed meanwhile
// and is kept. A source already gone is not an error.
func removeSource(ctx context.Context, src transfer.FS, j transfer.JobStatus) error {
	if j.Kind == transfer.KindFile {
		fi, err := src.Lstat(ctx, j.Src)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil
		case err != nil:
			return err
		case fi.Mode().IsRegular() && fi.Size() != j.Done:
			return &fs.PathError{Op: "move", Path: j.Src, Err: errors.New("the source changed while it was copied, so it was kept")}
		}
	}
	err := src.Remove(ctx, j.Src)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// linkTally counts the jobs below a source that is a link to a directory.
type linkTally struct {
	jobs    int
	notDone bool
}

// sweepMove returns a Cmd finishing a move batch: it removes the sources
// of done files whose events were missed, then the source directories
// that are done and empty, deepest first, then the links to directories
// everything below which arrived.
func sweepMove(ctx context.Context, e *transfer.Engine, batch transfer.BatchID, src transfer.FS, dirLinks []string) tea.Cmd {
	return func() tea.Msg {
		sep := src.Separator()
		tallies := make(map[string]*linkTally, len(dirLinks))
		for _, l := range dirLinks {
			tallies[l] = &linkTally{}
		}
		var dirs []string
		var errs []error
		for off := 0; ; off += jobsPage {
			jobs := e.Jobs(off, jobsPage)
			for _, j := range jobs {
				if j.Batch != batch {
					continue
				}
				if l := linkOf(dirLinks, j.Src, sep); l != "" {
					tallies[l].jobs++
					tallies[l].notDone = tallies[l].notDone || j.State != transfer.Done
					continue
				}
				if j.State != transfer.Done {
					continue
				}
				switch j.Kind {
				case transfer.KindFile, transfer.KindSymlink:
					if err := removeSource(ctx, src, j); err != nil {
						errs = append(errs, err)
					}
				case transfer.KindDir:
					dirs = append(dirs, j.Src)
				}
			}
			if len(jobs) < jobsPage {
				break
			}
		}
		kept, err := removeEmptyDirs(ctx, src, dirs, sep)
		if err != nil {
			errs = append(errs, err...)
		}
		for _, l := range dirLinks {
			if t := tallies[l]; t.jobs > 0 && !t.notDone {
				if fi, err := src.Lstat(ctx, l); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
					if err := src.Remove(ctx, l); err != nil {
						errs = append(errs, err)
					}
				}
			}
		}
		return moveSweptMsg{batch: batch, kept: kept, err: summarizeErrors(errs)}
	}
}

// removeEmptyDirs removes the directories in dirs that are empty, deepest
// first, and counts those that are not.
func removeEmptyDirs(ctx context.Context, src transfer.FS, dirs []string, sep string) (kept int, errs []error) {
	slices.SortFunc(dirs, func(a, b string) int { return strings.Count(b, sep) - strings.Count(a, sep) })
	for _, d := range dirs {
		infos, err := src.ReadDir(ctx, d)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			continue
		case err != nil:
			errs = append(errs, err)
			continue
		case len(infos) > 0:
			kept++
			continue
		}
		if err := src.Remove(ctx, d); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return kept, errs
}

// linkOf returns the link in dirLinks that p is, or is below; "" if none.
func linkOf(dirLinks []string, p, sep string) string {
	for _, l := range dirLinks {
		if transfer.Within(l, p, sep) {
			return l
		}
	}
	return ""
}

// summarizeErrors is nil, the one error, or the first with a count.
func summarizeErrors(errs []error) error {
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	return fmt.Errorf("%w (and %d more)", errs[0], len(errs)-1)
}

// handleSourcesRemoved reports sources that could not be removed and
// lists their directories again soon.
func (x *transfers) handleSourcesRemoved(msg sourcesRemovedMsg) tea.Cmd {
	if msg.err != nil {
		x.status.setError(fmt.Errorf("move: source not removed: %w", msg.err))
	}
	for _, p := range msg.paths {
		x.markDirty(msg.src, msg.src.Dir(p))
	}
	return x.scheduleRefresh()
}

// handleMoveSwept reports the end of a move's clean-up and lists the
// source panes again.
func (x *transfers) handleMoveSwept(msg moveSweptMsg) tea.Cmd {
	b := x.batches[msg.batch]
	if b == nil {
		return nil
	}
	b.sweeping--
	switch {
	case msg.err != nil:
		x.status.setError(fmt.Errorf("move: source not removed: %w", msg.err))
	case msg.kept > 0 && !x.status.isErr:
		x.status.setInfo("move to " + b.dstLabel + ": kept " + text.Plural(msg.kept, "source directory") +
			" that still hold entries not moved")
	}
	x.markBatchDirty(b)
	return tea.Batch(x.refreshDirty(), x.closeUnused())
}
