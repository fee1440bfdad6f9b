package tui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/tui/queue"
)

// stack is the overlays over the panes, bottom first: the host picker
// under its connection attempt under a question of that attempt, say, or
// the queue view under a conflict dialog. Keys go to the top of the stack
// (the panes when it is empty); the screen drawn is the topmost
// full-screen overlay (or the panes), with every dialog box above it laid
// over it in order. Closing an overlay shows what it covered; the root
// then lets a conflict that waited for it in.
type stack struct {
	items         []overlay
	width, height int // of the body: every overlay is sized to it
}

// top returns the overlay that has the keys, or nil.
func (s *stack) top() overlay {
	if len(s.items) == 0 {
		return nil
	}
	return s.items[len(s.items)-1]
}

// push puts o on top of the stack, sized.
func (s *stack) push(o overlay) {
	if z, ok := o.(sizer); ok {
		z.SetSize(s.width, s.height)
	}
	s.items = append(s.items, o)
}

// setSize sizes every overlay for a body width by height cells.
func (s *stack) setSize(width, height int) {
	s.width, s.height = width, height
	for _, o := range s.items {
		if z, ok := o.(sizer); ok {
			z.SetSize(width, height)
		}
	}
}

// remove takes o, and whatever lies above it, off the stack. It does
// nothing when o is not on the stack. The caller then offers a waiting
// conflict what was uncovered (offerConflict), once it has pushed
// whatever replaces o.
func (s *stack) remove(o overlay) {
	for i := len(s.items) - 1; i >= 0; i-- {
		if s.items[i] == o {
			clear(s.items[i:])
			s.items = s.items[:i]
			return
		}
	}
}

// removeAbove takes whatever lies above o off the stack.
func (s *stack) removeAbove(o overlay) {
	for i := len(s.items) - 1; i >= 0; i-- {
		if s.items[i] == o {
			clear(s.items[i+1:])
			s.items = s.items[:i+1]
			return
		}
	}
}

// findOverlay returns the topmost overlay of type T on s.
func findOverlay[T overlay](s *stack) (T, bool) {
	for i := len(s.items) - 1; i >= 0; i-- {
		if o, ok := s.items[i].(T); ok {
			return o, true
		}
	}
	var zero T
	return zero, false
}

// topIs returns the top of s as a T.
func topIs[T overlay](s *stack) (T, bool) {
	o, ok := s.top().(T)
	return o, ok
}

// closed closes o and offers a waiting conflict what o covered.
func (m *Model) closed(o overlay) tea.Cmd {
	m.stack.remove(o)
	return m.offerConflict()
}

// toTop sends msg (a key, a paste, the wheel) to the overlay on top and
// routes the result it returns; ok is false when the stack is empty.
func (m *Model) toTop(msg tea.Msg) (cmd tea.Cmd, ok bool) {
	switch o := m.stack.top().(type) {
	case nil:
		return nil, false
	case *queue.Model:
		return m.handleQueueInput(o, msg), true
	case component:
		return m.update(o.Update(msg)), true
	}
	return nil, true
}
