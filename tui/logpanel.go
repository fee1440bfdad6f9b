package tui

import (
	"fmt"
	"io"

	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/logview"
)

// logFailedMsg reports that the messages log could not be written; the
// model stops writing it.
type logFailedMsg struct{ err error }

// openLog shows every message of the run in the log overlay.
func (m *Model) openLog() tea.Cmd {
	file := m.opts.MessageLogName
	if m.opts.MessageLog == nil {
		file = ""
	}
	m.stack.push(logview.New(m.ids.next(), m.status.log, file, &m.keys))
	return nil
}

// handleLogClose closes the log overlay the user left.
func (m *Model) handleLogClose(msg logview.CloseMsg) tea.Cmd {
	if v, ok := topIs[*logview.Model](&m.stack); ok && v.ID() == msg.ID {
		return m.closed(v)
	}
	return nil
}

// writeLog returns a Cmd appending the messages not written yet to the
// messages log, or nil when there are none or no log.
func (m *Model) writeLog() tea.Cmd {
	lines := m.status.log.Unwritten()
	w := m.opts.MessageLog
	if lines == "" || w == nil {
		return nil
	}
	return func() tea.Msg {
		if _, err := io.WriteString(w, lines); err != nil {
			return logFailedMsg{err: err}
		}
		return nil
	}
}

// handleLogFailed stops writing the messages log and says why, once.
func (m *Model) handleLogFailed(msg logFailedMsg) {
	if m.opts.MessageLog == nil {
		return
	}
	m.opts.MessageLog = nil
	m.status.setError(fmt.Errorf("write messages log %s: %w; messages are kept in this run only", m.opts.MessageLogName, msg.err))
	m.status.log.Unwritten() // nowhere to write it
}

// noteConn logs a connection's news, which the connection line shows
// rather than the status line.
func (m *Model) noteConn(st ConnState) {
	host := st.Host
	if host == "" {
		host = "the server"
	}
	switch st.Status {
	case ConnLost:
		msg := "connection to " + host + " lost"
		if st.Err != nil {
			msg += ": " + st.Err.Error()
		}
		m.status.note(msg, true)
	case ConnFailed:
		msg := "gave up reconnecting to " + host
		switch {
		case st.Stopped:
			msg = "stopped reconnecting to " + host
		case st.Err != nil:
			msg += " after " + text.Plural(st.Attempt, "attempt") + ": " + st.Err.Error()
		}
		m.status.note(msg, true)
	}
}

// noteTransfers logs each job that failed, with its path and why; the
// status line only sums a batch up.
func (m *Model) noteTransfers(events []transfer.Event) {
	for _, ev := range events {
		if ev.Kind == transfer.JobFinished && ev.State == transfer.Failed && ev.Err != nil {
			m.status.note("failed: "+ev.Path+": "+ev.Err.Error(), true)
		}
	}
}
