package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/ferry-tui/ferry/config"
	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/remote"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui"
)

// openTUI dials h (when not nil) and runs the dual-pane UI with the local
// working directory on the left and h on the right; with no h the right
// pane starts with the host picker. Every way of opening a host (an
// alias, user@host, the demo) ends here; only how h was made differs.
func openTUI(ctx context.Context, s *session, d *remote.Dialer, h *config.Host) int {
	hooks := &tuiHooks{s: s}
	opts := hooks.options()
	opts.Left = local.New()
	opts.LeftDir = cwd()
	var sess *remote.Session
	if h != nil {
		var err error
		sess, err = d.Dial(ctx, *h)
		if err != nil {
			hooks.closeAll()
			fmt.Fprintln(s.stderr, "ferry:", errText(err))
			return exitConnFail
		}
		opts.Right = sess.FS
		opts.RightDir = h.Path
	}
	// Only the UI reads the engine's events.
	engine := transfer.New(transfer.Options{})
	opts.Engine = engine
	p := tea.NewProgram(tui.New(opts), tea.WithContext(ctx))
	_, err := p.Run()
	// The process never outlives its UI: the engine stops its transfers
	// (closing connections that do not answer within 1 s), then the
	// sessions close; whatever still hangs after stopDeadline is left to
	// the exit.
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		engine.Close()
		if sess != nil {
			sess.Close()
		}
		hooks.closeAll()
	}()
	select {
	case <-stopped:
	case <-time.After(stopDeadline):
		fmt.Fprintf(s.stderr, "ferry: a server did not answer within %v of quitting; exiting anyway. Copies not finished are in .NAME.ferry-part files beside their targets; the targets are as they were.\n", stopDeadline)
	}
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		fmt.Fprintln(s.stderr, "ferry:", err)
		return exitFailed
	}
	return exitOK
}
