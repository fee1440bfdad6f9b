package dialog

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/tui/common"
)

// ConfirmedMsg is a Confirm's result: the user answered yes or no.
type ConfirmedMsg struct {
	// ID is the dialog's.
	ID uint64
	// Yes is the answer.
	Yes bool
}

// Confirm asks yes or no.
type Confirm struct {
	id          uint64
	keys        *common.KeyMap
	title       string   // sanitised
	lines       []string // sanitised
	busy        bool     // still working out what to ask: yes is not accepted yet
	cancellable bool     // Cancel (esc) is not the same as no
}

// NewConfirm returns confirmation id titled title, with lines below it;
// both sanitised.
func NewConfirm(id uint64, title string, lines []string, keys *common.KeyMap) *Confirm {
	return &Confirm{id: id, keys: keys, title: title, lines: lines}
}

// ID returns the dialog's id.
func (d *Confirm) ID() uint64 { return d.id }

// Cancellable makes the Cancel key return a CancelMsg rather than no: a
// question from a connection attempt tells "no" from "give up".
func (d *Confirm) Cancellable() { d.cancellable = true }

// SetLines replaces the lines (sanitised) below the title.
func (d *Confirm) SetLines(lines []string) { d.lines = lines }

// SetBusy says whether the question is still being worked out; while it
// is, yes is not accepted and the hint says so.
func (d *Confirm) SetBusy(busy bool) { d.busy = busy }

// Busy reports whether yes is not accepted yet.
func (d *Confirm) Busy() bool { return d.busy }

// Help returns the dialog's bindings for the help bar.
func (d *Confirm) Help() help.KeyMap { return common.Bindings{d.keys.Confirm, d.keys.Deny} }

// Update answers: it returns a ConfirmedMsg for the Confirm and Deny keys
// (yes only when not busy), or a CancelMsg for Cancel when Cancellable.
func (d *Confirm) Update(msg tea.Msg) tea.Msg {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	switch {
	case d.cancellable && key.Matches(k, d.keys.Cancel):
		return CancelMsg{ID: d.id}
	case key.Matches(k, d.keys.Deny):
		return ConfirmedMsg{ID: d.id, Yes: false}
	case key.Matches(k, d.keys.Confirm) && !d.busy:
		return ConfirmedMsg{ID: d.id, Yes: true}
	}
	return nil
}

// Box renders the dialog as wide as its text needs, within the window
// (maxWidth+2 cells wide), wrapping what is wider.
func (d *Confirm) Box(st *common.Styles, maxWidth int) []string {
	hint := d.keys.Confirm.Help().Key + ": yes   " + d.keys.Deny.Help().Key + ": no"
	if d.busy {
		hint = "counting… " + d.keys.Cancel.Help().Key + ": cancel"
	}
	inner := common.DialogFit(maxWidth+2, common.Widest(append([]string{d.title, hint}, d.lines...)...))
	var body []string
	for _, l := range common.Wrap(d.title, inner) {
		body = append(body, st.DialogTitle.Render(common.Fit(l, inner)))
	}
	for _, l := range common.WrapAll(d.lines, inner) {
		body = append(body, common.Fit(l, inner))
	}
	for _, l := range common.Wrap(hint, inner) {
		body = append(body, st.Hint.Render(common.Fit(l, inner)))
	}
	return common.Frame(st, body, inner)
}
