package common

import (
	"fmt"

	"charm.land/bubbles/v2/key"

	"github.com/ferry-tui/ferry/text"
)

// KeyMap holds every key binding of the file manager. The help bar is
// generated from it, so a binding's keys and its help text live in one
// place. Every function key has a letter twin.
type KeyMap struct {
	// Up moves the cursor one row up.
	Up key.Binding
	// Down moves the cursor one row down.
	Down key.Binding
	// Top moves the cursor to the first row.
	Top key.Binding
	// Bottom moves the cursor to the last row.
	Bottom key.Binding
	// PageUp moves the cursor one screen up.
	PageUp key.Binding
	// PageDown moves the cursor one screen down.
	PageDown key.Binding
	// Open enters the directory under the cursor.
	Open key.Binding
	// Parent goes to the parent directory.
	Parent key.Binding
	// SwitchPane moves the focus to the other pane.
	SwitchPane key.Binding

	// Select toggles the selection of the entry under the cursor and moves
	// down.
	Select key.Binding
	// InvertSelection selects what was not selected and the reverse.
	InvertSelection key.Binding
	// SelectAll selects every entry shown.
	SelectAll key.Binding
	// ClearSelection deselects everything (or clears a kept filter).
	ClearSelection key.Binding
	// StopReconnect stops the reconnect attempts of the hosts that are
	// reconnecting; while none is, the same key clears the selection.
	StopReconnect key.Binding

	// Copy copies the selection to the other pane.
	Copy key.Binding
	// Move moves the selection to the other pane.
	Move key.Binding
	// Rename renames the entry under the cursor.
	Rename key.Binding
	// Mkdir creates a directory.
	Mkdir key.Binding
	// Delete deletes the selection, after a confirmation.
	Delete key.Binding
	// View shows a file in the viewer.
	View key.Binding
	// Edit opens a file in $VISUAL or $EDITOR.
	Edit key.Binding
	// Sync makes the other pane's directory look like the focused one's.
	Sync key.Binding
	// Compare selects, in both panes, what the other lacks or has older.
	Compare key.Binding
	// Chmod changes permission bits.
	Chmod key.Binding

	// Filter starts a live filter.
	Filter key.Binding
	// FilterKeep closes the filter input, keeping the filter.
	FilterKeep key.Binding
	// FilterClear closes the filter input, clearing the filter.
	FilterClear key.Binding
	// FilterUp moves the cursor up while the filter is typed.
	FilterUp key.Binding
	// FilterDown moves the cursor down while the filter is typed.
	FilterDown key.Binding
	// FilterEdit takes a kept filter, offered again by Filter, into the
	// input for editing instead of replacing it.
	FilterEdit key.Binding
	// GoTo asks for a path to go to.
	GoTo key.Binding
	// Home goes to the file system's home directory.
	Home key.Binding
	// Hidden shows or hides dot files.
	Hidden key.Binding
	// Sort cycles the sort order: name, size, time.
	Sort key.Binding
	// Reverse reverses the sort order.
	Reverse key.Binding
	// Refresh lists the directory again.
	Refresh key.Binding
	// Hosts opens the host picker for the focused pane.
	Hosts key.Binding
	// Queue shows the transfer queue.
	Queue key.Binding
	// Help toggles the full help.
	Help key.Binding
	// Quit leaves ferry, asking first when transfers are running.
	Quit key.Binding
	// ForceQuit leaves ferry at once, from anywhere.
	ForceQuit key.Binding

	// Confirm answers yes in a confirmation dialog.
	Confirm key.Binding
	// Deny answers no in a confirmation dialog.
	Deny key.Binding
	// Submit accepts a text input.
	Submit key.Binding
	// Cancel closes a dialog, a viewer or an input without acting.
	Cancel key.Binding
	// Complete completes a directory name in the go-to input.
	Complete key.Binding
	// CloseViewer leaves the file viewer.
	CloseViewer key.Binding
	// ScrollLeft and ScrollRight scroll the viewer sideways.
	ScrollLeft key.Binding
	// ScrollRight scrolls the viewer to the right.
	ScrollRight key.Binding

	// QueueCancel cancels the job under the cursor in the queue view.
	QueueCancel key.Binding
	// QueueCancelAll cancels every job in the queue view.
	QueueCancelAll key.Binding
	// QueueRetry retries the failed or cancelled job under the cursor.
	QueueRetry key.Binding
	// QueueRetryAll retries every failed job.
	QueueRetryAll key.Binding
	// QueuePause pauses the queue, or resumes it.
	QueuePause key.Binding
	// QueueMoreWorkers lets one more job run at once.
	QueueMoreWorkers key.Binding
	// QueueFewerWorkers lets one job less run at once.
	QueueFewerWorkers key.Binding
	// QueueClear takes the finished jobs (done, failed, cancelled,
	// skipped) out of the queue view, leaving the active ones.
	QueueClear key.Binding
	// QueueClose leaves the queue view.
	QueueClose key.Binding
	// QueueSlower lowers the bandwidth limit one step, or sets one below
	// the current speed when there is none.
	QueueSlower key.Binding
	// QueueFaster raises the bandwidth limit one step, past the top step
	// to none.
	QueueFaster key.Binding

	// ConflictOverwrite replaces the existing file.
	ConflictOverwrite key.Binding
	// ConflictOverwriteAll replaces it and every other existing file of
	// the same copy.
	ConflictOverwriteAll key.Binding
	// ConflictSkip leaves the existing file alone.
	ConflictSkip key.Binding
	// ConflictSkipAll skips it and every other existing file of the copy.
	ConflictSkipAll key.Binding
	// ConflictResume continues an interrupted copy of the file.
	ConflictResume key.Binding
	// ConflictResumeAll resumes it and every other conflict of the copy.
	ConflictResumeAll key.Binding
	// ConflictRename keeps both files, giving the copy a free name.
	ConflictRename key.Binding
	// ConflictRenameAll keeps both for every conflict of the copy.
	ConflictRenameAll key.Binding
	// ConflictNewer overwrites the file only if the source is newer.
	ConflictNewer key.Binding
	// ConflictNewerAll does so for every conflict of the copy.
	ConflictNewerAll key.Binding
	// ConflictForAll toggles whether the next choice applies to every
	// conflict of the copy.
	ConflictForAll key.Binding

	// Back goes to the directory the focused pane showed before.
	Back key.Binding
	// Forward goes again to the directory Back left.
	Forward key.Binding
	// Find searches the focused pane's directory tree for names.
	Find key.Binding
	// Bookmarks lists the bookmarks, to jump to, rename or delete one.
	Bookmarks key.Binding
	// AddBookmark bookmarks the focused pane's directory.
	AddBookmark key.Binding
	// Log shows every message of this run, with its time.
	Log key.Binding
	// ChmodRecursive changes permission bits of the targets and of
	// everything below them.
	ChmodRecursive key.Binding
	// Chown changes the owner and group of the targets.
	Chown key.Binding
	// ChownRecursive changes the owner and group of the targets and of
	// everything below them.
	ChownRecursive key.Binding
	// Symlink makes a symbolic link to the entry under the cursor.
	Symlink key.Binding
	// NewFile creates an empty file.
	NewFile key.Binding
	// DirSizes adds up the sizes of the selected directories, or of the
	// one under the cursor, in the background.
	DirSizes key.Binding
}

// DefaultKeyMap returns ferry's default key bindings.
func DefaultKeyMap() KeyMap {
	b := func(keys []string, helpKey, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(helpKey, desc))
	}
	k := func(keys ...string) []string { return keys }
	return KeyMap{
		Up:         b(k("up", "k"), "↑/k", "up"),
		Down:       b(k("down", "j"), "↓/j", "down"),
		Top:        b(k("home", "g"), "g/home", "top"),
		Bottom:     b(k("end", "G"), "G/end", "bottom"),
		PageUp:     b(k("pgup", "ctrl+u"), "pgup/^u", "page up"),
		PageDown:   b(k("pgdown", "ctrl+d"), "pgdn/^d", "page down"),
		Open:       b(k("enter", "l", "right"), "enter/l", "open"),
		Parent:     b(k("backspace", "h", "left"), "bksp/h", "parent"),
		SwitchPane: b(k("tab", "shift+tab"), "tab", "other pane"),

		Select:          b(k("space", "insert"), "space/ins", "select"),
		InvertSelection: b(k("*"), "*", "invert"),
		SelectAll:       b(k("ctrl+a"), "^a", "select all"),
		ClearSelection:  b(k("esc"), "esc", "unselect"),
		StopReconnect:   b(k("esc"), "esc", "stop reconnecting"),

		Copy:   b(k("f5", "c"), "F5/c", "copy"),
		Move:   b(k("f6", "m"), "F6/m", "move"),
		Rename: b(k("f2", "r"), "F2/r", "rename"),
		Mkdir:  b(k("f7", "n"), "F7/n", "mkdir"),
		Delete: b(k("f8", "d", "delete"), "F8/d", "delete"),
		View:   b(k("f3", "v"), "F3/v", "view"),
		Edit:   b(k("f4", "e"), "F4/e", "edit"),
		Chmod:  b(k("p"), "p", "chmod"),

		Compare: b(k("="), "=", "compare dirs"),
		Sync:    b(k("Y"), "Y", "sync →"),

		Filter:    b(k("/"), "/", "filter"),
		GoTo:      b(k(":"), ":", "go to"),
		Home:      b(k("~"), "~", "home"),
		Hidden:    b(k("."), ".", "hidden"),
		Sort:      b(k("s"), "s", "sort"),
		Reverse:   b(k("S"), "S", "reverse"),
		Refresh:   b(k("ctrl+r"), "^r", "refresh"),
		Hosts:     b(k("o"), "o", "host"),
		Queue:     b(k("w"), "w", "queue"),
		Help:      b(k("?", "f1"), "?/F1", "help"),
		Quit:      b(k("q", "f10"), "q/F10", "quit"),
		ForceQuit: b(k("ctrl+c"), "^c", "force quit"),

		Confirm:     b(k("y", "Y", "enter"), "y/enter", "yes"),
		Deny:        b(k("n", "N", "esc"), "n/esc", "no"),
		Submit:      b(k("enter"), "enter", "ok"),
		Cancel:      b(k("esc"), "esc", "cancel"),
		Complete:    b(k("tab"), "tab", "complete"),
		CloseViewer: b(k("q", "esc", "f3", "v", "f10"), "q/esc", "close"),
		ScrollLeft:  b(k("left", "h"), "←/h", "left"),
		ScrollRight: b(k("right", "l"), "→/l", "right"),

		FilterKeep:  b(k("enter"), "enter", "keep"),
		FilterClear: b(k("esc"), "esc", "clear"),
		FilterUp:    b(k("up"), "↑", "up"),
		FilterDown:  b(k("down"), "↓", "down"),
		FilterEdit:  b(k("right", "end", "ctrl+e"), "→", "edit"),

		QueueCancel:       b(k("x"), "x", "cancel"),
		QueueCancelAll:    b(k("X"), "X", "cancel all"),
		QueueRetry:        b(k("r"), "r", "retry"),
		QueueRetryAll:     b(k("R"), "R", "retry failed"),
		QueuePause:        b(k("p"), "p", "pause/resume"),
		QueueMoreWorkers:  b(k("+", "="), "+", "more workers"),
		QueueFewerWorkers: b(k("-"), "-", "fewer workers"),
		QueueClear:        b(k("C"), "C", "clear finished"),
		QueueClose:        b(k("w", "esc", "q"), "w/esc", "back"),
		QueueSlower:       b(k("["), "[", "slower"),
		QueueFaster:       b(k("]"), "]", "faster"),

		ConflictOverwrite:    conflictKey("overwrite", false),
		ConflictOverwriteAll: conflictKey("overwrite", true),
		ConflictSkip:         conflictKey("skip", false),
		ConflictSkipAll:      conflictKey("skip", true),
		ConflictResume:       conflictKey("resume", false),
		ConflictResumeAll:    conflictKey("resume", true),
		ConflictRename:       conflictKey("rename", false),
		ConflictRenameAll:    conflictKey("rename", true),
		ConflictNewer:        conflictKey("newer", false),
		ConflictNewerAll:     conflictKey("newer", true),
		ConflictForAll:       b(k("a"), "a", "for all"),

		Back:           b(k("alt+left", "alt+y"), "M-←/M-y", "back"),
		Forward:        b(k("alt+right", "alt+u"), "M-→/M-u", "forward"),
		Find:           b(k("ctrl+f", "alt+?"), "^f/M-?", "find"),
		Bookmarks:      b(k("b", "ctrl+\\"), "b", "bookmarks"),
		AddBookmark:    b(k("B"), "B", "bookmark here"),
		Log:            b(k("L"), "L", "messages"),
		ChmodRecursive: b(k("P"), "P", "chmod -R"),
		Chown:          b(k("O"), "O", "chown"),
		ChownRecursive: b(k("alt+o"), "M-o", "chown -R"),
		Symlink:        b(k("K"), "K", "symlink"),
		NewFile:        b(k("t"), "t", "new file"),
		DirSizes:       b(k("ctrl+space", "u"), "^space/u", "dir sizes"),
	}
}

// VimKeyMap returns the vim preset: the default bindings with vim's habits
// where they differ. y yanks (copies) to the other pane, D deletes (d is
// free, as a lone d deletes nothing in vim), - goes to the parent
// directory (as vim-vinegar), ctrl+b and ctrl+f page, ctrl+w switches
// pane and ctrl+l lists again; find is alt+? alone. The function keys
// stay.
func VimKeyMap() KeyMap {
	k := DefaultKeyMap()
	rebind := func(b *key.Binding, help string, keys ...string) {
		*b = key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, b.Help().Desc))
	}
	rebind(&k.Copy, "F5/y", "f5", "y")
	rebind(&k.Delete, "F8/D", "f8", "D", "delete")
	rebind(&k.Parent, "-/h", "-", "backspace", "h", "left")
	rebind(&k.PageUp, "^b/^u", "ctrl+b", "pgup", "ctrl+u")
	rebind(&k.PageDown, "^f/^d", "ctrl+f", "pgdown", "ctrl+d")
	rebind(&k.SwitchPane, "tab/^w", "tab", "shift+tab", "ctrl+w")
	rebind(&k.Refresh, "^l/^r", "ctrl+l", "ctrl+r")
	rebind(&k.Find, "M-?", "alt+?") // ctrl+f pages
	return k
}

// PresetKeyMap returns the key map of a preset by name: "mc" (the
// default) or "vim".
func PresetKeyMap(name string) (KeyMap, error) {
	switch name {
	case "", "mc":
		return DefaultKeyMap(), nil
	case "vim":
		return VimKeyMap(), nil
	}
	return KeyMap{}, fmt.Errorf("unknown key preset %q: want mc or vim", name)
}

// conflictKey is the binding of text.Choices' answer for policy: its Key
// (and esc, for skip) or, with all, its AllKey. The UI and the headless
// commands' prompt so share one table of conflict keys.
func conflictKey(policy string, all bool) key.Binding {
	for _, c := range text.Choices() {
		switch {
		case c.Policy != policy:
		case all:
			return key.NewBinding(key.WithKeys(c.AllKey), key.WithHelp(c.AllKey, c.AllLabel))
		case policy == "skip":
			return key.NewBinding(key.WithKeys(c.Key, "esc"), key.WithHelp(c.Key+"/esc", c.Label))
		default:
			return key.NewBinding(key.WithKeys(c.Key), key.WithHelp(c.Key, c.Label))
		}
	}
	return key.NewBinding(key.WithDisabled())
}
