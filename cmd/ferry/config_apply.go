package main

import (
	"errors"
	"fmt"

	"github.com/ferry-tui/ferry/config"
	"github.com/ferry-tui/ferry/remote"
	"github.com/ferry-tui/ferry/settings"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui"
	"github.com/ferry-tui/ferry/tui/common"
	"github.com/spf13/pflag"
)

// settingsPath is where the settings file is, "" when unknown.
func (a *app) settingsPath() string { return settings.Path(a.getenv, a.home) }

// loadSettings reads the settings file, or gives the defaults when there
// is none. A file with any mistake, its key bindings and colours
// included, is an error naming file and line: no command starts on half
// a configuration.
func (a *app) loadSettings() (settings.Settings, error) {
	p := a.settingsPath()
	if p == "" {
		return settings.Defaults(), nil
	}
	st, err := settings.Load(p)
	if err != nil {
		return st, err
	}
	if _, err := uiPrefsFrom(&st); err != nil {
		return settings.Settings{}, err
	}
	return st, nil
}

// uiPrefs are the settings the UI takes: keys and colours.
type uiPrefs struct {
	keys     common.KeyMap
	themeFor func(isDark bool) tui.Theme
}

// uiPrefsFrom builds the key map and theme the settings ask for. A key
// map with an unknown action, a bad key name or two actions on one key is
// refused at the line that set it.
func uiPrefsFrom(st *settings.Settings) (uiPrefs, error) {
	km, err := common.PresetKeyMap(st.Keys.Preset)
	if err != nil {
		return uiPrefs{}, fmt.Errorf("%s: %w", st.Pos("keys.preset"), err)
	}
	var errs []error
	for _, action := range st.Keys.Order {
		if err := km.Rebind(action, st.Keys.Bind[action]); err != nil {
			errs = append(errs, fmt.Errorf("%s: keys: %w", st.Pos("keys."+action), err))
		}
	}
	if len(errs) == 0 {
		for _, err := range km.Conflicts() {
			var ce *common.KeyConflictError
			at := "keys"
			if errors.As(err, &ce) {
				// The line of whichever of the two the file set last.
				for _, a := range []string{ce.A, ce.B} {
					if _, ok := st.Keys.Bind[a]; ok && st.Line("keys."+a) > st.Line(at) {
						at = "keys." + a
					}
				}
			}
			at = st.Pos(at)
			errs = append(errs, fmt.Errorf("%s: %w", at, err))
		}
	}
	base := common.NewTheme(true)
	for name, v := range st.Colors {
		if err := base.SetColor(name, v); err != nil {
			errs = append(errs, fmt.Errorf("%s: colors: %w", st.Pos("colors."+name), err))
		}
	}
	if len(errs) > 0 {
		return uiPrefs{}, errors.Join(errs...)
	}
	p := uiPrefs{keys: km}
	theme, colors := st.Theme, st.Colors
	if theme != "auto" || len(colors) > 0 {
		p.themeFor = func(isDark bool) tui.Theme {
			switch theme {
			case "dark":
				isDark = true
			case "light":
				isDark = false
			}
			t := common.NewTheme(isDark)
			for name, v := range colors {
				_ = t.SetColor(name, v) // checked above
			}
			return t
		}
	}
	return p, nil
}

// engineOptions are the transfer engine's options the settings ask for,
// with limit (from --limit, -1 when not given) over the settings' own.
func engineOptions(st *settings.Settings, limit int64) transfer.Options {
	o := transfer.Options{Workers: st.Workers, Retries: st.Retries, StallTimeout: st.StallTimeout, NoRanges: !st.Ranges, Limit: st.Limit}
	if o.Retries <= 0 {
		o.Retries = -1
	}
	if o.StallTimeout <= 0 {
		o.StallTimeout = -1
	}
	if limit >= 0 {
		o.Limit = limit
	}
	o.Fsync, _ = transfer.ParseFsync(st.Fsync) // checked when read
	return o
}

// copyDefaults fills the copy flags the command line left out from the
// settings: -j, --retries, --stall-timeout, --no-ranges and --limit, and
// -f when confirm.overwrite is false and no other policy was asked for.
func (a *app) copyDefaults(fs *pflag.FlagSet, f *cpFlags, limit string) error {
	st, err := a.loadSettings()
	if err != nil {
		return err
	}
	if !fs.Changed("jobs") {
		f.workers = st.Workers
	}
	if !fs.Changed("retries") {
		f.retries = st.Retries
	}
	if !fs.Changed("stall-timeout") {
		f.stall = st.StallTimeout
	}
	if !fs.Changed("no-ranges") {
		f.noRanges = !st.Ranges
	}
	if !fs.Changed("fsync") {
		f.fsync = st.Fsync
	}
	if !st.Confirm.Overwrite && !f.noClobber && !f.force && !f.newer && !f.resume {
		f.force = true // confirm.overwrite = false: overwrite (safely) without asking
	}
	f.limit = st.Limit
	if fs.Changed("limit") {
		if f.limit, err = settings.ParseRate(limit); err != nil {
			return usageErr("--limit: %v", err)
		}
	}
	return nil
}

// rateFlag is the UI's --limit as given.
type rateFlag struct {
	set   bool
	value string
}

// rate reads the flag: bytes per second, -1 when it was not given.
func (l rateFlag) rate() (int64, error) {
	if !l.set {
		return -1, nil
	}
	r, err := settings.ParseRate(l.value)
	if err != nil {
		return 0, usageErr("--limit: %v", err)
	}
	return r, nil
}

// hostDialer returns d for h: with the SFTP server command of --sftp-server
// or, without it, of the settings' sections for h's alias.
func (s *session) hostDialer(d *remote.Dialer, h config.Host) *remote.Dialer {
	hd := *d
	hd.SFTPServer = s.flags.sftpServer
	if hd.SFTPServer == "" {
		hd.SFTPServer = s.cfg.For(h.Alias).SFTPServer
	}
	if hd.SFTPServer != "" {
		s.logf("%s: sftp server command %q", h.Alias, hd.SFTPServer)
	}
	return &hd
}

// startDir is where h's pane opens: the path the destination named, else
// the settings' start_dir for its alias.
func (s *session) startDir(h config.Host) string {
	if h.Path != "" {
		return h.Path
	}
	return s.cfg.For(h.Alias).StartDir
}
