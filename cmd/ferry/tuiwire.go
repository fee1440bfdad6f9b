package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/ferry-tui/ferry/config"
	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/places"
	"github.com/ferry-tui/ferry/remote"
	"github.com/ferry-tui/ferry/remote/knownhosts"
	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui"
)

// tuiHooks connects the UI's hooks to config and remote, and keeps every
// session the UI opened so they can be closed when it ends.
type tuiHooks struct {
	s *session
	// questions carries the questions of reconnects to the UI's dialogs;
	// options makes it. The caller closes it once the UI has ended.
	questions *tui.BackgroundAsker
	// engine is the UI's transfer engine; edits upload through it. The
	// caller sets it before the UI runs.
	engine *transfer.Engine
	// journal, when set, journals the engine's batches; connect tells it
	// how each host it opens was reached.
	journal *uiJournal

	mu       sync.Mutex
	sessions []*remote.Session
	// messages is the messages log options opened; closeAll closes it.
	messages io.Closer
}

// options fills the UI's hooks; the caller sets the panes. The bookmarks,
// the recent hosts and the messages log live in the state directory; a
// messages log that cannot be opened is a warning on stderr, before the
// UI takes the terminal.
func (w *tuiHooks) options() tui.Options {
	w.questions = tui.NewBackgroundAsker()
	opts := tui.Options{
		Local:     local.New(),
		NoColor:   w.s.getenv("NO_COLOR") != "",
		Hosts:     w.hosts,
		Connect:   w.connect,
		Edit:      w.edit,
		Questions: w.questions,
	}
	if dir := w.s.stateDir(); dir != "" {
		opts.Places = places.NewStore(dir)
		lw, name, err := places.OpenLog(dir)
		if err != nil {
			fmt.Fprintln(w.s.stderr, "ferry: warning:", text.Sanitize(err.Error()))
		} else {
			opts.MessageLog, opts.MessageLogName, w.messages = lw, name, lw
		}
	}
	return opts
}

// reconnectPrompter is where a session's questions go once the UI runs:
// the UI's dialogs, titled with host, whenever they come.
func (w *tuiHooks) reconnectPrompter(host string) remote.Prompter {
	if w.questions == nil {
		return remote.NoPrompter{}
	}
	return askerPrompter{w.questions.Reconnecting(host)}
}

// hosts lists the aliases of the user's ssh config for the picker.
func (w *tuiHooks) hosts() ([]tui.HostEntry, error) {
	o := w.s.configOptions()
	o.SSHPath = "" // listing must not run ssh once per alias
	entries, err := config.ListHosts(o)
	if err != nil {
		return nil, err
	}
	out := make([]tui.HostEntry, len(entries))
	for i, e := range entries {
		out[i] = tui.HostEntry{Alias: e.Alias, HostName: e.HostName, User: e.User}
	}
	return out, nil
}

// connect resolves and dials alias, asking questions through the UI's
// dialogs. The returned file system closes its session when the UI lets
// go of it.
func (w *tuiHooks) connect(ctx context.Context, alias string, ask tui.Asker) (transfer.FS, error) {
	h, err := w.s.resolve(alias)
	if err != nil {
		return nil, err
	}
	// Questions go to the UI's dialogs (the terminal belongs to the UI),
	// and a ProxyCommand's stderr to the debug log, not onto the screen.
	// The connecting screen's dialogs end with this attempt; the
	// session's reconnects ask through the dialogs the UI opens at any
	// time.
	p := &promptSwitch{}
	p.set(askerPrompter{ask})
	d := w.s.hostDialer(w.s.dialerWith(p, knownhosts.New(p), w.s.log), h)
	sess, err := d.Dial(ctx, h)
	if err != nil {
		return nil, err
	}
	p.set(w.reconnectPrompter(h.Alias))
	w.mu.Lock()
	w.sessions = append(w.sessions, sess)
	w.mu.Unlock()
	fsys := &sessionFS{liveFS: liveFS{sess.FS}, sess: sess, startDir: w.s.startDir(h)}
	if w.journal != nil {
		w.journal.remember(fsys, h)
	}
	return fsys, nil
}

// closeAll closes every session the UI opened (closing twice is harmless).
func (w *tuiHooks) closeAll() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, s := range w.sessions {
		s.Close()
	}
	w.sessions = nil
	if w.messages != nil {
		w.messages.Close()
		w.messages = nil
	}
}

// liveFS is a remote file system that tells the UI about its connection:
// while it is down, and when it is back.
type liveFS struct{ *remote.FS }

var (
	_ tui.ConnWatcher      = (*liveFS)(nil)
	_ tui.ReconnectStopper = (*liveFS)(nil) // Esc: remote.FS.StopReconnect
	_ transfer.Reconnector = (*liveFS)(nil)
	_ tui.ConnWatcher      = (*sessionFS)(nil)
	_ tui.ReconnectStopper = (*sessionFS)(nil)
	_ transfer.Reconnector = (*sessionFS)(nil)
)

// WatchConn returns the connection's state changes in the UI's terms.
func (f *liveFS) WatchConn() (<-chan tui.ConnState, func()) { return watchConn(f.FS) }

// watchConn forwards f's connection events to a channel of tui.ConnState
// until the returned function is called or f's session closes; either
// closes the channel.
func watchConn(f *remote.FS) (<-chan tui.ConnState, func()) {
	in, stopIn := f.Watch()
	out := make(chan tui.ConnState, 4)
	done := make(chan struct{})
	go func() {
		defer close(out)
		for ev := range in {
			select {
			case out <- connState(ev):
			case <-done:
				return
			}
		}
	}()
	var once sync.Once
	return out, func() {
		once.Do(func() {
			close(done)
			stopIn()
		})
	}
}

// connState turns a session's event into the UI's. When the session gave
// up, Err is the last attempt's error and Attempt how many were made;
// Stopped says the user stopped them.
func connState(ev remote.ConnEvent) tui.ConnState {
	st := tui.ConnState{Host: ev.Host, Attempt: ev.Attempt, MaxAttempts: ev.MaxAttempts, At: ev.At, Err: ev.Err}
	switch ev.Status {
	case remote.ConnUp:
		st.Status = tui.ConnUp
	case remote.ConnLost:
		st.Status = tui.ConnLost
	case remote.ConnReconnecting:
		st.Status = tui.ConnReconnecting
	case remote.ConnFailed:
		st.Status = tui.ConnFailed
		var re *remote.ReconnectError
		if errors.As(ev.Err, &re) && re.Err != nil {
			st.Err, st.Attempt = re.Err, re.Attempts
		}
		st.Stopped = errors.Is(ev.Err, remote.ErrReconnectStopped)
	case remote.ConnBack:
		st.Status = tui.ConnBack
	case remote.ConnClosed:
		st.Status = tui.ConnClosed
	}
	return st
}

// sessionFS is a remote file system that owns its session: the UI closes
// it when no pane shows it any more.
type sessionFS struct {
	liveFS
	sess *remote.Session
	once sync.Once
	// startDir is the path the destination named (host:path); relative
	// to the login directory, "" for none.
	startDir string
}

var _ tui.StartDirer = (*sessionFS)(nil)

// StartDir returns the directory the destination named, where the UI's
// pane starts.
func (f *sessionFS) StartDir() string { return f.startDir }

// Close closes the session once.
func (f *sessionFS) Close() error {
	var err error
	f.once.Do(func() { err = f.sess.Close() })
	return err
}

// promptSwitch is the Prompter of a session that outlives the moment it
// was dialled. It passes each question to the Prompter set last: the one
// that dialled (the terminal, the picker's connecting screen) until the
// session is up, then the UI's dialogs for its reconnects. The reconnect
// goroutine asks while the UI's goroutine switches, hence the lock, which
// is never held while a question waits.
type promptSwitch struct {
	mu sync.Mutex
	p  remote.Prompter
}

var _ remote.Prompter = (*promptSwitch)(nil)

// set makes p answer the questions from now on.
func (s *promptSwitch) set(p remote.Prompter) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.p = p
}

// current returns the Prompter set last.
func (s *promptSwitch) current() remote.Prompter {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.p
}

func (s *promptSwitch) Secret(ctx context.Context, prompt string) (string, error) {
	return s.current().Secret(ctx, prompt)
}

func (s *promptSwitch) KeyboardInteractive(ctx context.Context, name, instruction string, qs []remote.Challenge) ([]string, error) {
	return s.current().KeyboardInteractive(ctx, name, instruction, qs)
}

func (s *promptSwitch) ConfirmHostKey(ctx context.Context, q remote.HostKeyQuestion) (bool, error) {
	return s.current().ConfirmHostKey(ctx, q)
}

func (s *promptSwitch) Warn(msg string) { s.current().Warn(msg) }

// askerPrompter asks remote's questions through the UI's dialogs.
type askerPrompter struct{ ask tui.Asker }

func (p askerPrompter) Secret(ctx context.Context, prompt string) (string, error) {
	return p.ask.AskSecret(ctx, prompt)
}

func (p askerPrompter) KeyboardInteractive(ctx context.Context, name, instruction string, qs []remote.Challenge) ([]string, error) {
	header := ""
	for _, s := range []string{name, instruction} {
		if s != "" {
			header += s + "\n"
		}
	}
	answers := make([]string, 0, len(qs))
	for _, q := range qs {
		a, err := p.ask.AskText(ctx, header+q.Prompt, q.Echo)
		if err != nil {
			return nil, err
		}
		answers = append(answers, a)
	}
	return answers, nil
}

func (p askerPrompter) ConfirmHostKey(ctx context.Context, q remote.HostKeyQuestion) (bool, error) {
	return p.ask.AskHostKey(ctx, q.Host, q.KeyType, q.Fingerprint)
}

func (p askerPrompter) Warn(msg string) { p.ask.Warn(msg) }

// cwd is the working directory for the left pane ("" lets the UI ask).
func cwd() string {
	d, err := os.Getwd()
	if err != nil {
		return ""
	}
	return filepath.Clean(d)
}
