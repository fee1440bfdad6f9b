package settings

import (
	"fmt"
	"strconv"
	"strings"
)

// Binding is one action's name and its keys in the default preset, for
// the commented default file.
type Binding struct {
	// Action is the name a [keys] entry uses: "copy", "queue_pause".
	Action string
	// Keys are the action's keys in the mc preset.
	Keys []string
}

// DefaultFile returns a settings file that sets every setting to its
// default, each commented out and explained: what "ferry config defaults"
// prints. bindings lists every action with its default keys.
func DefaultFile(bindings []Binding) string {
	d := Defaults()
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	w("# ferry settings: $XDG_CONFIG_HOME/ferry/config.toml (default ~/.config/ferry/config.toml).")
	w("# Every setting is optional; the values below are the defaults. Uncomment to change.")
	w("# A mistake anywhere (an unknown key too) stops ferry with the file and line.")
	w("")
	w("# Colours: auto follows the terminal's background; dark or light forces one.")
	w("# theme = %q", d.Theme)
	w("")
	w("# How many files move at once (1 to %d).", maxWorkers)
	w("# workers = %d", d.Workers)
	w("")
	w("# Panes at start: show dot files; sort by name, size or time.")
	w("# show_hidden = %t", d.ShowHidden)
	w("# sort = %q", d.Sort)
	w("# sort_reverse = %t", d.SortReverse)
	w("")
	w("# A file that moves no bytes this long counts as stalled and is tried again (\"0\": never).")
	w("# stall_timeout = %q", d.StallTimeout.String())
	w("# How often a file is tried again after its connection dropped or stalled (0: never).")
	w("# retries = %d", d.Retries)
	w("# Large files move as parallel byte ranges over several channels.")
	w("# ranges = %t", d.Ranges)
	w("# Bandwidth limit for all transfers together, bytes per second: \"10M\", \"500K\"; 0: none.")
	w("# limit = %s", strconv.Quote(FormatRate(d.Limit)))
	w("# Flush files to disk before renaming them into place: auto, always or never.")
	w("# fsync = %q", d.Fsync)
	w("")
	w("# [confirm]")
	w("# delete = %t     # ask before deleting", d.Confirm.Delete)
	w("# overwrite = %t  # ask what to do with an existing file", d.Confirm.Overwrite)
	w("# quit = %t       # ask before quitting while transfers run", d.Confirm.Quit)
	w("")
	w("# Colour overrides of the semantic theme: \"#rrggbb\", \"#rgb\" or an ANSI number 0-255.")
	w("# [colors]")
	w("# accent = \"#1f6feb\"")
	w("")
	w("# Key bindings: a preset (mc or vim), then actions bound to \"key\" or [\"key\", ...].")
	w("# An action's keys replace the preset's; two actions on one key are refused.")
	w("# [keys]")
	w("# preset = %q", d.Keys.Preset)
	for _, bd := range bindings {
		q := make([]string, len(bd.Keys))
		for i, k := range bd.Keys {
			q[i] = strconv.Quote(k)
		}
		w("# %s = [%s]", bd.Action, strings.Join(q, ", "))
	}
	w("")
	w("# Per host, OpenSSH-style patterns (* ? !, first match wins per setting):")
	w("# [[host]]")
	w("# match = \"web* !web-test\"")
	w("# start_dir = \"/var/www\"")
	w("# Run the SFTP server with this command instead of the sftp subsystem,")
	w("# to manage root-owned files (the account needs passwordless sudo):")
	w("# sftp_server = \"sudo -n /usr/lib/openssh/sftp-server\"")
	return b.String()
}
