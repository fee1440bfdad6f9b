package main

import (
	"context"
	"errors"
	"fmt"

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
	defer hooks.closeAll()
	opts := hooks.options()
	opts.Left = local.New()
	opts.LeftDir = cwd()
	if h != nil {
		sess, err := d.Dial(ctx, *h)
		if err != nil {
			fmt.Fprintln(s.stderr, "ferry:", errText(err))
			return exitConnFail
		}
		defer sess.Close()
		opts.Right = sess.FS
		opts.RightDir = h.Path
	}
	// The engine closes after the program ends and before the sessions
	// (defers run last-in first-out); only the UI reads its events.
	engine := transfer.New(transfer.Options{})
	defer engine.Close()
	opts.Engine = engine
	p := tea.NewProgram(tui.New(opts), tea.WithContext(ctx))
	if _, err := p.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		fmt.Fprintln(s.stderr, "ferry:", err)
		return exitFailed
	}
	return exitOK
}
