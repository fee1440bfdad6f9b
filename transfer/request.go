package transfer

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
)

// Item is one source and the exact path it is copied to. A directory is
// copied with everything below it: Dst becomes the copy of Src. Both paths
// are absolute.
type Item struct {
	// Src is the source path on Request.Src.
	Src string
	// Dst is the destination path on Request.Dst.
	Dst string
}

// Request is one batch of copies between two file systems.
type Request struct {
	// Src is the file system the items are read from.
	Src FS
	// Dst is the file system they are written to. If it implements
	// RootOpener (the local file system does), every write goes through
	// an os.Root opened on the directory that receives each item.
	Dst FS
	// Items are the sources and their destinations.
	Items []Item
	// Policy says what to do when a destination file exists.
	Policy Policy
	// NoPreserve leaves modification times to the destination's clock
	// and clears group and other write permission (scp without -p).
	// By default times and permission bits are preserved; setuid, setgid
	// and sticky bits never are, and local destinations also apply the
	// process umask.
	NoPreserve bool
	// Move removes each source once its copy is safely in place, as mv
	// does (see the package documentation's "Moving"): a file right after
	// its copy was committed, if it did not change meanwhile; directories
	// when the batch ends, if they are empty by then. Sources whose copy
	// failed, was skipped or was cancelled stay. SourceRemoved and
	// SourceKept events, and JobStatus.SourceRemoved and SourceErr, say
	// what became of each.
	Move bool
	// FollowLinks copies what the symbolic links below the items point
	// to instead of recreating the links (scp -r, rsync -L, cp -L): a link
	// to a file becomes a file, a link to a directory a directory. A link
	// that points nowhere fails; a link to a directory that contains it is
	// refused as a loop. It cannot be combined with Move, whose sources
	// are the links themselves.
	FollowLinks bool
	// Select, when set, limits the walk below directory items to the
	// entries it accepts: it is asked about every listed entry, with the
	// entry's source path and its listing (not followed), before anything
	// is planned for it. A declined file or link is not copied and a
	// declined directory is neither created nor walked. The items
	// themselves are always planned. ferry sync (package mirror) uses it
	// to copy exactly the entries its plan found different. Nil accepts
	// everything.
	Select func(src string, info fs.FileInfo) bool
	// Earlier is set when the request continues an earlier run of the
	// same copy that ended before it finished (a crash, a kill, a quit):
	// see Earlier.
	Earlier *Earlier
	// Fsync is the request's durability policy; FsyncDefault takes the
	// engine's Options.Fsync.
	Fsync Fsync
}

// Earlier describes the earlier run a request continues. The files it
// lists as done are skipped; so is every other file whose destination
// already has the source's size and modification time (when times are
// preserved), since the run may have ended between putting a file in
// place and noting it. Interrupted large files continue from their
// temporary files, as they do under any policy but Overwrite. Everything
// else follows the request's policy.
type Earlier struct {
	// Done holds the source paths of the files the earlier run finished.
	Done map[string]bool
}

// validate checks r without any I/O: both file systems given, every item
// named, no destination named twice, and no directory copied into itself.
func (r *Request) validate() error {
	if r.Src == nil || r.Dst == nil {
		return errors.New("transfer: request needs a source and a destination file system")
	}
	if len(r.Items) == 0 {
		return errors.New("transfer: request has no items")
	}
	if r.Move && r.FollowLinks {
		return errors.New("transfer: a move cannot follow symbolic links")
	}
	if r.Policy < Ask || r.Policy > Rename {
		return fmt.Errorf("transfer: unknown policy %d", int(r.Policy))
	}
	same := r.Src.Label() == r.Dst.Label()
	sep := r.Src.Separator()
	seen := make(map[string]bool, len(r.Items))
	for _, it := range r.Items {
		if !isAbs(r.Src, it.Src) || !isAbs(r.Dst, it.Dst) {
			return fmt.Errorf("transfer: item %q -> %q: paths must be absolute", it.Src, it.Dst)
		}
		if !validName(r.Dst.Base(it.Dst)) {
			return &fs.PathError{Op: "copy", Path: it.Dst, Err: fmt.Errorf("destination needs a file name: %w", ErrUnsafeName)}
		}
		dst := r.Dst.Join(it.Dst)
		if seen[dst] {
			return &fs.PathError{Op: "copy", Path: it.Dst, Err: errors.New("two sources would be copied to the same destination")}
		}
		seen[dst] = true
		if same && Within(r.Src.Join(it.Src), dst, sep) {
			return &fs.PathError{Op: "copy", Path: it.Src, Err: fmt.Errorf("%w (destination %s)", ErrIntoItself, it.Dst)}
		}
	}
	return nil
}

// Targets maps sources to destinations the way cp and scp do: when dst is
// an existing directory each source goes inside it under its own name;
// otherwise there must be exactly one source, and dst is its new name.
// typed is the destination as the user wrote it, "" when nobody did: one
// written with a trailing separator must be an existing directory
// ("newdir/" never becomes a file named newdir), and the error names it
// as written. One Stat of dstPath answers both.
func Targets(ctx context.Context, src FS, sources []string, dst FS, dstPath, typed string) ([]Item, error) {
	if len(sources) == 0 {
		return nil, errors.New("transfer: no sources")
	}
	fi, err := dst.Stat(ctx, dstPath)
	if err := mustBeDir(dst, typed, fi, err); err != nil {
		return nil, err
	}
	switch {
	case err == nil && fi.IsDir():
		items := make([]Item, 0, len(sources))
		for _, s := range sources {
			items = append(items, Item{Src: s, Dst: dst.Join(dstPath, src.Base(s))})
		}
		return items, nil
	case len(sources) > 1:
		if err == nil {
			err = ErrNotDir
		}
		return nil, &fs.PathError{Op: "copy", Path: dstPath, Err: fmt.Errorf("several sources need a destination directory: %w", err)}
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return nil, err
	}
	return []Item{{Src: sources[0], Dst: dstPath}}, nil
}

// isAbs reports whether p is an absolute path of fsys.
func isAbs(fsys FS, p string) bool {
	if fsys.Separator() == `\` {
		return filepath.IsAbs(p)
	}
	return strings.HasPrefix(p, "/")
}
