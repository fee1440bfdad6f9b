package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// maxIncludeDepth is OpenSSH's READCONF_MAX_DEPTH.
const maxIncludeDepth = 16

// source says where a directive came from.
type source struct {
	file       string // path as opened, or "command-line"
	line       int
	userConf   bool // the user's file, its includes, or -o
	cmdline    bool // a -o option
	neverMatch bool // an Include read from an inactive block: parse only
	depth      int
}

func (s source) String() string {
	return fmt.Sprintf("%s line %d", s.file, s.line)
}

// engine applies ssh_config directives for one destination in OpenSSH's
// order, keeping the first value obtained for each setting.
type engine struct {
	opts  *Options
	alias string // the host as typed: what Host patterns are matched against
	s     settings
	errs  []error // configuration errors, reported together as OpenSSH does
}

// errorf records a configuration error at src.
func (e *engine) errorf(src source, format string, args ...any) {
	e.errs = append(e.errs, fmt.Errorf("%s: %s", src, fmt.Sprintf(format, args...)))
}

// readTop reads one top-level file (the user's or the system's); each starts
// active, as if it began with "Host *".
func (e *engine) readTop(path string, userConf, required, checkPerms bool) error {
	active := true
	err := e.readFile(path, source{file: path, userConf: userConf}, checkPerms, &active)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, fs.ErrNotExist) && !required:
		e.opts.logf("%s: not found", path)
		return nil
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("can't open user config file: %w", err)
	}
	return err
}

// readFile reads and applies one file. src carries the flags inherited from
// the including file.
func (e *engine) readFile(path string, src source, checkPerms bool, active *bool) error {
	if src.depth > maxIncludeDepth {
		return fmt.Errorf("%s: too many recursive configuration includes", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("stat %s: %w", path, err)
	}
	if checkPerms {
		if err := checkPerm(path, fi); err != nil {
			return err
		}
	}
	if fi.IsDir() {
		return fmt.Errorf("read %s: is a directory", path)
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	e.opts.logf("Reading configuration data %s", path)
	dirs, err := parseConfig(path, data)
	if err != nil {
		return err
	}
	for _, d := range dirs {
		s := src
		s.file, s.line = path, d.line
		if err := e.apply(d, s, active); err != nil {
			return err
		}
	}
	return nil
}

// includePattern is the glob an Include argument names: ~ expanded,
// relative paths taken from ~/.ssh in the user's files and from the
// system file's directory in system files.
func includePattern(arg string, o *Options, userConf bool) (string, error) {
	switch {
	case strings.HasPrefix(arg, "~"):
		return expandTilde(arg, o.Home, o.LocalUser)
	case filepath.IsAbs(arg):
		return arg, nil
	case userConf:
		return filepath.Join(o.Home, ".ssh", arg), nil
	}
	return filepath.Join(filepath.Dir(o.SystemConfig), arg), nil
}

// include handles an Include line: each argument is a glob, relative to
// ~/.ssh in the user's files and to the system file's directory in system
// files. Files included from an inactive block are parsed but never match.
func (e *engine) include(d directive, src source, active *bool) error {
	for _, arg := range d.args {
		if arg == "" {
			e.errorf(src, "keyword include empty argument")
			return nil
		}
		if strings.HasPrefix(arg, "~") && !src.userConf {
			e.errorf(src, "bad include path %s.", arg)
			return nil
		}
		pattern, err := includePattern(arg, e.opts, src.userConf)
		if err != nil {
			return &unsupportedError{file: src.file, line: src.line, what: "Include " + err.Error()}
		}
		matches, err := globFiles(pattern)
		if err != nil {
			e.errorf(src, "glob failed for %s.", pattern)
			return nil
		}
		if len(matches) == 0 {
			e.opts.logf("%s: include %s matched no files", src, pattern)
			continue
		}
		wasActive := *active
		for _, m := range matches {
			inc := src
			inc.depth++
			inc.neverMatch = src.neverMatch || !wasActive
			suffix := ""
			if inc.neverMatch {
				suffix = " (parse only)"
			}
			e.opts.logf("%s: Including file %s depth %d%s", src, m, inc.depth, suffix)
			err := e.readFile(m, inc, true, active)
			*active = wasActive
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				if isUnsupported(err) {
					return err
				}
				e.errorf(src, "%v", err)
			}
		}
	}
	return nil
}
