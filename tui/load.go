package tui

import (
	"context"
	"errors"
	"io/fs"

	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/transfer"
)

// side names a pane: the left one or the right one.
type side int

const (
	leftSide side = iota
	rightSide
)

// other returns the opposite side.
func (s side) other() side { return 1 - s }

// String returns "left" or "right".
func (s side) String() string {
	if s == leftSide {
		return "left"
	}
	return "right"
}

// dirLoadedMsg carries the result of listing a directory back to the pane
// that asked for it. A pane drops it when reqID is not its latest request.
type dirLoadedMsg struct {
	side    side
	reqID   uint64
	path    string  // the directory listed; resolved when the request had none
	entries []entry // sorted; nil on error
	err     error   // a *listError
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

// loadDir returns a Cmd that lists path on fsys (its home directory when
// path is empty), sorts the entries and reports a dirLoadedMsg. It captures
// everything it needs and touches no model state.
func loadDir(ctx context.Context, fsys transfer.FS, sd side, reqID uint64, path string) tea.Cmd {
	return func() tea.Msg {
		msg := dirLoadedMsg{side: sd, reqID: reqID, path: path}
		if path == "" {
			home, err := fsys.Home(ctx)
			if err != nil {
				msg.err = &listError{err: err}
				return msg
			}
			path, msg.path = home, home
		}
		infos, err := fsys.ReadDir(ctx, path)
		if err != nil {
			msg.err = &listError{path: path, err: err}
			return msg
		}
		msg.entries = newEntries(infos)
		return msg
	}
}
