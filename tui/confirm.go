package tui

import (
	"context"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/tui/common"
)

// confirmKind says what a confirmation is for.
type confirmKind int

const (
	confirmDelete confirmKind = iota
	confirmQuit
	confirmAsk  // a yes-or-no question from an Asker
	confirmEdit // a question from an EditFunc (EditDoneMsg.Question)
)

// confirmDialog asks yes or no.
type confirmDialog struct {
	km    *KeyMap
	kind  confirmKind
	title string   // sanitised
	lines []string // sanitised
	side  side
	names []string // raw names acted on

	busy   bool               // still counting: yes is not accepted yet
	cancel context.CancelFunc // stops the count
	reqID  uint64
	files  int64 // counted files, directories and bytes
	dirs   int64
	bytes  int64

	ask *askRequest // confirmAsk: the question

	onYes, onNo tea.Cmd // confirmEdit: what each answer runs
}

// Help returns the dialog's bindings for the help bar.
func (d *confirmDialog) Help() help.KeyMap {
	return common.Bindings{d.km.Confirm, d.km.Deny}
}

// Box renders the dialog.
func (d *confirmDialog) Box(st *Styles, maxWidth int) []string {
	inner := common.DialogInner(maxWidth + 2)
	body := []string{st.DialogTitle.Render(common.Fit(d.title, inner))}
	for _, l := range d.lines {
		body = append(body, common.Fit(l, inner))
	}
	hint := "y/Enter: yes   n/Esc: no"
	if d.busy {
		hint = "counting… Esc: cancel"
	}
	body = append(body, st.Hint.Render(common.Fit(hint, inner)))
	return common.Frame(st, body, inner)
}

// handleConfirmKey answers a confirmation.
func (m *Model) handleConfirmKey(d *confirmDialog, msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case d.kind == confirmAsk && key.Matches(msg, m.keys.Cancel):
		m.answerAsk(d.ask, askReply{err: ErrCancelled})
		return m.cancelConnecting()
	case key.Matches(msg, m.keys.Deny):
		return m.closeConfirm(d, false)
	case key.Matches(msg, m.keys.Confirm) && !d.busy:
		return m.closeConfirm(d, true)
	}
	return nil
}

// closeConfirm closes d and acts on the answer.
func (m *Model) closeConfirm(d *confirmDialog, yes bool) tea.Cmd {
	m.closeOverlay(d)
	if d.cancel != nil {
		d.cancel()
	}
	var cmd tea.Cmd
	switch d.kind {
	case confirmQuit:
		if yes {
			return m.quit()
		}
	case confirmDelete:
		if yes {
			cmd = m.runDelete(d)
		}
	case confirmAsk:
		m.answerAsk(d.ask, askReply{yes: yes})
	case confirmEdit:
		cmd = d.onNo
		if yes {
			cmd = d.onYes
		}
	}
	return tea.Batch(cmd, m.offerConflict())
}
