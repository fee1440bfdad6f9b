package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	tea "charm.land/bubbletea/v2"
	"github.com/ferry-tui/ferry/config"
	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/remote"
	"github.com/ferry-tui/ferry/tui"
)

// openTUI dials h and runs the dual-pane UI with the local working
// directory on the left and h on the right. Every way of opening a host
// (an alias, user@host, the demo) ends here; only how h was made differs.
func openTUI(ctx context.Context, d *remote.Dialer, h config.Host, stderr io.Writer) int {
	sess, err := d.Dial(ctx, h)
	if err != nil {
		fmt.Fprintln(stderr, "ferry:", errText(err))
		return exitConnFail
	}
	defer sess.Close()
	m := tui.New(tui.Options{
		Left:     local.New(),
		Right:    sess.FS,
		RightDir: h.Path,
	})
	p := tea.NewProgram(m, tea.WithContext(ctx))
	if _, err := p.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		fmt.Fprintln(stderr, "ferry:", err)
		return exitFailed
	}
	return exitOK
}
