package main

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/ferry-tui/ferry/remote"
	"github.com/ferry-tui/ferry/tui"
)

// namedPrompter answers every secret with its name.
type namedPrompter struct {
	remote.NoPrompter
	name string
}

func (p namedPrompter) Secret(context.Context, string) (string, error) { return p.name, nil }

// TestUIGateHandsQuestionsToTheUI: before toUI, questions go to the
// terminal's Prompter and output to stderr; after, to the UI's Prompter
// and the debug log. Switching while a reconnect asks is race-free.
func TestUIGateHandsQuestionsToTheUI(t *testing.T) {
	t.Parallel()
	var stderr, log bytes.Buffer
	g := &uiGate{stderr: &stderr, log: &log}
	g.set(namedPrompter{name: "terminal"})
	if s, _ := g.Secret(context.Background(), "p"); s != "terminal" {
		t.Fatalf("before the UI: %q", s)
	}
	g.Write([]byte("proxy says hi\n"))

	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // a reconnect asking while the UI starts
		defer wg.Done()
		for range 100 {
			if s, err := g.Secret(context.Background(), "p"); err != nil || (s != "terminal" && s != "ui") {
				t.Errorf("Secret = %q, %v", s, err)
			}
		}
	}()
	g.toUI(namedPrompter{name: "ui"})
	wg.Wait()
	if s, _ := g.Secret(context.Background(), "p"); s != "ui" {
		t.Fatalf("after the UI started: %q", s)
	}
	g.Write([]byte("proxy says bye\n"))
	if stderr.String() != "proxy says hi\n" || log.String() != "proxy says bye\n" {
		t.Errorf("stderr %q, log %q", stderr.String(), log.String())
	}
}

// TestReconnectPrompterAsksTheUI: the Prompter a session switches to once
// the UI runs asks through the UI's background questions; once they are
// closed (the UI ended), it is refused at once.
func TestReconnectPrompterAsksTheUI(t *testing.T) {
	t.Parallel()
	h := &tuiHooks{s: &session{app: &app{getenv: func(string) string { return "" }}}}
	opts := h.options()
	if opts.Questions == nil || opts.Questions != h.questions {
		t.Fatal("options does not pass the background questions to the UI")
	}
	p := h.reconnectPrompter("web1")
	h.questions.Close()
	if _, err := p.Secret(context.Background(), "web1's password: "); !errors.Is(err, tui.ErrCancelled) {
		t.Errorf("Secret after the UI ended: %v", err)
	}
	if _, err := (&tuiHooks{}).reconnectPrompter("web1").Secret(context.Background(), "p"); !errors.Is(err, remote.ErrNoPrompt) {
		t.Errorf("without background questions: %v", err)
	}
}

func TestConnStateSaysStopped(t *testing.T) {
	t.Parallel()
	ev := remote.ConnEvent{Status: remote.ConnFailed, Host: "web1", Attempt: 2, MaxAttempts: 6,
		Err: &remote.ReconnectError{Host: "web1", Attempts: 2, Err: remote.ErrReconnectStopped}}
	want := tui.ConnState{Status: tui.ConnFailed, Host: "web1", Attempt: 2, MaxAttempts: 6, Err: remote.ErrReconnectStopped, Stopped: true}
	if got := connState(ev); got != want {
		t.Errorf("connState = %+v, want %+v", got, want)
	}
}
