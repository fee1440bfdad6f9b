package tui

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// queueView shows the transfer queue rendered by Options.QueueView.
type queueView struct {
	render func(width, height int) string
}

// keys returns the queue view's bindings for the help bar.
func (q *queueView) keys(k *KeyMap) help.KeyMap {
	return bindings{key.NewBinding(key.WithKeys("w", "esc", "q"), key.WithHelp("w/esc", "back"))}
}

// screen renders the queue below a title line, sanitised line by line.
func (q *queueView) screen(st *Styles, width, height int) string {
	lines := []string{st.HeaderFocused.Render(fit(" Transfer queue", width))}
	if height > 1 {
		for _, l := range strings.Split(q.render(width, height-1), "\n") {
			lines = append(lines, fitStyled(l, width))
		}
	}
	blank := strings.Repeat(" ", width)
	for len(lines) < height {
		lines = append(lines, blank)
	}
	return strings.Join(lines[:height], "\n")
}

// openQueue shows the queue view, or says why it cannot.
func (m *Model) openQueue() {
	if m.opts.QueueView == nil {
		m.status.setInfo("the transfer queue arrives with the transfer engine")
		return
	}
	m.overlay = &queueView{render: m.opts.QueueView}
}

// handleQueueKey closes the queue view.
func (m *Model) handleQueueKey(msg tea.KeyPressMsg) {
	if s := msg.String(); s == "w" || s == "esc" || s == "q" {
		m.overlay = nil
	}
}
