package tui

import (
	"runtime"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/transfer"
)

// TestListenEventsGathersARun: events that follow the first within
// eventLinger come in the same message, so a run of small files costs the
// UI one View per run rather than one per event; a lone event still comes
// out once the linger is over, and a closed channel at once.
func TestListenEventsGathersARun(t *testing.T) {
	t.Parallel()
	ch := make(chan transfer.Event, 8)
	ch <- transfer.Event{Kind: transfer.JobFinished, Path: "a"}
	go func() {
		// Once the reader has taken a: b then arrives while it lingers.
		for len(ch) > 0 {
			runtime.Gosched()
		}
		ch <- transfer.Event{Kind: transfer.JobFinished, Path: "b"}
	}()
	msg := listenEvents(ch)().(transferEventsMsg)
	if len(msg.events) != 2 || msg.closed {
		t.Fatalf("first message: %d events (closed %v), want a and b together", len(msg.events), msg.closed)
	}
	ch <- transfer.Event{Kind: transfer.JobFinished, Path: "c"}
	start := time.Now()
	msg = listenEvents(ch)().(transferEventsMsg)
	if len(msg.events) != 1 || time.Since(start) < eventLinger {
		t.Fatalf("a lone event: %d events after %v", len(msg.events), time.Since(start))
	}
	close(ch)
	if msg := listenEvents(ch)().(transferEventsMsg); !msg.closed || len(msg.events) != 0 {
		t.Fatalf("closed channel: %+v", msg)
	}
}
