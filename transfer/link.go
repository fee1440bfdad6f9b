package transfer

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// runLink recreates a symbolic link, but only when its target stays
// inside the tree being copied; a link pointing elsewhere would point at
// something that was not copied (or, from a server, at the user's own
// files), so it is skipped and reported. The link is created at a
// temporary name and renamed into place, like a file.
func (e *Engine) runLink(ctx context.Context, j *job) outcome {
	target, err := j.b.req.Src.Readlink(ctx, j.src)
	if err != nil {
		return failed(fmt.Errorf("read link: %w", err))
	}
	newTarget, ok := linkInside(j.src, j.rootSrc, target)
	if !ok {
		return skipped(&fs.PathError{Op: "symlink", Path: j.src, Err: fmt.Errorf("%w: %q", ErrLinkOutside, target)})
	}
	dfs, release, err := j.b.dstFS(j.dst)
	if err != nil {
		return failed(err)
	}
	defer release()
	p := e.decide(ctx, j, dfs)
	if p.out != nil {
		return *p.out
	}
	tmp := tempPath(dfs, p.dst)
	_ = dfs.Remove(ctx, tmp)
	if err := dfs.Symlink(ctx, newTarget, tmp); err != nil {
		return failed(fmt.Errorf("create link: %w", err))
	}
	if err := e.commit(ctx, j.b, dfs, tmp, p.dst); err != nil {
		_ = dfs.Remove(context.WithoutCancel(ctx), tmp)
		return failed(err)
	}
	if j.b.req.Move {
		e.removeSource(ctx, j, 0)
	}
	return done()
}

// linkInside decides whether the symbolic link at link (a slash path
// below root) with the given target stays inside root once resolved
// lexically, and returns the target to recreate: a relative target as it
// is, an absolute one made relative to the link so that the copy points
// into the copy. Resolution is lexical: a ".." that passes through another
// symbolic link is judged by the path's text.
func linkInside(link, root, target string) (string, bool) {
	if target == "" || strings.ContainsRune(target, 0) {
		return "", false
	}
	dir := path.Dir(link)
	resolved := target
	if !path.IsAbs(target) {
		resolved = path.Join(dir, target)
	}
	resolved = path.Clean(resolved)
	if !Within(path.Clean(root), resolved, "/") {
		return "", false
	}
	if !path.IsAbs(target) {
		return target, true
	}
	return relPath(dir, resolved), true
}

// LinkInside reports whether a symbolic link at link (a slash path below
// root) pointing to target stays inside root, the rule by which a copy
// recreates links found inside a tree; if so it returns the target the
// copy gets: a relative one as it is, an absolute one made relative to
// the link. Resolution is lexical.
func LinkInside(link, root, target string) (string, bool) { return linkInside(link, root, target) }

// relPath returns target relative to dir; both are clean absolute slash
// paths.
func relPath(dir, target string) string {
	d := split(dir)
	t := split(target)
	i := 0
	for i < len(d) && i < len(t) && d[i] == t[i] {
		i++
	}
	parts := make([]string, 0, len(d)-i+len(t)-i)
	for range d[i:] {
		parts = append(parts, "..")
	}
	parts = append(parts, t[i:]...)
	if len(parts) == 0 {
		return "."
	}
	return strings.Join(parts, "/")
}

// split returns the elements of a clean absolute slash path.
func split(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}
