package mirror

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"sync"

	"github.com/ferry-tui/ferry/transfer"
)

// kindName names a kind for reasons: "file", "directory", "link" or
// "special file".
func kindName(k transfer.Kind) string {
	switch k {
	case transfer.KindDir:
		return "directory"
	case transfer.KindSymlink:
		return "link"
	case transfer.KindOther:
		return "special file"
	}
	return "file"
}

// srcPath and dstPath turn a relative path into each side's path.
func (w *walker) srcPath(rel string) string { return joinRel(w.p.Src, w.p.SrcDir, rel) }
func (w *walker) dstPath(rel string) string { return joinRel(w.p.Dst, w.p.DstDir, rel) }

// joinRel joins root and a relative slash path on fsys.
func joinRel(fsys transfer.FS, root, rel string) string {
	if rel == "" {
		return root
	}
	return fsys.Join(append([]string{root}, strings.Split(rel, "/")...)...)
}

// ferryTemp reports whether name is one of ferry's own temporary files
// (".NAME.ferry-part" and its ".meta" record, named as the engine names
// them: MetaPath("") is the record's suffix): never synced, never deleted.
func ferryTemp(name string) bool {
	return transfer.IsTempName(name) || transfer.IsTempName(strings.TrimSuffix(name, transfer.MetaPath("")))
}

// safeName reports whether a listed name can be used to build a path.
func safeName(name string) bool {
	return name != "" && name != "." && name != ".." && !strings.ContainsAny(name, "/\x00")
}

// pair compares the entry rel as the source lists it (s) with the
// destination's (d); either may be nil.
func (w *walker) pair(rel string, s, d fs.FileInfo) {
	if w.ctx.Err() != nil {
		return
	}
	if s != nil && s.Mode()&fs.ModeSymlink != 0 && w.p.Options.FollowLinks {
		t, err := w.p.Src.Stat(w.ctx, w.srcPath(rel))
		if err != nil {
			w.note(rel, &fs.PathError{Op: "follow link", Path: w.srcPath(rel), Err: fmt.Errorf("points nowhere: %w", err)})
			return
		}
		if t.IsDir() && !w.followDir(rel, t) {
			return
		}
		s = t
	}
	if strings.Count(rel, "/") >= transfer.MaxDepth {
		w.fail(&fs.PathError{Op: "walk", Path: w.srcPath(rel), Err: fmt.Errorf("%w: more than %d levels", transfer.ErrTooDeep, transfer.MaxDepth)})
		return
	}
	switch {
	case s == nil:
		w.extra(rel, d)
	case d == nil:
		w.missing(rel, s)
	default:
		w.both(rel, s, d)
	}
}

// extra handles a destination entry the source lacks.
func (w *walker) extra(rel string, d fs.FileInfo) {
	if !w.p.Options.Delete {
		return
	}
	k := transfer.KindOf(d.Mode())
	a := Action{Kind: Delete, Path: rel, Type: k, Reason: "not in source"}
	if k == transfer.KindFile {
		a.Size = d.Size()
	}
	w.add(a)
	if k == transfer.KindDir {
		w.walkDir(rel, false, true)
	}
}

// missing handles a source entry the destination lacks.
func (w *walker) missing(rel string, s fs.FileInfo) {
	k := transfer.KindOf(s.Mode())
	switch k {
	case transfer.KindDir:
		w.add(Action{Kind: New, Path: rel, Type: k, Reason: "new"})
		w.walkDir(rel, true, false)
	case transfer.KindFile:
		w.add(Action{Kind: New, Path: rel, Type: k, Size: s.Size(), Reason: "new"})
	case transfer.KindSymlink:
		if _, ok := w.linkTarget(rel); ok {
			w.add(Action{Kind: New, Path: rel, Type: k, Reason: "new"})
		}
	default:
		w.note(rel, &fs.PathError{Op: "sync", Path: w.srcPath(rel), Err: transfer.ErrSpecial})
	}
}

// both compares an entry present on both sides.
func (w *walker) both(rel string, s, d fs.FileInfo) {
	sk, dk := transfer.KindOf(s.Mode()), transfer.KindOf(d.Mode())
	switch {
	case sk == transfer.KindOther:
		w.note(rel, &fs.PathError{Op: "sync", Path: w.srcPath(rel), Err: transfer.ErrSpecial})
	case sk == transfer.KindDir && dk == transfer.KindDir:
		w.mu.Lock()
		w.p.dirs = append(w.p.dirs, dirState{rel: rel, mtime: s.ModTime(), perm: s.Mode().Perm(), dstMtime: d.ModTime(), dstPerm: d.Mode().Perm()})
		w.mu.Unlock()
		w.walkDir(rel, true, true)
	case sk == transfer.KindDir || dk == transfer.KindDir:
		if sk == transfer.KindSymlink {
			if _, ok := w.linkTarget(rel); !ok {
				return
			}
		}
		a := Action{Kind: Changed, Path: rel, Type: sk, Reason: "replaces a " + kindName(dk), Replace: true}
		if sk == transfer.KindFile {
			a.Size = s.Size()
		}
		w.add(a)
		if sk == transfer.KindDir {
			w.walkDir(rel, true, false)
		}
	case sk == transfer.KindSymlink:
		target, ok := w.linkTarget(rel)
		if !ok {
			return
		}
		if dk == transfer.KindSymlink {
			got, err := w.p.Dst.Readlink(w.ctx, w.dstPath(rel))
			if err != nil {
				w.fail(fmt.Errorf("read link %s: %w", w.dstPath(rel), err))
				return
			}
			if got == target {
				return
			}
			w.add(Action{Kind: Changed, Path: rel, Type: sk, Reason: "link target differs"})
			return
		}
		w.add(Action{Kind: Changed, Path: rel, Type: sk, Reason: "replaces a " + kindName(dk)})
	case dk != transfer.KindFile:
		w.add(Action{Kind: Changed, Path: rel, Type: sk, Size: s.Size(), Reason: "replaces a " + kindName(dk)})
	default:
		w.files(rel, s, d)
	}
}

// files compares two regular files.
func (w *walker) files(rel string, s, d fs.FileInfo) {
	o := w.p.Options
	switch {
	case s.Size() != d.Size():
		w.add(Action{Kind: Changed, Path: rel, Type: transfer.KindFile, Size: s.Size(), Reason: fmt.Sprintf("size %d -> %d", d.Size(), s.Size())})
	case o.SizeOnly:
		w.modeOnly(rel, s, d)
	case o.Checksum:
		w.mu.Lock()
		w.pending = append(w.pending, hashJob{rel: rel, size: s.Size(), mode: s.Mode().Perm(), dstMode: d.Mode().Perm()})
		w.mu.Unlock()
	default:
		if reason := timeDiffers(s.ModTime(), d.ModTime(), o.ModifyWindow); reason != "" {
			w.add(Action{Kind: Changed, Path: rel, Type: transfer.KindFile, Size: s.Size(), Reason: reason})
			return
		}
		w.modeOnly(rel, s, d)
	}
}

// modeOnly records a chmod for two files that count as equal but whose
// permission bits differ.
func (w *walker) modeOnly(rel string, s, d fs.FileInfo) {
	w.chmod(rel, s.Mode().Perm(), d.Mode().Perm())
}

// chmod records a chmod of rel to mode when dstMode differs.
func (w *walker) chmod(rel string, mode, dstMode fs.FileMode) {
	if mode == dstMode {
		return
	}
	w.add(Action{Kind: Changed, Path: rel, Type: transfer.KindFile, ModeOnly: true, Mode: mode,
		Reason: fmt.Sprintf("mode %04o -> %04o", dstMode, mode)})
}

// linkTarget reads the source link rel and returns the target its copy
// gets; a link pointing outside the source tree is noted and not copied,
// as ferry cp does.
func (w *walker) linkTarget(rel string) (string, bool) {
	p := w.srcPath(rel)
	target, err := w.p.Src.Readlink(w.ctx, p)
	if err != nil {
		w.fail(fmt.Errorf("read link %s: %w", p, err))
		return "", false
	}
	root := w.p.SrcDir
	if w.p.Src.Separator() != "/" {
		root, p = toSlash(root), toSlash(p)
	}
	t, ok := transfer.LinkInside(path.Clean(p), path.Clean(root), target)
	if !ok {
		w.note(rel, &fs.PathError{Op: "symlink", Path: w.srcPath(rel), Err: fmt.Errorf("%w: %q", transfer.ErrLinkOutside, target)})
	}
	return t, ok
}

// toSlash turns a backslash path into a slash path.
func toSlash(p string) string { return strings.ReplaceAll(p, `\`, "/") }

// list lists directory rel on the sides asked for, both at once, and
// compares its entries; subdirectories are walked by further calls.
func (w *walker) list(rel string, onSrc, onDst bool) {
	if w.ctx.Err() != nil {
		return
	}
	var src, dst []fs.FileInfo
	var srcErr, dstErr error
	var wg sync.WaitGroup
	if onDst {
		wg.Go(func() {
			dst, dstErr = w.p.Dst.ReadDir(w.ctx, w.dstPath(rel))
			if dstErr != nil {
				dstErr = fmt.Errorf("list %s: %w", w.dstPath(rel), dstErr)
			}
		})
	}
	if onSrc {
		src, srcErr = w.p.Src.ReadDir(w.ctx, w.srcPath(rel))
		if srcErr != nil {
			srcErr = fmt.Errorf("list %s: %w", w.srcPath(rel), srcErr)
		}
	}
	wg.Wait()
	if err := errors.Join(srcErr, dstErr); err != nil {
		w.fail(err)
		return
	}
	w.entries.Add(int64(len(src) + len(dst)))
	f := w.p.Options.Filter
	dstBy := make(map[string]fs.FileInfo, len(dst))
	for _, d := range dst {
		if safeName(d.Name()) && !ferryTemp(d.Name()) {
			dstBy[d.Name()] = d
		}
	}
	for _, s := range src {
		name := s.Name()
		if !safeName(name) {
			w.note(rel, &fs.PathError{Op: "list", Path: w.srcPath(rel), Err: fmt.Errorf("%w: %q", transfer.ErrUnsafeName, name)})
			continue
		}
		if ferryTemp(name) {
			continue
		}
		c := child(rel, name)
		d := dstBy[name]
		delete(dstBy, name)
		if f.Excluded(c, s.IsDir()) {
			continue
		}
		w.pair(c, s, d)
	}
	for name, d := range dstBy {
		c := child(rel, name)
		if f.Excluded(c, d.IsDir()) {
			if !onSrc {
				w.mu.Lock()
				w.kept = append(w.kept, c)
				w.mu.Unlock()
			}
			continue
		}
		w.pair(c, nil, d)
	}
}
