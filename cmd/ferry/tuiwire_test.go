package main

import (
	"errors"
	"os"
	"path/filepath"
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

func TestOptionsKeepPlacesAndMessagesInTheStateDir(t *testing.T) {
	t.Parallel()
	a, _, errb := testApp(t)
	state := t.TempDir()
	a.getenv = func(k string) string {
		if k == "XDG_STATE_HOME" {
			return state
		}
		return ""
	}
	h := &tuiHooks{s: &session{app: a}}
	opts := h.options()
	if opts.Places == nil || opts.MessageLog == nil || errb.Len() != 0 {
		t.Fatalf("places %v, log %v, stderr %q", opts.Places, opts.MessageLog, errb.String())
	}
	want := filepath.Join(state, "ferry", "messages.log")
	if opts.MessageLogName != want {
		t.Fatalf("log named %q, want %q", opts.MessageLogName, want)
	}
	if _, err := opts.MessageLog.Write([]byte("x\n")); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(want); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("log %v %v", fi, err)
	}
	h.closeAll()
	if _, err := opts.MessageLog.Write([]byte("y\n")); err == nil {
		t.Fatal("the log is still open after closeAll")
	}
}
