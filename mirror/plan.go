package mirror

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/ferry-tui/ferry/transfer"
)

// Defaults of Options.
const (
	// DefaultParallel is how many directories the planner lists at once
	// (on each side): listing is latency-bound, so a tree at 10 ms round
	// trip must not be walked one directory at a time.
	DefaultParallel = 32
	// DefaultHashParallel is how many files --checksum hashes at once.
	DefaultHashParallel = 8
	// DefaultModifyWindow is how far apart two modification times may be
	// and still count as equal: SFTP carries whole seconds, so a local
	// time of 10.9 s arrives as 10 s.
	DefaultModifyWindow = time.Second
)

// Options say how Plan compares the trees.
type Options struct {
	// Delete plans the removal of destination entries that are not in
	// the source (and are not excluded).
	Delete bool
	// Checksum compares files of equal size by their contents instead
	// of their times: by the hashes SrcSum and DstSum get from a server
	// when they can, else by the SHA-256 of both sides read as streams.
	Checksum bool
	// SrcSum and DstSum, when set, hash a whole file of the source or
	// the destination where it lives (an SFTP server's check-file
	// extension: remote.Hasher.Sum), so that Checksum need not read it
	// over the network. A SumFunc that fails with an error wrapping
	// errors.ErrUnsupported is not asked again; the file is read.
	SrcSum, DstSum SumFunc
	// SizeOnly compares files by size alone.
	SizeOnly bool
	// ModifyWindow is the largest difference between two modification
	// times that still counts as equal (DefaultModifyWindow if 0; it is
	// never less than a second, the precision of SFTP). Use 2 s for a
	// FAT file system.
	ModifyWindow time.Duration
	// Filter leaves entries out on both sides: an excluded entry is
	// neither copied nor deleted. Nil leaves nothing out.
	Filter *Filter
	// FollowLinks compares and copies what symbolic links in the source
	// point to instead of the links (ferry cp -L).
	FollowLinks bool
	// Parallel is how many directories are listed at once
	// (DefaultParallel if 0).
	Parallel int
	// HashParallel is how many files are hashed at once under Checksum
	// (DefaultHashParallel if 0).
	HashParallel int
	// Early, when set, is called once, as soon as the walk started, with
	// the request that copies what the plan finds new or changed: its
	// Select waits until the walk has decided about each entry, so the
	// engine copies behind the walk instead of after it (ferry sync
	// submits it at once). It is not called with Delete or Checksum,
	// whose copies must wait for the whole plan; when it was, the plan
	// says so (Plan.Early) and its Request must not be submitted again.
	Early func(transfer.Request)
	// Progress, when set, is called about ten times a second while the
	// plan is made, and once at the end, from one goroutine at a time.
	Progress func(Progress)
}

// SumFunc returns the hash of the whole file at path, computed where the
// file lives, with the first algorithm of algos ("sha256", "sha1", "md5",
// ...) that it supports, and that algorithm's name.
type SumFunc func(ctx context.Context, path string, algos []string) (algo string, sum []byte, err error)

// Progress is how far planning got.
type Progress struct {
	// Entries counts the entries compared so far, on both sides.
	Entries int64
	// Hashed and ToHash count the files --checksum has read and has to
	// read; ToHash is 0 until the walk is over.
	Hashed, ToHash int64
}

// ActionKind says what an action does to the destination.
type ActionKind int

// Action kinds.
const (
	// New copies an entry the destination lacks.
	New ActionKind = iota + 1
	// Changed replaces a destination entry that differs from the source.
	Changed
	// Delete removes a destination entry that is not in the source.
	Delete
)

// Symbol returns "+" for New, "~" for Changed and "-" for Delete.
func (k ActionKind) Symbol() string {
	switch k {
	case New:
		return "+"
	case Changed:
		return "~"
	case Delete:
		return "-"
	}
	return "?"
}

// Action is one difference the sync resolves.
type Action struct {
	// Kind says what happens.
	Kind ActionKind
	// Path is the entry's path below both roots, "/" between elements.
	Path string
	// Type is what the entry is: in the source for New and Changed, in
	// the destination for Delete.
	Type transfer.Kind
	// Size is the bytes to copy (the source's size) for New and Changed
	// files, and the size of the file removed for Delete.
	Size int64
	// Reason says why, for the user: "new", "size 10 -> 12", "newer",
	// "older", "contents differ", "link target differs", "replaces a
	// directory", "not in source".
	Reason string
	// Replace is set for a Changed entry whose destination is of another
	// kind that a copy cannot replace (a directory where the source has
	// a file, or the other way round): it is removed first, which needs
	// Options.Delete.
	Replace bool
	// ModeOnly is set for a Changed file whose contents count as equal
	// but whose permission bits differ ("mode 0644 -> 0755"), as rsync
	// -a sees it: it is not copied; FixDirs sets Mode on it. Size is 0.
	ModeOnly bool
	// Mode is the source's permission bits, for ModeOnly.
	Mode fs.FileMode
}

// Note is an entry the sync leaves alone and tells the user about.
type Note struct {
	// Path is the entry below the source root.
	Path string
	// Err says why: transfer.ErrLinkOutside, transfer.ErrSpecial,
	// transfer.ErrUnsafeName.
	Err error
}

// Totals sums a plan's actions.
type Totals struct {
	// New, Changed and Deleted count the actions of each kind.
	New, Changed, Deleted int
	// NewBytes, ChangedBytes and DeletedBytes sum their sizes.
	NewBytes, ChangedBytes, DeletedBytes int64
}

// Plan is what a sync has to do to make the destination look like the
// source. Make it with Plan (the function); run it with Run.
type Plan struct {
	// Src and Dst are the two file systems, SrcDir and DstDir the roots.
	Src, Dst       transfer.FS
	SrcDir, DstDir string
	// Options are the options the plan was made with.
	Options Options
	// Actions are the differences, sorted by path.
	Actions []Action
	// Notes are the source entries left alone, sorted by path.
	Notes []Note
	// Entries counts the entries compared, on both sides.
	Entries int64
	// ServerHashed counts the files Checksum had hashed by a server
	// (Options.SrcSum, Options.DstSum) instead of reading them.
	ServerHashed int64
	// DstMissing is set when the destination root does not exist yet.
	DstMissing bool
	// Early is set when Options.Early got the copy request during the
	// walk: Request must not be submitted again.
	Early bool

	selected map[string]bool // paths the copy walks: copies and their parents
	dirs     []dirState      // directories on both sides, for their times
}

// dirState is a directory present in the source whose destination's
// modification time and permissions are set once the copies are in.
type dirState struct {
	rel      string
	mtime    time.Time
	perm     fs.FileMode
	dstMtime time.Time
	dstPerm  fs.FileMode
}

// Totals sums p's actions.
func (p *Plan) Totals() Totals {
	var t Totals
	for _, a := range p.Actions {
		switch a.Kind {
		case New:
			t.New++
			t.NewBytes += a.Size
		case Changed:
			t.Changed++
			t.ChangedBytes += a.Size
		case Delete:
			t.Deleted++
			t.DeletedBytes += a.Size
		}
	}
	return t
}

// Copies reports whether p copies anything (a ModeOnly change is not a
// copy).
func (p *Plan) Copies() bool {
	for _, a := range p.Actions {
		if a.Kind != Delete && !a.ModeOnly {
			return true
		}
	}
	return false
}

// MakePlan compares srcDir on src with dstDir on dst and returns what a
// sync must do. Both trees are walked at once, up to Options.Parallel
// directories on each side in flight; nothing is changed. srcDir must be
// a directory (a symbolic link to one is followed); dstDir need not
// exist, but its parent must.
func MakePlan(ctx context.Context, src transfer.FS, srcDir string, dst transfer.FS, dstDir string, opts Options) (*Plan, error) {
	if opts.Parallel <= 0 {
		opts.Parallel = DefaultParallel
	}
	if opts.HashParallel <= 0 {
		opts.HashParallel = DefaultHashParallel
	}
	if opts.ModifyWindow < time.Second {
		opts.ModifyWindow = DefaultModifyWindow
	}
	if opts.Checksum && opts.SizeOnly {
		return nil, errors.New("mirror: --checksum and --size-only cannot be combined")
	}
	srcDir, dstDir = src.Join(srcDir), dst.Join(dstDir) // cleaned, as the engine joins them
	p := &Plan{Src: src, Dst: dst, SrcDir: srcDir, DstDir: dstDir, Options: opts, selected: map[string]bool{"": true}}
	sfi, err := src.Stat(ctx, srcDir)
	if err != nil {
		return nil, fmt.Errorf("sync from %s: %w", srcDir, err)
	}
	if !sfi.IsDir() {
		return nil, &fs.PathError{Op: "sync from", Path: srcDir, Err: errors.New("not a directory")}
	}
	dfi, err := dst.Stat(ctx, dstDir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		p.DstMissing = true
		dfi = nil
	case err != nil:
		return nil, fmt.Errorf("sync to %s: %w", dstDir, err)
	case !dfi.IsDir():
		return nil, &fs.PathError{Op: "sync to", Path: dstDir, Err: transfer.ErrNotDir}
	}

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	w := &walker{ctx: ctx, cancel: cancel, p: p, sem: make(chan struct{}, opts.Parallel)}
	stop := w.report()
	w.entries.Add(1)
	if w.early() {
		w.waits = map[string]*dirWait{}
		w.refused = map[string]bool{}
		w.p.Early = true
	}
	if dfi != nil {
		w.both("", sfi, dfi)
	} else {
		w.walkDir("", true, false)
	}
	if w.early() {
		opts.Early(w.earlyRequest())
	}
	w.wg.Wait()
	if err := w.hash(); err != nil {
		cancel(err)
	}
	stop()
	if err := context.Cause(ctx); err != nil {
		return nil, err
	}
	p.keepExcluded(w.kept)
	p.Entries = w.entries.Load()
	p.ServerHashed = w.served.Load()
	slices.SortFunc(p.Actions, func(a, b Action) int { return strings.Compare(a.Path, b.Path) })
	slices.SortFunc(p.Notes, func(a, b Note) int { return strings.Compare(a.Path, b.Path) })
	return p, nil
}

// keepExcluded drops the deletions of directories that hold excluded
// entries (kept): an excluded entry is never deleted, so neither is any
// directory above it.
func (p *Plan) keepExcluded(kept []string) {
	if len(kept) == 0 {
		return
	}
	above := map[string]bool{}
	for _, k := range kept {
		for r := parentOf(k); r != ""; r = parentOf(r) {
			above[r] = true
		}
	}
	p.Actions = slices.DeleteFunc(p.Actions, func(a Action) bool { return a.Kind == Delete && above[a.Path] })
}
