package main

import (
	"errors"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/remote"
	"github.com/ferry-tui/ferry/tui"
)

func TestConnStateFromSessionEvents(t *testing.T) {
	t.Parallel()
	at := time.Date(2025, 6, 15, 12, 0, 4, 0, time.UTC)
	refused := errors.New("connection refused")
	for _, tt := range []struct {
		ev   remote.ConnEvent
		want tui.ConnState
	}{
		{remote.ConnEvent{Status: remote.ConnUp, Host: "web1"}, tui.ConnState{Status: tui.ConnUp, Host: "web1"}},
		{remote.ConnEvent{Status: remote.ConnLost, Host: "web1", Err: refused}, tui.ConnState{Status: tui.ConnLost, Host: "web1", Err: refused}},
		{remote.ConnEvent{Status: remote.ConnReconnecting, Host: "web1", Attempt: 3, MaxAttempts: 6, Wait: 4 * time.Second, At: at, Err: refused},
			tui.ConnState{Status: tui.ConnReconnecting, Host: "web1", Attempt: 3, MaxAttempts: 6, At: at, Err: refused}},
		// The UI says "gave up after N attempts: cause" itself.
		{remote.ConnEvent{Status: remote.ConnFailed, Host: "web1", Attempt: 6, MaxAttempts: 6, Err: &remote.ReconnectError{Host: "web1", Attempts: 6, Err: refused}},
			tui.ConnState{Status: tui.ConnFailed, Host: "web1", Attempt: 6, MaxAttempts: 6, Err: refused}},
		{remote.ConnEvent{Status: remote.ConnBack, Host: "web1"}, tui.ConnState{Status: tui.ConnBack, Host: "web1"}},
		{remote.ConnEvent{Status: remote.ConnClosed, Host: "web1"}, tui.ConnState{Status: tui.ConnClosed, Host: "web1"}},
	} {
		if got := connState(tt.ev); got != tt.want {
			t.Errorf("connState(%v) = %+v, want %+v", tt.ev, got, tt.want)
		}
	}
}
