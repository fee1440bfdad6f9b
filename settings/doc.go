// Package settings reads ferry's own settings file,
// $XDG_CONFIG_HOME/ferry/config.toml: the theme, key bindings, transfer
// defaults, confirmations and per-host sections. The file is optional;
// every setting has a default (Defaults). A file that cannot be read whole
// is refused with the file, the line and what was wrong, so ferry never
// starts on half a configuration.
//
// The package is a leaf: it knows the names and shapes of the settings and
// checks their values. Applying key bindings and colours to the UI is the
// caller's, which reports its own mistakes at the place Pos gives.
package settings
