package tui

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/tui/dialog"
)

// The dialogs come from package dialog; the root wraps each with what its
// answer is for and acts on the result messages they return.

// inputDialog is an input dialog and what its answer is for.
type inputDialog struct {
	*dialog.Input
	side    side     // the pane acted on
	names   []string // raw names acted on
	move    bool     // a copy that is a move
	ask     *askRequest
	compReq uint64 // the latest completion request
	// submit acts on the answer and says the dialog is done, or refuses
	// the answer with SetErr and says it is not.
	submit func(d *inputDialog, value string) (tea.Cmd, bool)
}

// confirmDialog is a yes-or-no question and what its answer runs.
type confirmDialog struct {
	*dialog.Confirm
	ask    *askRequest // a question of a connection attempt: Esc gives up
	answer func(yes bool) tea.Cmd
}

// deleteDialog asks before a delete, counting what it removes first.
type deleteDialog struct {
	*dialog.Confirm
	side               side
	names              []string           // raw names to delete
	files, dirs, bytes int64              // counted so far
	stop               context.CancelFunc // stops the count
}

// progressDialog shows a running delete, chmod -R or chown -R.
type progressDialog struct {
	*dialog.Progress
	cancel context.CancelFunc // stops the work
}

// newInput returns an input dialog prefilled with raw that submit answers.
func (o *fileOps) newInput(title, raw string, submit func(*inputDialog, string) (tea.Cmd, bool)) *inputDialog {
	return &inputDialog{Input: dialog.NewInput(o.ids.next(), title, raw, o.keys), side: *o.focus, submit: submit}
}

// newConfirm returns a yes-or-no question whose answer runs answer.
func (o *fileOps) newConfirm(title string, lines []string, answer func(bool) tea.Cmd) *confirmDialog {
	return &confirmDialog{Confirm: dialog.NewConfirm(o.ids.next(), title, lines, o.keys), answer: answer}
}

// handleSubmit acts on the answer of the input dialog on top.
func (m *Model) handleSubmit(msg dialog.SubmitMsg) tea.Cmd {
	d, ok := topIs[*inputDialog](&m.stack)
	if !ok || d.ID() != msg.ID {
		return nil
	}
	cmd, done := d.submit(d, msg.Value)
	if !done {
		return cmd
	}
	m.stack.remove(d)
	return tea.Batch(cmd, m.offerConflict())
}

// handleCancel closes the dialog on top without acting; a question of a
// connection attempt gives the attempt up.
func (m *Model) handleCancel(msg dialog.CancelMsg) tea.Cmd {
	var ask *askRequest
	switch d := m.stack.top().(type) {
	case *inputDialog:
		if d.ID() != msg.ID {
			return nil
		}
		if d.ask == nil {
			return m.closed(d)
		}
		ask = d.ask
	case *confirmDialog:
		if d.ID() != msg.ID {
			return nil
		}
		ask = d.ask
	default:
		return nil
	}
	answerAsk(ask, askReply{err: ErrCancelled})
	return m.hosts.cancelConnecting()
}

// handleConfirmed closes the confirmation on top and acts on the answer.
func (m *Model) handleConfirmed(msg dialog.ConfirmedMsg) tea.Cmd {
	var cmd tea.Cmd
	switch d := m.stack.top().(type) {
	case *confirmDialog:
		if d.ID() != msg.ID {
			return nil
		}
		m.stack.remove(d)
		cmd = d.answer(msg.Yes)
	case *deleteDialog:
		if d.ID() != msg.ID {
			return nil
		}
		m.stack.remove(d)
		if d.stop != nil {
			d.stop()
		}
		if msg.Yes {
			cmd = m.ops.runDelete(d)
		}
	case *syncDialog:
		if d.ID() != msg.ID {
			return nil
		}
		m.stack.remove(d)
		d.stop()
		if msg.Yes {
			cmd = m.ops.answerSync(d)
		}
	default:
		return nil
	}
	return tea.Batch(cmd, m.offerConflict())
}
