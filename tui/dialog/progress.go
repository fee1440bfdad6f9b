package dialog

import (
	"fmt"
	"sync/atomic"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/tui/common"
)

// StopMsg is a Progress dialog's result when the user asked to stop.
type StopMsg struct {
	// ID is the dialog's.
	ID uint64
}

// Progress shows running work, such as a delete, counted by a Cmd in an
// atomic counter that the dialog reads when drawn.
type Progress struct {
	id    uint64
	keys  *common.KeyMap
	title string // sanitised
	total int64
	done  *atomic.Int64
	verb  string // what a step does, for the count line: "removed"
}

// NewProgress returns progress dialog id titled title (sanitised) for
// total steps, counted in done.
func NewProgress(id uint64, title string, total int64, done *atomic.Int64, keys *common.KeyMap) *Progress {
	return &Progress{id: id, keys: keys, title: title, total: total, done: done, verb: "removed"}
}

// SetVerb sets the past tense shown before the count, "removed" unless
// set: "changed 12 of 40", or with no total (0), "changed 12".
func (d *Progress) SetVerb(verb string) { d.verb = verb }

// ID returns the dialog's id.
func (d *Progress) ID() uint64 { return d.id }

// Total returns the number of steps.
func (d *Progress) Total() int64 { return d.total }

// Help returns the dialog's bindings for the help bar.
func (d *Progress) Help() help.KeyMap { return common.Bindings{d.keys.Cancel} }

// Update returns a StopMsg for the Cancel key.
func (d *Progress) Update(msg tea.Msg) tea.Msg {
	if k, ok := msg.(tea.KeyPressMsg); ok && key.Matches(k, d.keys.Cancel) {
		return StopMsg{ID: d.id}
	}
	return nil
}

// Box renders the dialog as wide as its title needs, within the window
// (maxWidth+2 cells wide), wrapping a longer one.
func (d *Progress) Box(st *common.Styles, maxWidth int) []string {
	inner := common.DialogFit(maxWidth+2, common.Widest(d.title))
	done := d.done.Load()
	line := fmt.Sprintf("%s %d of %d", d.verb, done, d.total)
	if d.total <= 0 {
		line = fmt.Sprintf("%s %d", d.verb, done)
	}
	meter := ""
	if d.total > 0 {
		meter = common.Bar(int(int64(inner)*min(done, d.total)/d.total), inner)
	}
	var body []string
	for _, l := range common.Wrap(d.title, inner) {
		body = append(body, st.DialogTitle.Render(common.Fit(l, inner)))
	}
	body = append(body, common.Fit(line, inner), meter, st.Hint.Render(common.Fit(d.keys.Cancel.Help().Key+": stop", inner)))
	return common.Frame(st, body, inner)
}
