package settings

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
)

// Error is a mistake in the settings file: where and what.
type Error struct {
	// File is the settings file.
	File string
	// Line is the 1-based line of the mistake; 0 when it is about the
	// whole file.
	Line int
	// Msg says what was wrong.
	Msg string
}

// Error returns "file:line: msg".
func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return e.File + ": " + e.Msg
}

// file is the settings file as TOML lays it out. Pointers tell a value
// written from one left out; limit and stall_timeout take a string or a
// number, so they are read as any.
type file struct {
	Theme        *string           `toml:"theme"`
	Colors       map[string]string `toml:"colors"`
	Keys         map[string]any    `toml:"keys"`
	Workers      *int              `toml:"workers"`
	ShowHidden   *bool             `toml:"show_hidden"`
	Sort         *string           `toml:"sort"`
	SortReverse  *bool             `toml:"sort_reverse"`
	Confirm      *confirmTable     `toml:"confirm"`
	StallTimeout any               `toml:"stall_timeout"`
	Retries      *int              `toml:"retries"`
	Ranges       *bool             `toml:"ranges"`
	Limit        any               `toml:"limit"`
	Fsync        *string           `toml:"fsync"`
	Host         []hostTable       `toml:"host"`
}

type confirmTable struct {
	Delete    *bool `toml:"delete"`
	Overwrite *bool `toml:"overwrite"`
	Quit      *bool `toml:"quit"`
}

type hostTable struct {
	Match      *string `toml:"match"`
	StartDir   string  `toml:"start_dir"`
	SFTPServer string  `toml:"sftp_server"`
}

// Load reads the settings file at path. A file that does not exist gives
// the defaults; one that cannot be read or is wrong anywhere gives an
// error (an *Error for the file's content).
func Load(path string) (Settings, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Defaults(), nil
	}
	if err != nil {
		return Settings{}, fmt.Errorf("read settings: %w", err)
	}
	return Parse(path, data)
}

// Parse reads settings from data, the content of the file named name.
func Parse(name string, data []byte) (Settings, error) {
	s := Defaults()
	s.File = name
	var f file
	dec := toml.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return Settings{}, decodeError(name, err)
	}
	s.pos = positions(data)
	if err := s.apply(&f); err != nil {
		return Settings{}, err
	}
	return s, nil
}

// decodeError turns the TOML library's error into *Error values: every
// unknown key, or the one syntax or type mistake.
func decodeError(name string, err error) error {
	var strict *toml.StrictMissingError
	if errors.As(err, &strict) {
		errs := make([]error, 0, len(strict.Errors))
		for i := range strict.Errors {
			de := &strict.Errors[i]
			row, _ := de.Position()
			errs = append(errs, &Error{File: name, Line: row, Msg: fmt.Sprintf("unknown setting %q", strings.Join(de.Key(), "."))})
		}
		return errors.Join(errs...)
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		row, _ := de.Position()
		return &Error{File: name, Line: row, Msg: strings.TrimPrefix(de.Error(), "toml: ")}
	}
	return &Error{File: name, Msg: err.Error()}
}

// fail is an *Error at key's line.
func (s *Settings) fail(key, format string, args ...any) error {
	return &Error{File: s.File, Line: s.pos[key], Msg: fmt.Sprintf(format, args...)}
}

// apply checks f's values and stores them over the defaults.
func (s *Settings) apply(f *file) error {
	var errs []error
	check := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	check(s.oneOf("theme", f.Theme, &s.Theme, "auto", "dark", "light"))
	check(s.oneOf("sort", f.Sort, &s.Sort, "name", "size", "time"))
	check(s.oneOf("fsync", f.Fsync, &s.Fsync, "auto", "always", "never"))
	setBool(f.ShowHidden, &s.ShowHidden)
	setBool(f.SortReverse, &s.SortReverse)
	setBool(f.Ranges, &s.Ranges)
	if f.Confirm != nil {
		setBool(f.Confirm.Delete, &s.Confirm.Delete)
		setBool(f.Confirm.Overwrite, &s.Confirm.Overwrite)
		setBool(f.Confirm.Quit, &s.Confirm.Quit)
	}
	if f.Workers != nil {
		if *f.Workers < 1 || *f.Workers > maxWorkers {
			check(s.fail("workers", "workers: %d is out of range: want 1 to %d", *f.Workers, maxWorkers))
		} else {
			s.Workers = *f.Workers
		}
	}
	if f.Retries != nil {
		if *f.Retries < 0 || *f.Retries > 100 {
			check(s.fail("retries", "retries: %d is out of range: want 0 to 100", *f.Retries))
		} else {
			s.Retries = *f.Retries
		}
	}
	if f.StallTimeout != nil {
		d, err := duration(f.StallTimeout)
		if err != nil {
			check(s.fail("stall_timeout", "stall_timeout: %v", err))
		}
		s.StallTimeout = d
	}
	if f.Limit != nil {
		r, err := rateValue(f.Limit)
		if err != nil {
			check(s.fail("limit", "limit: %v", err))
		}
		s.Limit = r
	}
	for name, v := range f.Colors {
		if err := checkColor(v); err != nil {
			check(s.fail("colors."+name, "colors.%s: %v", name, err))
		}
	}
	s.Colors = f.Colors
	check(s.applyKeys(f.Keys))
	check(s.applyHosts(f.Host))
	sortErrors(errs)
	return errors.Join(errs...)
}

// maxWorkers bounds the workers setting as the engine bounds SetWorkers.
const maxWorkers = 256

// oneOf stores *v in dst when it is one of allowed.
func (s *Settings) oneOf(key string, v *string, dst *string, allowed ...string) error {
	if v == nil {
		return nil
	}
	for _, a := range allowed {
		if *v == a {
			*dst = a
			return nil
		}
	}
	return s.fail(key, "%s: %q is not one of %s", key, *v, strings.Join(allowed, ", "))
}

func setBool(v *bool, dst *bool) {
	if v != nil {
		*dst = *v
	}
}

// applyKeys reads the [keys] table: preset, and action = "key" or
// ["key", ...]. Action names are checked by the caller, which knows them.
func (s *Settings) applyKeys(t map[string]any) error {
	var errs []error
	s.Keys.Bind = map[string][]string{}
	for action, v := range t {
		key := "keys." + action
		if action == "preset" {
			p, ok := v.(string)
			if ok && (p == "mc" || p == "vim") {
				s.Keys.Preset = p
			} else {
				errs = append(errs, s.fail(key, "keys.preset: %v is not one of mc, vim", quote(v)))
			}
			continue
		}
		keys, err := keyList(v)
		if err != nil {
			errs = append(errs, s.fail(key, "keys.%s: %v", action, err))
			continue
		}
		s.Keys.Bind[action] = keys
		s.Keys.Order = append(s.Keys.Order, action)
	}
	sort.Slice(s.Keys.Order, func(i, j int) bool {
		a, b := s.Keys.Order[i], s.Keys.Order[j]
		if s.pos["keys."+a] != s.pos["keys."+b] {
			return s.pos["keys."+a] < s.pos["keys."+b]
		}
		return a < b
	})
	return errors.Join(errs...)
}

// keyList is a binding's keys: one string or an array of non-empty
// strings.
func keyList(v any) ([]string, error) {
	switch v := v.(type) {
	case string:
		if v == "" {
			return nil, errors.New(`want a key such as "f5" or a list such as ["f5", "c"]`)
		}
		return []string{v}, nil
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			k, ok := e.(string)
			if !ok || k == "" {
				return nil, fmt.Errorf("%v is not a key name", quote(e))
			}
			out = append(out, k)
		}
		return out, nil
	}
	return nil, fmt.Errorf(`%v: want a key such as "f5" or a list such as ["f5", "c"]`, quote(v))
}

// applyHosts reads the [[host]] sections.
func (s *Settings) applyHosts(hs []hostTable) error {
	var errs []error
	for i, h := range hs {
		at := "host." + strconv.Itoa(i)
		if h.Match == nil || strings.TrimSpace(*h.Match) == "" {
			errs = append(errs, s.fail(at, "[[host]] needs match = \"PATTERN...\""))
			continue
		}
		if err := checkPatterns(*h.Match); err != nil {
			errs = append(errs, s.fail(at+".match", "match: %v", err))
			continue
		}
		s.Hosts = append(s.Hosts, Host{Match: *h.Match, StartDir: h.StartDir, SFTPServer: strings.TrimSpace(h.SFTPServer), index: i})
	}
	return errors.Join(errs...)
}

// duration reads "30s", "2m", or a whole number of seconds.
func duration(v any) (time.Duration, error) {
	switch v := v.(type) {
	case int64:
		if v >= 0 {
			return time.Duration(v) * time.Second, nil
		}
	case string:
		d, err := time.ParseDuration(v)
		if err == nil && d >= 0 {
			return d, nil
		}
	}
	return 0, fmt.Errorf(`%v: want a duration such as "30s", "2m" or "0" for never`, quote(v))
}

// rateValue reads a bandwidth limit: "10M", "500K", a number of bytes per
// second, or 0 for none.
func rateValue(v any) (int64, error) {
	switch v := v.(type) {
	case int64:
		if v >= 0 {
			return v, nil
		}
	case string:
		return ParseRate(v)
	}
	return 0, fmt.Errorf(`%v: want a rate such as "10M", "500K" or 0 for none`, quote(v))
}

// quote shows a TOML value in a message.
func quote(v any) string {
	if s, ok := v.(string); ok {
		return strconv.Quote(s)
	}
	return fmt.Sprint(v)
}

// sortErrors orders *Error values by line.
func sortErrors(errs []error) {
	line := func(e error) int {
		var se *Error
		if errors.As(e, &se) {
			return se.Line
		}
		return 0
	}
	sort.SliceStable(errs, func(i, j int) bool { return line(errs[i]) < line(errs[j]) })
}

func itoa(n int) string { return strconv.Itoa(n) }
