package pane

import tea "charm.land/bubbletea/v2"

// maxHistory is how many directories each way a pane remembers.
const maxHistory = 100

// place is a directory in a pane's history and the entry the cursor was
// on there.
type place struct {
	dir, name string
}

// history is a pane's way back and forward through the directories it
// showed, as a web browser's: going somewhere new clears the way forward.
type history struct {
	back, fwd []place
	// moving is the way the latest listing request goes: -1 back, +1
	// forward, 0 somewhere new. It is applied when the listing lands.
	moving int
}

// push appends pl to list, dropping the oldest beyond maxHistory.
func push(list []place, pl place) []place {
	list = append(list, pl)
	if len(list) > maxHistory {
		list = append(list[:0], list[len(list)-maxHistory:]...)
	}
	return list
}

// moved records that the pane left from (with the cursor on name) for
// another directory, the way the latest request went.
func (h *history) moved(from place) {
	switch h.moving {
	case -1:
		if n := len(h.back); n > 0 {
			h.back = h.back[:n-1]
		}
		h.fwd = push(h.fwd, from)
	case 1:
		if n := len(h.fwd); n > 0 {
			h.fwd = h.fwd[:n-1]
		}
		h.back = push(h.back, from)
	default:
		h.back = push(h.back, from)
		h.fwd = h.fwd[:0]
	}
	h.moving = 0
}

// CanGoBack reports whether Back has somewhere to go.
func (p *Model) CanGoBack() bool { return len(p.hist.back) > 0 }

// CanGoForward reports whether Forward has somewhere to go.
func (p *Model) CanGoForward() bool { return len(p.hist.fwd) > 0 }

// Back lists the directory shown before this one, with the cursor on the
// entry it was on there; nil when there is none.
func (p *Model) Back() tea.Cmd {
	n := len(p.hist.back)
	if n == 0 || !p.loaded {
		return nil
	}
	to := p.hist.back[n-1]
	cmd := p.Load(to.dir, to.name)
	p.hist.moving = -1
	return cmd
}

// Forward lists again the directory Back left; nil when there is none.
func (p *Model) Forward() tea.Cmd {
	n := len(p.hist.fwd)
	if n == 0 || !p.loaded {
		return nil
	}
	to := p.hist.fwd[n-1]
	cmd := p.Load(to.dir, to.name)
	p.hist.moving = 1
	return cmd
}
