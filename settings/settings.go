package settings

import (
	"path/filepath"
	"time"

	"github.com/ferry-tui/ferry/transfer"
)

// Settings is what the settings file says, with defaults for what it does
// not say.
type Settings struct {
	// File is the file the settings were read from; "" when there was none.
	File string
	// Theme is "auto" (follow the terminal's background), "dark" or
	// "light".
	Theme string
	// Colors overrides colours of the semantic theme, by name (text,
	// muted, dir, accent, ...), each "#rrggbb", "#rgb" or an ANSI colour
	// number 0 to 255. The caller checks the names.
	Colors map[string]string
	// Keys is the key preset and the bindings that replace its own.
	Keys Keys
	// Workers is how many files move at once.
	Workers int
	// ShowHidden says whether panes show dot files at start.
	ShowHidden bool
	// Sort is the panes' sort order at start: "name", "size" or "time".
	Sort string
	// SortReverse reverses Sort.
	SortReverse bool
	// Confirm says which actions ask first.
	Confirm Confirm
	// StallTimeout is how long a file may move no bytes before it counts
	// as stalled; 0 never.
	StallTimeout time.Duration
	// Retries is how often a file is tried again after its connection
	// dropped or stalled; 0 never.
	Retries int
	// Ranges says whether large files may move as parallel byte ranges.
	Ranges bool
	// Limit is the bandwidth limit in bytes per second for all transfers
	// together; 0 means none.
	Limit int64
	// Fsync is when files are flushed to stable storage before they are
	// renamed into place: "auto", "always" or "never".
	Fsync string
	// Hosts are the per-host sections, in the order of the file.
	Hosts []Host

	// pos maps a dotted key ("keys.copy", "host.0.start_dir") to the line
	// it was written on.
	pos map[string]int
}

// Keys is the [keys] table: a preset and the actions it rebinds.
type Keys struct {
	// Preset is the key map the bindings start from: "mc" (the default)
	// or "vim".
	Preset string
	// Bind maps an action's name (copy, queue_pause, ...) to the keys
	// that replace its preset keys, in the order written.
	Bind map[string][]string
	// Order lists Bind's actions in the order of the file, so errors and
	// conflicts are reported in a stable order.
	Order []string
}

// Confirm is the [confirm] table: which actions ask before they act.
type Confirm struct {
	// Delete asks before deleting.
	Delete bool
	// Overwrite asks what to do with an existing file; false overwrites
	// (safely) without asking.
	Overwrite bool
	// Quit asks before quitting while transfers run.
	Quit bool
}

// Host is one [[host]] section: settings for the hosts its patterns match.
type Host struct {
	// Match is the OpenSSH-style pattern list as written: patterns with
	// * and ?, separated by spaces or commas, "!" negating.
	Match string
	// StartDir is the directory the host's pane opens in, when the
	// destination names none.
	StartDir string
	// SFTPServer, when not empty, is a command whose standard input and
	// output speak SFTP, run with an exec request instead of asking for
	// the sftp subsystem: "sudo -n /usr/lib/openssh/sftp-server".
	SFTPServer string
	// index is the section's position among [[host]] sections.
	index int
}

// Defaults returns the settings ferry uses without a settings file.
func Defaults() Settings {
	return Settings{
		Theme:        "auto",
		Keys:         Keys{Preset: "mc"},
		Workers:      transfer.DefaultWorkers,
		ShowHidden:   true,
		Sort:         "name",
		Confirm:      Confirm{Delete: true, Overwrite: true, Quit: true},
		StallTimeout: transfer.DefaultStallTimeout,
		Retries:      transfer.DefaultRetries,
		Ranges:       true,
		Fsync:        "auto",
	}
}

// Path returns where the settings file is: $XDG_CONFIG_HOME/ferry/config.toml
// when XDG_CONFIG_HOME is an absolute path, else
// home/.config/ferry/config.toml; "" when neither is known.
func Path(getenv func(string) string, home string) string {
	if d := getenv("XDG_CONFIG_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "ferry", "config.toml")
	}
	if home == "" {
		return ""
	}
	return filepath.Join(home, ".config", "ferry", "config.toml")
}

// Pos returns "file:line" for a dotted key of the file ("keys.copy",
// "colors.accent"), or just the file when the key was not written there.
func (s *Settings) Pos(key string) string {
	if l, ok := s.pos[key]; ok {
		return s.File + ":" + itoa(l)
	}
	return s.File
}

// Line returns the line a dotted key was written on, 0 when it was not.
func (s *Settings) Line(key string) int { return s.pos[key] }

// For returns the host settings for alias: for each setting, the first
// section whose patterns match alias and that sets it, as OpenSSH's Host
// sections do.
func (s *Settings) For(alias string) Host {
	var h Host
	for _, sec := range s.Hosts {
		if !MatchHost(alias, sec.Match) {
			continue
		}
		if h.StartDir == "" {
			h.StartDir = sec.StartDir
		}
		if h.SFTPServer == "" {
			h.SFTPServer = sec.SFTPServer
		}
	}
	h.Match = alias
	return h
}
