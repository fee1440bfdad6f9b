package tui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/tui/queue"
)

// The overlays over the panes form an explicit stack, bottom first: the
// host picker under its connection attempt under a question of that
// attempt, say, or the queue view under a conflict dialog. Keys go to the
// top of the stack (the panes when it is empty); the screen drawn is the
// topmost full-screen overlay (or the panes), with every dialog box above
// it laid over it in order. Closing an overlay shows what it covered and
// lets a conflict that waited for it in.

// top returns the overlay that has the keys, or nil.
func (m *Model) top() overlay {
	if len(m.stack) == 0 {
		return nil
	}
	return m.stack[len(m.stack)-1]
}

// push puts o on top of the stack.
func (m *Model) push(o overlay) {
	if s, ok := o.(sizer); ok {
		s.SetSize(m.width, m.bodyHeight())
	}
	m.stack = append(m.stack, o)
}

// closeOverlay takes o, and whatever lies above it, off the stack. It does
// nothing when o is not on the stack. The caller then offers a waiting
// conflict what was uncovered (offerConflict), once it has pushed
// whatever replaces o.
func (m *Model) closeOverlay(o overlay) {
	for i := len(m.stack) - 1; i >= 0; i-- {
		if m.stack[i] == o {
			clear(m.stack[i:])
			m.stack = m.stack[:i]
			return
		}
	}
}

// closeAbove takes whatever lies above o off the stack.
func (m *Model) closeAbove(o overlay) {
	for i := len(m.stack) - 1; i >= 0; i-- {
		if m.stack[i] == o {
			clear(m.stack[i+1:])
			m.stack = m.stack[:i+1]
			return
		}
	}
}

// closed closes o and offers a waiting conflict what o covered.
func (m *Model) closed(o overlay) tea.Cmd {
	m.closeOverlay(o)
	return m.offerConflict()
}

// toTop sends msg (a key, a paste, the wheel) to the overlay on top and
// routes the result it returns; ok is false when the stack is empty.
func (m *Model) toTop(msg tea.Msg) (cmd tea.Cmd, ok bool) {
	switch o := m.top().(type) {
	case nil:
		return nil, false
	case *queue.Model:
		return m.handleQueueInput(o, msg), true
	case component:
		return m.update(o.Update(msg)), true
	}
	return nil, true
}

// findOverlay returns the topmost overlay of type T on m's stack.
func findOverlay[T overlay](m *Model) (T, bool) {
	for i := len(m.stack) - 1; i >= 0; i-- {
		if o, ok := m.stack[i].(T); ok {
			return o, true
		}
	}
	var zero T
	return zero, false
}

// topIs returns the top of the stack as a T.
func topIs[T overlay](m *Model) (T, bool) {
	o, ok := m.top().(T)
	return o, ok
}
