package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/ferry-tui/ferry/config"
	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/remote"
	"github.com/ferry-tui/ferry/remote/knownhosts"
	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui"
)

// openTUI dials h (when not nil) and runs the dual-pane UI with the local
// working directory on the left and h on the right; with no h the right
// pane starts with the host picker. Every way of opening a host (an
// alias, user@host, the demo) ends here; only how h was made differs.
func openTUI(ctx context.Context, s *session, d *remote.Dialer, h *config.Host, demo bool) int {
	prefs, err := uiPrefsFrom(&s.cfg)
	if err != nil {
		fmt.Fprintln(s.stderr, "ferry:", err)
		return exitFailed
	}
	hooks := &tuiHooks{s: s}
	opts := hooks.options()
	opts.KeyMap = &prefs.keys
	opts.ThemeFor = prefs.themeFor
	opts.HideHidden, opts.SortBy, opts.SortReverse = !s.cfg.ShowHidden, s.cfg.Sort, s.cfg.SortReverse
	opts.NoQuitConfirm = !s.cfg.Confirm.Quit
	opts.NoDeleteConfirm = !s.cfg.Confirm.Delete
	opts.OverwriteWithoutAsking = !s.cfg.Confirm.Overwrite
	opts.Left = local.New()
	opts.LeftDir = cwd()
	var sess *remote.Session
	gate := &uiGate{stderr: s.stderr, log: s.log}
	gate.set(remote.NoPrompter{})
	if h != nil {
		// The session dials again by itself when its connection drops,
		// while the UI owns the terminal: from then on its questions
		// open the UI's dialogs and a ProxyCommand's stderr goes to the
		// debug log.
		gd := *d
		if !demo {
			gd = *s.hostDialer(d, *h)
		}
		if gd.Prompter != nil {
			gate.set(gd.Prompter)
		}
		gd.Prompter, gd.KnownHosts, gd.Stderr = gate, knownhosts.New(gate), gate
		sess, err = gd.Dial(ctx, *h)
		if err != nil {
			hooks.closeAll()
			fmt.Fprintln(s.stderr, "ferry:", errText(err))
			return exitConnFail
		}
		opts.Right = &liveFS{sess.FS}
		opts.RightDir = h.Path
		if !demo {
			opts.RightDir = s.startDir(*h)
		}
	}
	// Every batch is journalled (but the demo's, which cannot be reached
	// again), and those an earlier run left unfinished are offered.
	uj := newUIJournal(s, nil)
	if !demo {
		uj.js = s.openJournal()
	}
	hooks.journal = uj
	if h != nil && !demo {
		uj.remember(opts.Right, *h)
		opts.OpenedHost = h.Alias // the picker lists it first next time
	}
	// Only the UI reads the engine's events; edits upload through it too.
	eo := engineOptions(&s.cfg, s.limit)
	eo.OnSubmit = uj.onSubmit
	engine := transfer.New(eo)
	opts.Engine = engine
	hooks.engine = engine
	p := tea.NewProgram(tui.New(opts), tea.WithContext(ctx))
	if h != nil {
		gate.toUI(hooks.reconnectPrompter(h.Alias))
	}
	offerCtx, endOffer := context.WithCancel(ctx)
	go uj.offer(offerCtx, hooks.questions.Asker(), hooks, engine)
	_, err = p.Run()
	endOffer()
	// A reconnect's question can no longer be answered.
	hooks.questions.Close()
	// The process never outlives its UI: what is unfinished stays in the
	// journal for the next run, the engine stops its transfers (closing
	// connections that do not answer within 1 s), then the sessions close;
	// whatever still hangs after stopDeadline is left to the exit.
	stopped := make(chan struct{})
	var queued atomic.Int64
	go func() {
		defer close(stopped)
		queued.Store(int64(uj.stop()))
		engine.Close()
		if sess != nil {
			sess.Close()
		}
		hooks.closeAll()
	}()
	select {
	case <-stopped:
		quitSummary(s.stderr, engine, opts.Left, opts.Right)
	case <-time.After(stopDeadline):
		fmt.Fprintf(s.stderr, "ferry: a server did not answer within %v of quitting; exiting anyway.\n", stopDeadline)
		quitSummary(s.stderr, engine, opts.Left, opts.Right)
	}
	if n := queued.Load(); n > 0 {
		fmt.Fprintf(s.stderr, "ferry: %s in the queue: ferry queue resume continues them, and the next ferry offers them.\n", text.Plural(int(n), "unfinished transfer"))
	}
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		fmt.Fprintln(s.stderr, "ferry:", err)
		return exitFailed
	}
	return exitOK
}

// uiGate stands between a session dialled before the UI started and the
// terminal. Until toUI it passes questions to the Prompter set (the
// terminal's) and writes to stderr; once the UI owns the terminal, a
// reconnect's questions (a password, a one-time code, an unknown host key)
// go to the Prompter toUI was given, the UI's dialogs, and what would have
// gone to the terminal goes to the debug log.
type uiGate struct {
	promptSwitch
	stderr io.Writer
	log    io.Writer // nil discards
	ui     atomic.Bool
}

var _ remote.Prompter = (*uiGate)(nil)

// toUI hands the session's questions to p and its output to the debug
// log.
func (g *uiGate) toUI(p remote.Prompter) {
	g.set(p)
	g.ui.Store(true)
}

// Write sends p to stderr before the UI starts, to the debug log after.
func (g *uiGate) Write(p []byte) (int, error) {
	if !g.ui.Load() {
		return g.stderr.Write(p)
	}
	if g.log != nil {
		g.log.Write(p)
	}
	return len(p), nil
}
