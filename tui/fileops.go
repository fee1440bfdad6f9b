package tui

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/pane"
)

// fileOps carries out what the user asks of the files in a pane: mkdir,
// rename, chmod, chown, symlink, new file, directory sizes, delete, go to, view, edit and the start of a copy. It
// builds their dialogs and the Cmds that do the work, and acts on their
// results; the root lends it the panes, the status line and three
// operations of its overlay stack, and routes the messages to it.
type fileOps struct {
	ctx    context.Context
	panes  *[2]pane.Model
	focus  *side
	status *status
	keys   *KeyMap
	ids    *ids
	opts   *Options
	engine *transfer.Engine
	sizes  dirSizer // the running "show directory sizes"

	push   func(overlay)         // put a dialog on top
	closed func(overlay) tea.Cmd // close one, letting a conflict in
	top    func() overlay        // what has the keys
}

// focused returns the pane with the focus.
func (o *fileOps) focused() *pane.Model { return &o.panes[*o.focus] }

// asOverlay returns o as a T.
func asOverlay[T overlay](o overlay) (T, bool) {
	t, ok := o.(T)
	return t, ok
}
