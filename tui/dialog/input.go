// Package dialog holds the dialog boxes of ferry's user interface: a
// one-line Input, a yes-or-no Confirm, the Conflict question of a copy and
// the Progress of a delete. Each is a component: its Update takes key
// presses (and pastes) and returns a typed result message for the root,
// which knows what the dialog was opened for: SubmitMsg, CancelMsg,
// CompleteMsg, ConfirmedMsg, ConflictAnsweredMsg or StopMsg, each naming
// the dialog by its ID. Dialogs never act themselves.
package dialog

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/tui/common"
)

// SubmitMsg is an Input's result when the user pressed Enter.
type SubmitMsg struct {
	// ID is the dialog's.
	ID uint64
	// Value is the answer: the raw prefill when it was left unchanged.
	Value string
}

// CancelMsg is the result of an Input, or of a Confirm made with
// Cancellable, when the user pressed Esc.
type CancelMsg struct {
	// ID is the dialog's.
	ID uint64
}

// CompleteMsg is the result of an Input made with Completion when the
// user asked to complete what is typed.
type CompleteMsg struct {
	// ID is the dialog's.
	ID uint64
	// Typed is the text as typed.
	Typed string
}

// Input asks for one line of text.
type Input struct {
	id    uint64
	keys  *common.KeyMap
	title string   // sanitised
	lines []string // sanitised text above the input

	// The input starts with prefill, the sanitised form of rawPrefill;
	// submitting it unchanged means rawPrefill, so a name with control
	// characters survives a dialog it was not edited in.
	prefill, rawPrefill string
	input               common.LineInput
	completion          bool // the Complete key asks for a CompleteMsg

	err   string   // why the last answer was refused, sanitised
	hints []string // completion candidates, sanitised
}

// NewInput returns input dialog id titled title (sanitised), prefilled
// with raw.
func NewInput(id uint64, title, raw string, keys *common.KeyMap) *Input {
	d := &Input{id: id, keys: keys, title: title, rawPrefill: raw, prefill: text.Sanitize(raw)}
	d.input.Prompt = "> "
	d.input.SetValue(d.prefill)
	return d
}

// ID returns the dialog's id.
func (d *Input) ID() uint64 { return d.id }

// Title returns the dialog's title, sanitised.
func (d *Input) Title() string { return d.title }

// SetLines sets the text (sanitised) shown between the title and the input.
func (d *Input) SetLines(lines []string) { d.lines = lines }

// Mask shows every typed rune as a bullet, for secrets.
func (d *Input) Mask() { d.input.Mask = true }

// Completion makes the Complete key (tab) return a CompleteMsg.
func (d *Input) Completion() { d.completion = true }

// Typed returns the text as typed.
func (d *Input) Typed() string { return d.input.Value() }

// SetTyped replaces the text, as a completion does.
func (d *Input) SetTyped(s string) { d.input.SetValue(s) }

// Err returns why the last answer was refused; "" when it was not.
func (d *Input) Err() string { return d.err }

// SetErr refuses the answer with reason (sanitised), keeping the dialog
// open.
func (d *Input) SetErr(reason string) { d.err = reason }

// Hints returns the completion candidates shown.
func (d *Input) Hints() []string { return d.hints }

// SetHints shows candidates (sanitised) below the input.
func (d *Input) SetHints(hints []string) { d.hints = hints }

// SetSize fits the input to a window width cells wide.
func (d *Input) SetSize(width, _ int) {
	d.input.SetWidth(max(common.DialogInner(width)-ansi.StringWidth(d.input.Prompt)-1, 1))
}

// value is the answer: the raw prefill when it was left unchanged.
func (d *Input) value() string {
	if v := d.input.Value(); v != d.prefill {
		return v
	}
	return d.rawPrefill
}

// Help returns the dialog's bindings for the help bar.
func (d *Input) Help() help.KeyMap {
	if d.completion {
		return common.Bindings{d.keys.Submit, d.keys.Complete, d.keys.Cancel}
	}
	return common.Bindings{d.keys.Submit, d.keys.Cancel}
}

// Update edits the text: Enter returns a SubmitMsg, Esc a CancelMsg, the
// Complete key a CompleteMsg when asked for; pastes are inserted.
func (d *Input) Update(msg tea.Msg) tea.Msg {
	switch msg := msg.(type) {
	case tea.PasteMsg:
		d.input.Update(msg)
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, d.keys.Cancel):
			return CancelMsg{ID: d.id}
		case key.Matches(msg, d.keys.Submit):
			d.err = ""
			return SubmitMsg{ID: d.id, Value: d.value()}
		case d.completion && key.Matches(msg, d.keys.Complete):
			return CompleteMsg{ID: d.id, Typed: d.input.Value()}
		}
		d.input.Update(msg)
	}
	return nil
}

// Box renders the dialog as wide as the window (maxWidth+2 cells wide)
// allows, wrapping long text.
func (d *Input) Box(st *common.Styles, maxWidth int) []string {
	inner := common.DialogInner(maxWidth + 2)
	var body []string
	for _, l := range common.Wrap(d.title, inner) {
		body = append(body, st.DialogTitle.Render(common.Fit(l, inner)))
	}
	for _, l := range common.WrapAll(d.lines, inner) {
		body = append(body, common.Fit(l, inner))
	}
	body = append(body, common.FitStyled(d.input.View(&st.Input), inner))
	if d.err != "" {
		for _, l := range common.Wrap(d.err, inner) {
			body = append(body, st.DialogError.Render(common.Fit(l, inner)))
		}
	}
	if len(d.hints) > 0 {
		body = append(body, st.Hint.Render(common.Fit(strings.Join(d.hints, "  "), inner)))
	}
	return common.Frame(st, body, inner)
}
