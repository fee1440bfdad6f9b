package main

import (
	"context"
	"fmt"
	"testing"

	"github.com/ferry-tui/ferry/tui"
)

// TestEditBridgeAsksInTheUI: a question of the edit workflow becomes an
// EditDoneMsg with the question, and the answer the UI runs (OnYes or
// OnNo) reaches the workflow, whose next step is what that Cmd returns.
func TestEditBridgeAsksInTheUI(t *testing.T) {
	for _, yes := range []bool{true, false} {
		br := &editBridge{steps: make(chan editStep), editor: "vi"}
		go func() {
			got, err := br.Confirm(context.Background(), "Upload?\n(no keeps it)")
			br.steps <- editStep{done: &tui.EditDoneMsg{Message: fmt.Sprint(got, err)}}
		}()
		msg, ok := br.next().(tui.EditDoneMsg)
		if !ok || msg.Question != "Upload?\n(no keeps it)" || msg.OnYes == nil || msg.OnNo == nil {
			t.Fatalf("question step: %+v", msg)
		}
		answer := msg.OnNo
		if yes {
			answer = msg.OnYes
		}
		done, ok := answer().(tui.EditDoneMsg)
		if want := fmt.Sprint(yes, nil); !ok || done.Message != want {
			t.Errorf("after answering %v the workflow got %q, want %q", yes, done.Message, want)
		}
	}
}

// TestEditBridgeStopsWaitingWhenCancelled: a workflow whose context ends
// does not wait for a UI that never answers.
func TestEditBridgeStopsWaitingWhenCancelled(t *testing.T) {
	br := &editBridge{steps: make(chan editStep), editor: "vi"}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := br.Confirm(ctx, "Upload?"); err == nil {
		t.Error("Confirm answered with nobody asked")
	}
	if err := br.Edit(ctx, "/x"); err == nil {
		t.Error("Edit returned without an editor run")
	}
}
