package mirror

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"sync"

	"github.com/ferry-tui/ferry/transfer"
)

// runParallel is how many removals or attribute fixes run at once.
const runParallel = 16

// ErrReplaceNeedsDelete is why an entry whose destination is of another
// kind (a directory where the source has a file, or the other way round)
// is not synced without Options.Delete: replacing it removes it.
var ErrReplaceNeedsDelete = errors.New("a different kind of entry is in the way; --delete replaces it")

// Deletions counts what running p removes: the Delete actions, and with
// Options.Delete, each entry a Replace action removes first (a directory
// with everything in it counting once).
func (p *Plan) Deletions() int {
	n := 0
	for _, a := range p.Actions {
		if a.Kind == Delete || (a.Replace && p.Options.Delete) {
			n++
		}
	}
	return n
}

// Refused returns the actions a run leaves out: replacements without
// Options.Delete.
func (p *Plan) Refused() []Action {
	var out []Action
	for _, a := range p.Actions {
		if a.Replace && !p.Options.Delete {
			out = append(out, a)
		}
	}
	return out
}

// Prepare removes, with Options.Delete, the destination entries that
// Replace actions replace, before anything is copied. It returns the
// removals that failed, joined.
func (p *Plan) Prepare(ctx context.Context) error {
	if !p.Options.Delete {
		return nil
	}
	var errs []error
	for _, a := range p.Actions {
		if a.Replace {
			if err := transfer.RemoveAll(ctx, p.Dst, joinRel(p.Dst, p.DstDir, a.Path), nil); err != nil {
				errs = append(errs, fmt.Errorf("remove %s to replace it: %w", joinRel(p.Dst, p.DstDir, a.Path), err))
			}
		}
	}
	return errors.Join(errs...)
}

// Request returns the engine request that copies p's New and Changed
// entries, and false when there is nothing to copy. The request walks
// the source root into the destination root as ferry cp -r would (safe
// writes, resume, reconnect, the same rules for symbolic links, times
// and modes preserved), but Request.Select limits the walk to the
// entries the plan found different. Files are replaced without asking:
// under transfer.Resume, which continues an interrupted copy's partial
// file; under transfer.Overwrite with Options.Checksum, since files that
// differ only in content have the same size and time. It returns false
// when Options.Early already got the request.
func (p *Plan) Request() (transfer.Request, bool) {
	if p.Early || (!p.Copies() && !p.DstMissing) {
		return transfer.Request{}, false
	}
	policy := transfer.Resume
	if p.Options.Checksum {
		policy = transfer.Overwrite
	}
	refused := map[string]bool{}
	for _, a := range p.Refused() {
		refused[a.Path] = true
	}
	relOf := p.srcRel()
	sel := func(src string, _ fs.FileInfo) bool {
		rel, ok := relOf(src)
		return ok && p.selected[rel] && !refused[rel]
	}
	return transfer.Request{
		Src:         p.Src,
		Dst:         p.Dst,
		Items:       []transfer.Item{{Src: p.SrcDir, Dst: p.DstDir}},
		Policy:      policy,
		FollowLinks: p.Options.FollowLinks,
		Select:      sel,
	}, true
}

// Delete removes the destination entries of p's Delete actions, deepest
// first (a directory after everything in it), runParallel at a time.
// Call it only once every copy succeeded. removed, when set, is called
// after each removal, from one goroutine at a time. It returns the
// removals that failed, joined.
func (p *Plan) Delete(ctx context.Context, removed func(a Action)) error {
	var dels []Action
	for _, a := range p.Actions {
		if a.Kind == Delete {
			dels = append(dels, a)
		}
	}
	var mu sync.Mutex
	var errs []error
	byDepth(dels, func(a Action) string { return a.Path }, func(a Action) {
		err := p.Dst.Remove(ctx, joinRel(p.Dst, p.DstDir, a.Path))
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			errs = append(errs, fmt.Errorf("delete %s: %w", joinRel(p.Dst, p.DstDir, a.Path), err))
			return
		}
		if removed != nil {
			removed(a)
		}
	})
	return errors.Join(errs...)
}

// FixDirs gives the files of ModeOnly actions their source's permission
// bits, then the destination directories that were there before the run
// their source's modification time and permissions, deepest first: those
// whose time or permissions differ, and those the run changed, as
// writing into a directory changes its time. Directories the run created
// got theirs from the engine. It returns the fixes that failed, joined.
func (p *Plan) FixDirs(ctx context.Context) error {
	err := p.chmodFiles(ctx)
	return errors.Join(err, p.fixDirs(ctx))
}

// chmodFiles sets the permission bits of ModeOnly actions' files,
// runParallel at a time.
func (p *Plan) chmodFiles(ctx context.Context) error {
	var modes []Action
	for _, a := range p.Actions {
		if a.ModeOnly {
			modes = append(modes, a)
		}
	}
	var mu sync.Mutex
	var errs []error
	byDepth(modes, func(a Action) string { return "" }, func(a Action) {
		path := joinRel(p.Dst, p.DstDir, a.Path)
		if err := p.Dst.Chmod(ctx, path, a.Mode); err != nil {
			mu.Lock()
			errs = append(errs, fmt.Errorf("set mode of %s: %w", path, err))
			mu.Unlock()
		}
	})
	return errors.Join(errs...)
}

// fixDirs sets the directories' times and modes for FixDirs.
func (p *Plan) fixDirs(ctx context.Context) error {
	touched := map[string]bool{}
	for _, a := range p.Actions {
		if !a.ModeOnly { // a chmod leaves the directory's time alone
			touched[parentOf(a.Path)] = true
		}
	}
	var fix []dirState
	for _, d := range p.dirs {
		if touched[d.rel] || d.perm != d.dstPerm || timeDiffers(d.mtime, d.dstMtime, p.Options.ModifyWindow) != "" {
			fix = append(fix, d)
		}
	}
	var mu sync.Mutex
	var errs []error
	byDepth(fix, func(d dirState) string { return d.rel }, func(d dirState) {
		path := joinRel(p.Dst, p.DstDir, d.rel)
		var err error
		if d.perm != d.dstPerm {
			err = p.Dst.Chmod(ctx, path, d.perm)
		}
		if err == nil {
			err = p.Dst.Chtimes(ctx, path, d.mtime, d.mtime)
		}
		if err != nil {
			mu.Lock()
			errs = append(errs, fmt.Errorf("set time and mode of %s: %w", path, err))
			mu.Unlock()
		}
	})
	return errors.Join(errs...)
}

// byDepth runs f on every element, deepest paths first, the elements of
// one depth concurrently (runParallel at a time).
func byDepth[T any](items []T, rel func(T) string, f func(T)) {
	depth := func(t T) int {
		r := rel(t)
		if r == "" {
			return 0
		}
		return strings.Count(r, "/") + 1
	}
	slices.SortStableFunc(items, func(a, b T) int { return cmp.Compare(depth(b), depth(a)) })
	sem := make(chan struct{}, runParallel)
	for i := 0; i < len(items); {
		k := i
		for k < len(items) && depth(items[k]) == depth(items[i]) {
			k++
		}
		var wg sync.WaitGroup
		for _, it := range items[i:k] {
			sem <- struct{}{}
			wg.Go(func() {
				defer func() { <-sem }()
				f(it)
			})
		}
		wg.Wait()
		i = k
	}
}

// srcRel returns a function that turns a path below the plan's source
// directory into the plan's relative, slash-separated form, and reports
// false for a path outside it.
func (p *Plan) srcRel() func(src string) (string, bool) {
	prefix := p.SrcDir // clean: MakePlan cleaned it
	sep := p.Src.Separator()
	if !strings.HasSuffix(prefix, sep) {
		prefix += sep
	}
	return func(src string) (string, bool) {
		rel, ok := strings.CutPrefix(src, prefix)
		if !ok {
			return "", false
		}
		if sep != "/" {
			rel = strings.ReplaceAll(rel, sep, "/")
		}
		return rel, true
	}
}
