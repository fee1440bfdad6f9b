package pane

import (
	"context"
	"errors"
	"io/fs"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/common"
)

// LoadedMsg carries the result of listing a directory back to the pane
// that asked for it. The pane drops it when it does not answer its latest
// request.
type LoadedMsg struct {
	side    common.Side
	reqID   uint64
	path    string   // the directory listed; resolved when the request had none
	home    bool     // path is the file system's home directory
	entries []Entry  // in no particular order; nil on error
	order   []int32  // entries sorted by spec
	spec    sortSpec // the order the listing was sorted in
	err     error    // a *listError
	// missed is why the start directory asked for could not be listed,
	// when the home directory was listed in its place.
	missed *listError
}

// SortedMsg carries a new order of a pane's current listing.
type SortedMsg struct {
	side  common.Side
	reqID uint64 // the pane's sort request
	gen   uint64 // the listing generation that was sorted
	spec  sortSpec
	order []int32
}

// listError reports a directory that could not be listed, naming it.
type listError struct {
	path string // empty when the home directory could not be found
	err  error
}

// Error says what failed and why, without repeating the path when the
// underlying error is a *fs.PathError about the same path.
func (e *listError) Error() string {
	reason := e.err.Error()
	var pe *fs.PathError
	if errors.As(e.err, &pe) && pe.Path == e.path {
		reason = pe.Err.Error()
	}
	if e.path == "" {
		return "cannot find the home directory: " + reason
	}
	return "cannot list " + e.path + ": " + reason
}

// Unwrap returns the underlying error, so errors.Is(err, fs.ErrNotExist)
// keeps working.
func (e *listError) Unwrap() error { return e.err }

// StartDirError reports a start directory that could not be listed, and
// the home directory the pane shows in its place.
type StartDirError struct {
	// Home is the directory shown instead.
	Home string
	err  *listError
}

// Error says which directory could not be listed, why, and what is shown
// instead.
func (e *StartDirError) Error() string {
	return e.err.Error() + "; showing " + e.Home + " instead"
}

// Unwrap returns why the start directory could not be listed.
func (e *StartDirError) Unwrap() error { return e.err }

// loadDir returns a Cmd that lists path on fsys (its home directory when
// path is empty or "~", and relative to it when path is relative or starts
// with "~/"), reads the targets of symbolic links, sorts the entries by
// spec and reports a LoadedMsg. With fallback, a path that cannot be a
// directory (missing, not a directory, not allowed) gives way to the home
// directory, and the message says why. It captures everything it needs
// and touches no model state.
func loadDir(ctx context.Context, fsys transfer.FS, sd common.Side, reqID uint64, path string, spec sortSpec, fallback bool) tea.Cmd {
	return func() tea.Msg {
		msg := LoadedMsg{side: sd, reqID: reqID, path: path, spec: spec}
		if rel, ok := homeRelative(path, fsys.Separator()); ok {
			home, err := fsys.Home(ctx)
			if err != nil {
				msg.err = &listError{err: err}
				return msg
			}
			path = fsys.Join(home, rel)
			msg.path, msg.home = path, path == fsys.Join(home)
		}
		infos, err := fsys.ReadDir(ctx, path)
		if err != nil && fallback && !msg.home && badDir(ctx, fsys, path, err) {
			msg.missed = &listError{path: path, err: err}
			home, herr := fsys.Home(ctx)
			if herr != nil {
				msg.err = &listError{err: herr}
				return msg
			}
			path, msg.path, msg.home = home, home, true
			infos, err = fsys.ReadDir(ctx, path)
		}
		if err != nil {
			msg.err = &listError{path: path, err: err}
			return msg
		}
		entries := newEntries(infos)
		for i := range entries {
			if entries[i].IsLink() {
				resolveLink(ctx, fsys, fsys.Join(path, entries[i].name), &entries[i])
			}
		}
		msg.entries = entries
		msg.order = sortOrder(entries, spec, nil) // a new listing has no directory sizes
		return msg
	}
}

// homeRelative reports whether path is to be found under the home
// directory, and where under it: "" and "~" are the home directory itself,
// "~/x" and relative paths are below it; absolute paths are not.
func homeRelative(path, sep string) (rel string, ok bool) {
	switch {
	case path == "~":
		return "", true
	case strings.HasPrefix(path, "~/"), sep != "/" && strings.HasPrefix(path, "~"+sep):
		return path[2:], true
	}
	return path, !isAbs(path, sep)
}

// badDir reports whether err, from listing path, means that path cannot be
// listed as a directory at all: it does not exist, is not allowed, or is
// something else than a directory. A lost connection or a cancelled
// request is not a bad directory.
func badDir(ctx context.Context, fsys transfer.FS, path string, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
		return true
	}
	fi, serr := fsys.Stat(ctx, path)
	return serr == nil && !fi.IsDir()
}

// resolveLink fills in a symbolic link's target and whether it leads to a
// directory. A link that cannot be read keeps what Lstat said; one whose
// target cannot be stat-ed is marked broken.
func resolveLink(ctx context.Context, fsys transfer.FS, full string, e *Entry) {
	if target, err := fsys.Readlink(ctx, full); err == nil {
		e.target = text.Sanitize(target)
	}
	fi, err := fsys.Stat(ctx, full)
	if err != nil {
		e.broken = ctx.Err() == nil
		return
	}
	if fi.IsDir() {
		e.linkDir = true
		return
	}
	e.size = fi.Size()
}

// sortCmd returns a Cmd that orders entries by spec off the Update path,
// with the directory sizes dirSizes (a copy the Cmd owns). entries are
// only read.
func sortCmd(entries []Entry, dirSizes map[string]int64, sd common.Side, reqID, gen uint64, spec sortSpec) tea.Cmd {
	return func() tea.Msg {
		return SortedMsg{side: sd, reqID: reqID, gen: gen, spec: spec, order: sortOrder(entries, spec, dirSizes)}
	}
}
