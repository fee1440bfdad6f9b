package tui

import (
	"strconv"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/queue"
)

// handleKey sends a key to whatever has the keys: ctrl+c quits from
// anywhere; otherwise a background question, the top of the stack, the filter
// input or the file list. Any key clears the status line.
func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	if key.Matches(msg, m.keys.ForceQuit) {
		return m.quit()
	}
	m.status.clear()
	if m.questions.cur != nil {
		return m.questions.update(msg)
	}
	if cmd, ok := m.toTop(msg); ok {
		return cmd
	}
	if m.filter.active {
		if m.filter.update(msg, m.focused()) {
			return m.offerConflict() // the panes are free again
		}
		return nil
	}
	return m.handleListKey(msg)
}

// handleListKey handles a key in the file list: the root's own keys
// first, then the focused pane's, then the keys that open a dialog.
func (m *Model) handleListKey(msg tea.KeyPressMsg) tea.Cmd {
	k := &m.keys
	switch {
	case key.Matches(msg, k.Quit):
		return m.askQuit()
	case key.Matches(msg, k.Help):
		m.help.ShowAll = !m.help.ShowAll
		m.layout()
	case key.Matches(msg, k.SwitchPane):
		m.setFocus(m.focus.Other())
	case key.Matches(msg, k.StopReconnect) && m.conns.canStop(m.keysToList()):
		m.conns.stopReconnects()
	case key.Matches(msg, k.ClearSelection) && m.filter.clearKept(m.focused()):
	case key.Matches(msg, k.Refresh):
		return m.conns.refresh(m.focused(), &m.panes)
	default:
		if cmd, ok := m.focused().Update(msg); ok {
			return cmd
		}
		return m.handleCommandKey(msg)
	}
	return nil
}

// handleCommandKey handles the keys that open a dialog, a viewer or an
// injected hook.
func (m *Model) handleCommandKey(msg tea.KeyPressMsg) tea.Cmd {
	k := &m.keys
	switch {
	case key.Matches(msg, k.Copy):
		return m.ops.startCopy(false)
	case key.Matches(msg, k.Move):
		return m.ops.startCopy(true)
	case key.Matches(msg, k.Rename):
		return m.ops.startRename()
	case key.Matches(msg, k.Mkdir):
		return m.ops.startMkdir()
	case key.Matches(msg, k.Delete):
		return m.ops.startDelete()
	case key.Matches(msg, k.Chmod):
		return m.ops.startChmod(false)
	case key.Matches(msg, k.Compare):
		m.ops.compareDirs()
	case key.Matches(msg, k.Sync):
		return m.ops.startSync()
	case m.ops.isOpsKey(msg):
		return m.ops.handleOpsKey(msg)
	case key.Matches(msg, k.View):
		return m.ops.startView()
	case key.Matches(msg, k.Edit):
		return m.ops.startEdit()
	case key.Matches(msg, k.Filter):
		m.filter.start(m.focused())
	case key.Matches(msg, k.GoTo):
		return m.ops.startGoto()
	case key.Matches(msg, k.Hosts):
		return m.hosts.openPicker(m.focus)
	case key.Matches(msg, k.Queue):
		return m.openQueue()
	case key.Matches(msg, k.Find):
		return m.startFind()
	case key.Matches(msg, k.Log):
		return m.openLog()
	case key.Matches(msg, k.Bookmarks):
		return m.openBookmarks()
	case key.Matches(msg, k.AddBookmark):
		return m.addBookmark()
	}
	return nil
}

// askQuit quits, or asks first when transfers are queued or running.
func (m *Model) askQuit() tea.Cmd {
	snap, ok := m.xfer.snapshot()
	if !ok || !queue.Busy(snap) || m.opts.NoQuitConfirm {
		return m.quit()
	}
	line := "A copy is still being planned; it will be cancelled."
	if n := snap.States[transfer.Queued] + snap.States[transfer.Running]; n > 0 {
		noun := " transfers are"
		if n == 1 {
			noun = " transfer is"
		}
		line = strconv.Itoa(n) + noun + " still queued or running and will be cancelled."
	}
	m.stack.push(m.ops.newConfirm("Quit ferry?", []string{line}, func(yes bool) tea.Cmd {
		if yes {
			return m.quit()
		}
		return nil
	}))
	return nil
}

// handlePaste sends pasted text to the input that has the keys.
func (m *Model) handlePaste(msg tea.PasteMsg) tea.Cmd {
	if m.questions.cur != nil {
		return m.questions.update(msg)
	}
	if cmd, ok := m.toTop(msg); ok {
		return cmd
	}
	if m.filter.active {
		m.filter.update(msg, m.focused())
	}
	return nil
}
