package tui

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/tui/common"
)

// inputKind says what an input dialog's answer is for.
type inputKind int

const (
	inputMkdir inputKind = iota
	inputRename
	inputChmod
	inputGoto
	inputCopy
	inputAsk // a question from an Asker
)

// inputDialog asks for one line of text.
type inputDialog struct {
	km    *KeyMap
	kind  inputKind
	title string   // sanitised
	lines []string // sanitised text above the input
	side  side     // the pane acted on
	names []string // raw names acted on
	move  bool     // inputCopy: a move

	dirLinks []string // inputCopy: names that are links to directories

	// The input starts with prefill, the sanitised form of rawPrefill;
	// submitting it unchanged means rawPrefill, so a name with control
	// characters survives a dialog it was not edited in.
	prefill, rawPrefill string
	input               common.LineInput

	err     string   // why the last answer was refused, sanitised
	hints   []string // completion candidates, sanitised
	compReq uint64   // latest completion request

	ask *askRequest // inputAsk: the question
}

// newInput returns a focused input dialog prefilled with raw.
func (m *Model) newInput(kind inputKind, title, raw string) *inputDialog {
	d := &inputDialog{km: &m.keys, kind: kind, title: title, rawPrefill: raw, prefill: text.Sanitize(raw)}
	d.input.Prompt = "> "
	d.SetSize(m.width, 0)
	d.input.SetValue(d.prefill)
	return d
}

// resize fits the input to a window width cells wide.
func (d *inputDialog) SetSize(width, _ int) {
	d.input.SetWidth(max(common.DialogInner(width)-ansi.StringWidth(d.input.Prompt)-1, 1))
}

// value is the answer: the raw prefill when it was left unchanged.
func (d *inputDialog) value() string {
	if v := d.input.Value(); v != d.prefill {
		return v
	}
	return d.rawPrefill
}

// Help returns the dialog's bindings for the help bar.
func (d *inputDialog) Help() help.KeyMap {
	k := d.km
	if d.kind == inputGoto {
		return common.Bindings{k.Submit, k.Complete, k.Cancel}
	}
	return common.Bindings{k.Submit, k.Cancel}
}

// Box renders the dialog.
func (d *inputDialog) Box(st *Styles, maxWidth int) []string {
	inner := common.DialogInner(maxWidth + 2)
	body := []string{st.DialogTitle.Render(common.Fit(d.title, inner))}
	for _, l := range d.lines {
		body = append(body, common.Fit(l, inner))
	}
	body = append(body, common.FitStyled(d.input.View(&st.Input), inner))
	if d.err != "" {
		body = append(body, st.DialogError.Render(common.Fit(d.err, inner)))
	}
	if len(d.hints) > 0 {
		body = append(body, st.Hint.Render(common.Fit(strings.Join(d.hints, "  "), inner)))
	}
	return common.Frame(st, body, inner)
}

// handleInputKey edits an input dialog: Enter submits, Esc cancels, Tab
// completes in the go-to dialog.
func (m *Model) handleInputKey(d *inputDialog, msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Cancel):
		return m.cancelInput(d)
	case key.Matches(msg, m.keys.Submit):
		d.err = ""
		return m.submitInput(d)
	case d.kind == inputGoto && key.Matches(msg, m.keys.Complete):
		return m.complete(d)
	}
	d.input.Update(msg)
	return nil
}

// cancelInput closes d without acting.
func (m *Model) cancelInput(d *inputDialog) tea.Cmd {
	if d.kind == inputAsk {
		m.answerAsk(d.ask, askReply{err: ErrCancelled})
		return m.cancelConnecting()
	}
	return m.closed(d)
}

// submitInput acts on the answer; a refused answer keeps the dialog open
// with the reason.
func (m *Model) submitInput(d *inputDialog) tea.Cmd {
	switch d.kind {
	case inputMkdir:
		return m.submitMkdir(d)
	case inputRename:
		return m.submitRename(d)
	case inputChmod:
		return m.submitChmod(d)
	case inputGoto:
		return m.submitGoto(d)
	case inputCopy:
		return m.submitCopy(d)
	case inputAsk:
		return m.submitAsk(d)
	}
	return nil
}
