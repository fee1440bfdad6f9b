package tui

import (
	"time"

	tea "charm.land/bubbletea/v2"
)

// stripInterval is how often the transfer strip and queue view are polled.
const stripInterval = 100 * time.Millisecond

// stripTickMsg asks the model to poll the transfer hooks.
type stripTickMsg struct{}

// startStripTick starts polling when there is anything to poll.
func (m *Model) startStripTick() tea.Cmd {
	if m.opts.TransferStatus == nil && m.opts.QueueView == nil {
		return nil
	}
	return tea.Tick(stripInterval, func(time.Time) tea.Msg { return stripTickMsg{} })
}

// handleStripTick reads the transfer status and polls again.
func (m *Model) handleStripTick() tea.Cmd {
	if m.opts.TransferStatus != nil {
		m.strip = Sanitize(m.opts.TransferStatus())
	}
	return m.startStripTick()
}
