package tui

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/tui/common"
)

// progressInterval is how often running work is polled for the screen.
const progressInterval = 100 * time.Millisecond

// progressTickMsg asks the model to redraw the progress of request id.
type progressTickMsg struct{ id uint64 }

// progress counts the work a Cmd has done; the model reads it on ticks.
type progress struct{ done atomic.Int64 }

// progressDialog shows a running delete; Esc stops it.
type progressDialog struct {
	km     *KeyMap
	id     uint64
	title  string
	total  int64
	prog   *progress
	cancel context.CancelFunc
}

// Help returns the dialog's bindings for the help bar.
func (d *progressDialog) Help() help.KeyMap {
	return common.Bindings{d.km.Cancel}
}

// Box renders the dialog.
func (d *progressDialog) Box(st *Styles, maxWidth int) []string {
	inner := common.DialogInner(maxWidth + 2)
	done := d.prog.done.Load()
	line := fmt.Sprintf("removed %d of %d", done, d.total)
	meter := ""
	if d.total > 0 {
		meter = common.Bar(int(int64(inner)*min(done, d.total)/d.total), inner)
	}
	return common.Frame(st, []string{st.DialogTitle.Render(common.Fit(d.title, inner)), common.Fit(line, inner), meter,
		st.Hint.Render(common.Fit("Esc: stop", inner))}, inner)
}

// handleProgressKey stops the delete on Esc.
func (m *Model) handleProgressKey(d *progressDialog, msg tea.KeyPressMsg) {
	if key.Matches(msg, m.keys.Cancel) {
		d.cancel()
	}
}

// tickProgress returns a Cmd that asks for a redraw of request id soon.
func tickProgress(id uint64) tea.Cmd {
	return tea.Tick(progressInterval, func(time.Time) tea.Msg { return progressTickMsg{id: id} })
}

// handleProgressTick keeps ticking while request id is on screen.
func (m *Model) handleProgressTick(msg progressTickMsg) tea.Cmd {
	switch d := m.top().(type) {
	case *progressDialog:
		if d.id == msg.id {
			return tickProgress(msg.id)
		}
	case *confirmDialog:
		if d.busy && d.reqID == msg.id {
			return tickProgress(msg.id)
		}
	}
	return nil
}
