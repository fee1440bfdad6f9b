package tui

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/tui/picker"
)

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
func (m *Model) openPicker(s side) tea.Cmd {
	pk := picker.New(m.ids.next(), s, m.opts.Local != nil, m.opts.Hosts != nil, &m.keys)
	m.stack.push(pk)
	if m.opts.Hosts == nil {
		return nil
	}
	return picker.Load(pk.ID(), m.opts.Hosts)
}

// handleHostsLoaded fills the picker that asked for the hosts.
func (m *Model) handleHostsLoaded(msg picker.HostsMsg) {
	if pk, ok := findOverlay[*picker.Model](&m.stack); ok && pk.ID() == msg.ID {
		pk.SetHosts(msg)
	}
}

// handlePick opens the host the user picked: "local" at once, anything
// else through the ConnectFunc.
func (m *Model) handlePick(msg picker.PickMsg) tea.Cmd {
	pk, ok := topIs[*picker.Model](&m.stack)
	if !ok || pk.ID() != msg.ID {
		return nil
	}
	if msg.Local {
		m.stack.remove(pk)
		return tea.Batch(m.replaceFS(msg.Side, m.opts.Local, false), m.offerConflict())
	}
	if m.opts.Connect == nil {
		pk.SetErr("connecting is not available")
		return nil
	}
	return m.startConnect(pk, msg)
}

// handlePickerClosed closes the picker the user left.
func (m *Model) handlePickerClosed(msg picker.CloseMsg) tea.Cmd {
	if pk, ok := topIs[*picker.Model](&m.stack); ok && pk.ID() == msg.ID {
		return m.closed(pk)
	}
	return nil
}

// startConnect runs the ConnectFunc for the host picked in a Cmd, with a
// listener for the questions it asks.
func (m *Model) startConnect(pk *picker.Model, msg picker.PickMsg) tea.Cmd {
	ctx, cancel := context.WithCancel(m.ctx)
	c := &connecting{
		Connecting: picker.NewConnecting(m.ids.next(), msg.Label, msg.Side, &m.keys),
		ctx:        ctx,
		cancel:     cancel,
		asker:      newChanAsker(ctx),
		picker:     pk,
	}
	m.stack.push(c)
	connect, alias, asker, id := m.opts.Connect, msg.Alias, c.asker, c.ID()
	return tea.Batch(func() tea.Msg {
		defer cancel() // ends the listener and any pending question
		fsys, err := connect(ctx, alias, asker)
		return connectDoneMsg{id: id, alias: alias, fs: fsys, err: err}
	}, listenAsk(asker, id))
}

// currentConnecting returns the running attempt, also while one of its
// questions is on screen.
func (m *Model) currentConnecting() *connecting {
	c, _ := findOverlay[*connecting](&m.stack)
	return c
}

// handleConnectCancel gives up on the attempt the user cancelled.
func (m *Model) handleConnectCancel(msg picker.CancelMsg) tea.Cmd {
	if c := m.currentConnecting(); c != nil && c.ID() == msg.ID {
		return m.cancelConnecting()
	}
	return nil
}

// cancelConnecting stops the running attempt and returns to the picker.
func (m *Model) cancelConnecting() tea.Cmd {
	c := m.currentConnecting()
	if c == nil {
		return nil
	}
	c.cancel()
	c.picker.SetErr("connection to " + c.Alias() + " cancelled")
	m.stack.remove(c)
	return nil
}

// handleConnectDone shows the new file system in its pane, or returns to
// the picker with the reason. A late result of an abandoned attempt is
// closed.
func (m *Model) handleConnectDone(msg connectDoneMsg) tea.Cmd {
	c := m.currentConnecting()
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
		m.stack.remove(c)
		return nil
	}
	m.stack.remove(c.picker)
	if w := c.LastWarning(); w != "" {
		m.status.setInfo(w)
	}
	return tea.Batch(m.replaceFS(c.Side(), msg.fs, true), m.offerConflict())
}
