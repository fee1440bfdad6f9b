package tui

import (
	"context"
	"io"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/pane"
	"github.com/ferry-tui/ferry/tui/picker"
)

// Options configures a Model. Everything that needs the operating system
// (the local file system, the ssh config, dialing, editors, the transfer
// engine, the environment) comes in here, so the package itself never does.
// Every hook is optional: a nil hook disables its feature with a message.
type Options struct {
	// Left and Right are the file systems shown in the two panes. The left
	// pane has the focus at start. A nil Right opens the host picker for
	// the right pane at start; a nil Left leaves its pane empty. A file
	// system that implements ConnWatcher (here or from Connect) has its
	// connection shown while it is down, and its panes listed again when
	// it is back.
	Left, Right transfer.FS
	// LeftDir and RightDir are the directories the panes start in; empty
	// means the file system's Home.
	LeftDir, RightDir string
	// Local is the file system the host picker's "local" entry opens. Nil
	// leaves "local" out of the picker.
	Local transfer.FS
	// Now returns the current time; it decides whether modification times
	// show the clock or the year, and in which time zone, and times
	// double-clicks. Nil means time.Now. Tests inject a fixed clock.
	Now func() time.Time
	// NoColor draws without colours (attributes such as reverse video
	// only); cmd sets it when NO_COLOR is set. It wins over Theme.
	NoColor bool
	// KeyMap replaces the default key bindings (common.DefaultKeyMap);
	// nil keeps them. The help bar and every message that names a key
	// follow it.
	KeyMap *KeyMap
	// Theme replaces ferry's colours, whatever the terminal's background;
	// nil picks the default theme for a dark or a light background.
	Theme *Theme
	// ThemeFor, when set and Theme is nil, makes the theme for a dark or a
	// light terminal background: the default one with the settings
	// file's colours, say. It is called again when the terminal reports
	// its background.
	ThemeFor func(isDark bool) Theme
	// HideHidden starts both panes with dot files hidden (the hidden key
	// shows them).
	HideHidden bool
	// SortBy is both panes' order at start: "name" (the default), "size"
	// or "time"; SortReverse reverses it.
	SortBy      string
	SortReverse bool
	// NoQuitConfirm quits at once even while transfers run, cancelling
	// them, instead of asking first.
	NoQuitConfirm bool
	// NoDeleteConfirm deletes without asking (what a directory holds is
	// still counted first, for the progress dialog).
	NoDeleteConfirm bool
	// OverwriteWithoutAsking makes F5 and F6 replace existing files
	// (safely: temporary file, then rename) instead of asking.
	OverwriteWithoutAsking bool

	// Hosts lists the hosts the picker offers, typically the ssh config's
	// Host entries without wildcard patterns. It is called in a Cmd.
	Hosts func() ([]HostEntry, error)
	// Connect opens the host alias and returns its file system. It runs in
	// a Cmd; ctx is cancelled when the user gives up. It asks for
	// passwords, passphrases and host keys through ask, which blocks until
	// the user answers. An FS it returns that implements io.Closer is
	// closed when no pane shows it any more; the ones still shown when the
	// program ends are the caller's to close (wrap Connect to track them).
	Connect ConnectFunc
	// Engine runs copies and moves (F5, F6), feeds the transfer strip and
	// the queue view (w), and is asked before quitting. The model reads its
	// Events channel, which must have no other reader, and cancels its
	// jobs when the program quits; closing it is the caller's, after the
	// program has ended. Nil disables copying and moving with a message.
	Engine *transfer.Engine
	// Edit edits a file in the user's editor (F4).
	Edit EditFunc
	// Questions carries the questions asked at any time while the program
	// runs, outside a Connect: a reconnecting session's password, say.
	// The model reads it from Init on and shows each question in a dialog
	// over whatever is on screen. Nil: there are none.
	Questions *BackgroundAsker

	// MessageLog, when set, receives every message the status line shows,
	// one line each with its time, as it is shown (the log overlay, L,
	// keeps them for the run either way). It is written from Cmds, which
	// may run at the same time: it must be safe for concurrent use.
	// MessageLogName names it for the user.
	MessageLog     io.Writer
	MessageLogName string
	// Places keeps the bookmarks and the hosts opened lately across runs;
	// nil keeps them for this run only.
	Places PlaceStore
	// OpenedHost is the alias of the host the command line opened in the
	// right pane, if any: it is remembered as the most recent host.
	OpenedHost string
}

// startView applies the start settings of opts (hidden files, sort order)
// to a pane that has not listed anything yet.
func startView(p *pane.Model, opts *Options) {
	if opts.HideHidden && p.ShowHidden() {
		p.ToggleHidden()
	}
	switch opts.SortBy {
	case "size":
		p.CycleSort()
	case "time":
		p.CycleSort()
		p.CycleSort()
	}
	if opts.SortReverse {
		p.ReverseSort()
	}
}

// HostEntry is one host the picker offers: its Alias, HostName and User.
type HostEntry = picker.Host

// ConnectFunc opens the host alias and returns its file system, asking the
// user through ask when it needs a secret or a decision.
type ConnectFunc func(ctx context.Context, alias string, ask Asker) (transfer.FS, error)

// EditFunc edits path on fsys in the user's editor: typically download to
// a private temp file, tea.ExecProcess($VISUAL or $EDITOR), upload only if
// it changed. The Cmd it returns must end with an EditDoneMsg.
type EditFunc func(fsys transfer.FS, path string) tea.Cmd

// EditDoneMsg reports that an edit started by an EditFunc finished; the
// pane is listed again.
type EditDoneMsg struct {
	// Err is why it failed; nil on success or when nothing changed.
	Err error
	// Message, when not empty, is shown in the status line, e.g.
	// "unchanged, not uploaded".
	Message string
	// Question, when not empty, is asked in a yes-or-no dialog (its first
	// line is the title) before anything else happens, e.g. because the
	// file changed on its side during the edit. OnYes or OnNo runs with
	// the answer; each should end with another EditDoneMsg.
	Question    string
	OnYes, OnNo tea.Cmd
	// Then, when set, is run as a Cmd and nothing else happens: it lets an
	// ExecProcess callback, which runs on the event loop, hand slow work
	// (an upload) back to a Cmd of its own.
	Then tea.Cmd
}
