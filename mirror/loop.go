package mirror

import (
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/ferry-tui/ferry/transfer"
)

// loopErr is why a followed link to a directory above it is skipped.
func loopErr(p, target string) error {
	return &fs.PathError{Op: "follow link", Path: p, Err: fmt.Errorf("symlink loop (%w): %q leads back to a directory above it", transfer.ErrLoop, target)}
}

// followDir checks a source link rel that -L follows to a directory. It
// reports whether the walk may go into it; a link that leads back to a
// directory above it (a loop) is noted once and skipped, as rsync -L and
// cp -L do, and the rest of the tree is synced. Two rules find a loop,
// both by the target's text (SFTP has no inode numbers): the engine's
// (the target, taken from where the link is listed, holds the link) and
// one from where the link's directory really is when the walk got there
// through other links (rel's parent reached through "a" -> "b" is b).
// On a local disk a third rule, as the engine's, compares the target's
// inode with those of the directories above the link. A loop none of them
// sees still ends at transfer.MaxDepth.
func (w *walker) followDir(rel string, t fs.FileInfo) bool {
	src := w.p.Src
	if src.Separator() != "/" {
		return true // local Windows paths: the engine's depth limit only
	}
	p := w.srcPath(rel)
	target, err := src.Readlink(w.ctx, p)
	if err != nil {
		w.fail(fmt.Errorf("read link %s: %w", p, err))
		return false
	}
	parent := w.srcPath(parentOf(rel))
	real := w.realDir(parentOf(rel))
	resolved, really := target, target
	if !path.IsAbs(target) {
		resolved, really = path.Join(parent, target), path.Join(real, target)
	}
	resolved, really = path.Clean(resolved), path.Clean(really)
	if transfer.Within(resolved, p, "/") || transfer.Within(really, real, "/") || w.above(rel, idOf(t)) {
		w.note(rel, loopErr(p, target))
		return false
	}
	w.mu.Lock()
	if w.followed == nil {
		w.followed = map[string]string{}
	}
	w.followed[rel] = really
	w.mu.Unlock()
	return true
}

// realDir returns where directory rel of the source is, by the text of
// the links followed to reach it: below the nearest followed link, that
// link's resolved target.
func (w *walker) realDir(rel string) string {
	w.mu.Lock()
	defer w.mu.Unlock()
	for r := rel; r != ""; r = parentOf(r) {
		if base, ok := w.followed[r]; ok {
			return path.Join(base, strings.TrimPrefix(strings.TrimPrefix(rel, r), "/"))
		}
	}
	return path.Join(path.Clean(w.p.SrcDir), rel)
}

// above reports whether the directory id is one of those above rel in
// the source (by inode, so on a local disk only).
func (w *walker) above(rel string, id dirID) bool {
	if !id.ok {
		return false
	}
	for r := parentOf(rel); ; r = parentOf(r) {
		fi, err := w.p.Src.Stat(w.ctx, w.srcPath(r))
		if err == nil && idOf(fi) == id {
			return true
		}
		if r == "" {
			return false
		}
	}
}
