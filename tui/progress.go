package tui

import (
	"time"

	tea "charm.land/bubbletea/v2"
)

// progressInterval is how often running work is polled for the screen.
const progressInterval = 100 * time.Millisecond

// progressTickMsg asks the model to redraw the progress of request id.
type progressTickMsg struct{ id uint64 }

// tickProgress returns a Cmd that asks for a redraw of request id soon.
func tickProgress(id uint64) tea.Cmd {
	return tea.Tick(progressInterval, func(time.Time) tea.Msg { return progressTickMsg{id: id} })
}

// progressTick keeps ticking while request msg.id is on top.
func progressTick(top overlay, msg progressTickMsg) tea.Cmd {
	switch d := top.(type) {
	case *progressDialog:
		if d.ID() == msg.id {
			return tickProgress(msg.id)
		}
	case *deleteDialog:
		if d.Busy() && d.ID() == msg.id {
			return tickProgress(msg.id)
		}
	case *syncDialog:
		if d.Busy() && d.ID() == msg.id {
			d.tick()
			return tickProgress(msg.id)
		}
	}
	return nil
}
