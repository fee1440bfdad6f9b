package tui

import (
	"testing"

	"github.com/ferry-tui/ferry/tui/common"
	"github.com/ferry-tui/ferry/tui/dialog"
	"github.com/ferry-tui/ferry/tui/picker"
)

// TestStackPushRemoveFind: removing an overlay takes what lies above it
// too, and the typed lookups see through the stack.
func TestStackPushRemoveFind(t *testing.T) {
	t.Parallel()
	km := common.DefaultKeyMap()
	var s stack
	s.setSize(80, 20)
	pk := picker.New(1, leftSide, true, false, &km)
	c := &connecting{Connecting: picker.NewConnecting(2, "web1", leftSide, &km)}
	q := &confirmDialog{Confirm: dialog.NewConfirm(3, "Trust?", nil, &km)}
	s.push(pk)
	s.push(c)
	s.push(q)
	if s.top() != overlay(q) {
		t.Fatalf("top %T", s.top())
	}
	if got, ok := findOverlay[*connecting](&s); !ok || got != c {
		t.Errorf("findOverlay: %v %v", got, ok)
	}
	if _, ok := topIs[*connecting](&s); ok {
		t.Error("topIs saw through the dialog on top")
	}
	s.removeAbove(c)
	if s.top() != overlay(c) || len(s.items) != 2 {
		t.Errorf("removeAbove: top %T, %d items", s.top(), len(s.items))
	}
	s.push(q)
	s.remove(c)
	if s.top() != overlay(pk) || len(s.items) != 1 {
		t.Errorf("remove: top %T, %d items", s.top(), len(s.items))
	}
	s.remove(q) // not on the stack: nothing happens
	if len(s.items) != 1 {
		t.Errorf("removing what is not there: %d items", len(s.items))
	}
	s.remove(pk)
	if s.top() != nil {
		t.Errorf("empty stack: top %T", s.top())
	}
}
