package tui

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/picker"
)

// hosts opens hosts in the panes: the host picker, the connection
// attempts and the questions they ask. The root lends it its stack and
// the ways to close an overlay, to offer a waiting conflict and to show a
// file system in a pane.
type hosts struct {
	ctx    context.Context
	ids    *ids
	keys   *KeyMap
	opts   *Options
	status *status
	stack  *stack

	closed    func(overlay) tea.Cmd
	offer     func() tea.Cmd
	replaceFS func(s side, fsys transfer.FS, dir string, owned bool) tea.Cmd
	places    *placeBook // offered first; a host opened is remembered
	// shown returns the file system a pane shows for a host label, nil
	// when none does.
	shown func(label string) transfer.FS
}

// StartDirer is implemented by a file system a ConnectFunc opened for a
// destination that names a directory, as "host:path" and
// "sftp://host/path" typed in the host picker do. The pane starts in
// StartDir: a relative path is under the login directory, "" is the login
// directory, and one that cannot be listed gives way to the login
// directory with a message saying why.
type StartDirer interface {
	StartDir() string
}

// connecting is a connection attempt: its screen on the stack, over the
// picker it was started from, and what the root needs to end it.
type connecting struct {
	*picker.Connecting
	ctx    context.Context // the attempt; cancelled when it ends
	cancel context.CancelFunc
	asker  *chanAsker
	picker *picker.Model // under it on the stack: back to it on failure
}

// openPicker shows the host picker for the pane on side s and reads the
// hosts in a Cmd.
func (h *hosts) openPicker(s side) tea.Cmd {
	pk := picker.New(h.ids.next(), s, h.opts.Local != nil, h.opts.Hosts != nil, h.keys)
	h.stack.push(pk)
	if h.places != nil {
		pk.SetPlaces(h.places.p.Recent, h.places.p.Bookmarks)
	}
	if h.opts.Hosts == nil {
		return nil
	}
	return picker.Load(pk.ID(), h.opts.Hosts)
}

// handleHostsLoaded fills the picker that asked for the hosts.
func (h *hosts) handleHostsLoaded(msg picker.HostsMsg) {
	if pk, ok := findOverlay[*picker.Model](h.stack); ok && pk.ID() == msg.ID {
		pk.SetHosts(msg)
	}
}

// handlePick opens the host the user picked: "local" at once, anything
// else through the ConnectFunc.
func (h *hosts) handlePick(msg picker.PickMsg) tea.Cmd {
	pk, ok := topIs[*picker.Model](h.stack)
	if !ok || pk.ID() != msg.ID {
		return nil
	}
	if msg.Local {
		h.stack.remove(pk)
		return tea.Batch(h.replaceFS(msg.Side, h.opts.Local, msg.Dir, false), h.offer())
	}
	if msg.Host != "" && h.shown != nil {
		if fsys := h.shown(msg.Host); fsys != nil { // a bookmark of a host open already
			h.stack.remove(pk)
			return tea.Batch(h.replaceFS(msg.Side, fsys, msg.Dir, false), h.offer())
		}
	}
	if h.opts.Connect == nil {
		pk.SetErr("connecting is not available")
		return nil
	}
	return h.startConnect(pk, msg)
}

// handlePickerClosed closes the picker the user left.
func (h *hosts) handlePickerClosed(msg picker.CloseMsg) tea.Cmd {
	if pk, ok := topIs[*picker.Model](h.stack); ok && pk.ID() == msg.ID {
		return h.closed(pk)
	}
	return nil
}

// startConnect runs the ConnectFunc for the host picked in a Cmd, with a
// listener for the questions it asks.
func (h *hosts) startConnect(pk *picker.Model, msg picker.PickMsg) tea.Cmd {
	ctx, cancel := context.WithCancel(h.ctx)
	c := &connecting{
		Connecting: picker.NewConnecting(h.ids.next(), msg.Label, msg.Side, h.keys),
		ctx:        ctx,
		cancel:     cancel,
		asker:      newChanAsker(ctx),
		picker:     pk,
	}
	h.stack.push(c)
	connect, alias, asker, id := h.opts.Connect, msg.Alias, c.asker, c.ID()
	return tea.Batch(func() tea.Msg {
		defer cancel() // ends the listener and any pending question
		fsys, err := connect(ctx, alias, asker)
		return connectDoneMsg{id: id, alias: alias, fs: fsys, err: err}
	}, listenAsk(asker, id))
}

// currentConnecting returns the running attempt, also while one of its
// questions is on screen.
func (h *hosts) currentConnecting() *connecting {
	c, _ := findOverlay[*connecting](h.stack)
	return c
}

// handleConnectCancel gives up on the attempt the user cancelled.
func (h *hosts) handleConnectCancel(msg picker.CancelMsg) tea.Cmd {
	if c := h.currentConnecting(); c != nil && c.ID() == msg.ID {
		return h.cancelConnecting()
	}
	return nil
}

// cancelConnecting stops the running attempt and returns to the picker.
func (h *hosts) cancelConnecting() tea.Cmd {
	c := h.currentConnecting()
	if c == nil {
		return nil
	}
	c.cancel()
	c.picker.SetErr("connection to " + c.Alias() + " cancelled")
	h.stack.remove(c)
	return nil
}

// handleConnectDone shows the new file system in its pane, or returns to
// the picker with the reason. A late result of an abandoned attempt is
// closed.
func (h *hosts) handleConnectDone(msg connectDoneMsg) tea.Cmd {
	c := h.currentConnecting()
	if c == nil || c.ID() != msg.id {
		if msg.err == nil {
			return closeFS(msg.fs)
		}
		return nil
	}
	if msg.err != nil || msg.fs == nil {
		reason := "no file system"
		if msg.err != nil {
			reason = text.Sanitize(msg.err.Error())
		}
		c.picker.SetErr("cannot connect to " + c.Alias() + ": " + reason)
		h.stack.remove(c)
		return nil
	}
	h.stack.remove(c.picker)
	if w := c.LastWarning(); w != "" {
		h.status.setInfo(w)
	}
	dir := ""
	if sd, ok := msg.fs.(StartDirer); ok {
		dir = sd.StartDir()
	}
	var remember tea.Cmd
	if h.places != nil {
		remember = h.places.remember(msg.fs.Label())
	}
	return tea.Batch(h.replaceFS(c.Side(), msg.fs, dir, true), h.offer(), remember)
}
