package config

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

// ErrUnsupported is wrapped by the error Resolve returns when a
// configuration uses a construct ferry cannot apply exactly itself (a Match
// block, CanonicalizeHostname) and no ssh binary was given to ask instead.
var ErrUnsupported = errors.New("not supported without ssh")

// unsupportedError names the file and line of such a construct.
type unsupportedError struct {
	file string
	line int
	what string
}

func (e *unsupportedError) Error() string {
	if e.line == 0 {
		return fmt.Sprintf("%s: %s: %v", e.file, e.what, ErrUnsupported)
	}
	return fmt.Sprintf("%s line %d: %s: %v", e.file, e.line, e.what, ErrUnsupported)
}

func (e *unsupportedError) Unwrap() error { return ErrUnsupported }

// isUnsupported reports whether err stops resolution because of an
// unsupported construct.
func isUnsupported(err error) bool {
	var u *unsupportedError
	return errors.As(err, &u)
}

// Resolve applies the command-line options and the ssh_config files to dest
// the way OpenSSH 9.2's ssh does, and returns the settings to dial with.
//
// Precedence follows ssh: the destination's user wins (it is passed to ssh
// as -l), then -P, then -J, -i and -o in that order, then the destination's
// port, then the user file and the system file; within each, the first value
// obtained wins. When a file uses a construct ferry cannot apply exactly,
// Resolve asks `ssh -G` (opts.SSHPath) instead and says so on opts.Log;
// without SSHPath it fails with an error naming the file and line that wraps
// ErrUnsupported. Otherwise ssh is never run.
func Resolve(dest Dest, opts Options) (Host, error) {
	if err := checkHost(dest.Host); err != nil {
		return Host{}, fmt.Errorf("resolve: %w", err)
	}
	h, err := resolveFiles(dest, &opts)
	switch {
	case err == nil:
		return h, nil
	case !isUnsupported(err):
		return Host{}, fmt.Errorf("resolve %s: %w", dest.Host, err)
	case opts.SSHPath == "":
		return Host{}, fmt.Errorf("resolve %s: %w (ferry needs OpenSSH's ssh on PATH to resolve this through ssh -G)", dest.Host, err)
	}
	opts.logf("%v: resolving %s with %s -G instead", err, dest.Host, opts.SSHPath)
	h, err = resolveWithSSH(dest, &opts)
	if err != nil {
		return Host{}, fmt.Errorf("resolve %s: %w", dest.Host, err)
	}
	return h, nil
}

// resolveFiles resolves dest without running ssh.
func resolveFiles(dest Dest, opts *Options) (Host, error) {
	e := &engine{opts: opts, alias: dest.Host}
	if dest.User != "" {
		e.s.user.setFirst(dest.User)
	}
	if opts.Port != 0 {
		if opts.Port < 1 || opts.Port > 65535 {
			return Host{}, fmt.Errorf("bad port %d", opts.Port)
		}
		e.s.port.setFirst(opts.Port)
	}
	if err := e.commandLine(); err != nil {
		return Host{}, err
	}
	if dest.Port != 0 {
		e.s.port.setFirst(dest.Port)
	}
	if err := e.readFiles(); err != nil {
		return Host{}, err
	}
	if len(e.errs) > 0 {
		return Host{}, errors.Join(e.errs...)
	}
	if c := e.s.canonicalize; c.ok && c.v != "no" && c.v != "false" {
		at := e.s.canonicalizeAt
		return Host{}, &unsupportedError{file: at.file, line: at.line, what: "CanonicalizeHostname " + c.v}
	}
	return e.finish(dest)
}

// commandLine applies -J, -i and -o, which ssh processes before any file.
func (e *engine) commandLine() error {
	cmd := source{file: "command-line", userConf: true, cmdline: true}
	on := true
	if e.opts.Jump != "" {
		e.applyProxyJump(e.opts.Jump, cmd, true)
		if len(e.errs) > 0 {
			return fmt.Errorf("invalid -J argument %q", e.opts.Jump)
		}
	}
	for _, id := range e.opts.Identities {
		p, err := expandTilde(id, e.opts.Home, e.opts.LocalUser)
		if err != nil {
			return fmt.Errorf("-i %s: %w", id, err)
		}
		if _, err := os.Stat(p); err != nil {
			e.opts.logf("Warning: Identity file %s not accessible: %v", p, err)
			continue
		}
		e.s.identityFiles, _ = addPath(e.s.identityFiles, p, fromFlagI)
	}
	for _, o := range e.opts.Overrides {
		d, ok, err := splitDirective(o)
		if err != nil || !ok {
			return fmt.Errorf("-o %q: invalid option", o)
		}
		if err := e.apply(d, cmd, &on); err != nil {
			return err
		}
		if len(e.errs) > 0 {
			return fmt.Errorf("-o %q: %w", o, errors.Join(e.errs...))
		}
	}
	return nil
}

// readFiles reads the user's file and then the system file.
func (e *engine) readFiles() error {
	o := e.opts
	if o.UserConfig != "" && !strings.EqualFold(o.UserConfig, "none") {
		if err := e.readTop(o.UserConfig, true, o.UserConfigRequired, !o.UserConfigRequired); err != nil {
			return err
		}
	}
	if o.SystemConfig != "" {
		if err := e.readTop(o.SystemConfig, false, false, false); err != nil {
			return err
		}
	}
	return nil
}
