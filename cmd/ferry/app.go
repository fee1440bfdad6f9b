package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/ferry-tui/ferry/config"
	"github.com/ferry-tui/ferry/remote"
	"github.com/ferry-tui/ferry/remote/knownhosts"
	"github.com/ferry-tui/ferry/remote/ttyprompt"
	"github.com/ferry-tui/ferry/settings"
	"github.com/ferry-tui/ferry/text"
	"github.com/spf13/pflag"
	"golang.org/x/term"
)

// app is what a command needs from the process: streams, environment and
// the local identity. main fills it from the OS; tests fill it by hand.
type app struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	home           string
	user           string
	// prompter answers questions while connecting; nil means ask on the
	// terminal (or refuse, in BatchMode or without one).
	prompter remote.Prompter
	// isTerminal says whether stderr is a terminal (progress bars).
	isTerminal bool
	// openTTY opens the controlling terminal for questions; nil: none.
	openTTY func() (io.ReadWriteCloser, error)
	// uiTerminal reports whether standard input and output are a terminal
	// the UI can run on; nil: assume they are.
	uiTerminal func() bool
}

// newApp describes the running process.
func newApp(stdout, stderr io.Writer) *app {
	a := &app{stdout: stdout, stderr: stderr, getenv: os.Getenv}
	if f, ok := stderr.(*os.File); ok {
		a.isTerminal = term.IsTerminal(int(f.Fd()))
	}
	a.openTTY = func() (io.ReadWriteCloser, error) { return os.OpenFile("/dev/tty", os.O_RDWR, 0) }
	a.uiTerminal = func() bool { return term.IsTerminal(int(os.Stdin.Fd())) && term.IsTerminal(int(os.Stdout.Fd())) }
	a.home, _ = os.UserHomeDir()
	if u, err := user.Current(); err == nil {
		a.user = u.Username
	}
	return a
}

// connFlags are the flags every command that connects shares, as in ssh
// and scp.
type connFlags struct {
	configFile string
	options    []string
	identities []string
	jump       string
	port       int
	verbose    bool
	// sftpServer is --sftp-server: a command run instead of the sftp
	// subsystem; "" leaves it to the settings.
	sftpServer string
}

// register adds the shared flags to fset: ssh's short forms, each with a
// long name too.
func (f *connFlags) register(fset *pflag.FlagSet) {
	fset.StringVarP(&f.configFile, "ssh-config", "F", "", "read this ssh config `file` instead of ~/.ssh/config and /etc/ssh/ssh_config")
	fset.StringArrayVarP(&f.options, "option", "o", nil, "ssh config `Key=Value`, wins over the files (repeatable)")
	fset.StringArrayVarP(&f.identities, "identity", "i", nil, "identity (private key) `file` (repeatable)")
	fset.StringVarP(&f.jump, "jump", "J", "", "connect through these jump `hosts` (ProxyJump)")
	fset.IntVarP(&f.port, "port", "P", 0, "remote `port`")
	fset.BoolVarP(&f.verbose, "verbose", "v", false, "debug output, never secrets: on stderr, or for the UI in $XDG_STATE_HOME/ferry/debug.log")
	fset.StringVar(&f.sftpServer, "sftp-server", "", "run this `command` as the SFTP server through an exec request instead of the sftp subsystem, as sftp -s: 'sudo -n /usr/lib/openssh/sftp-server'")
}

// session is a configured connection context for one command.
type session struct {
	*app
	flags connFlags
	log   io.Writer
	close func()

	cfg settings.Settings // the settings file's, or the defaults
	// limit is the UI's --limit in bytes per second; -1 when not given.
	limit int64

	sshPath    string              // ssh on PATH for ssh -G, or ""
	prompt     remote.Prompter     // made by dialer on first use
	knownHosts *knownhosts.Checker // shared by every connection of the command
}

// newSession prepares a headless command. With -v its debug lines go to
// standard error, as ssh -v's do.
func (a *app) newSession(f connFlags) (*session, error) {
	st, err := a.loadSettings()
	if err != nil {
		return nil, err
	}
	s := &session{app: a, flags: f, close: func() {}, cfg: st, limit: -1}
	if p, err := exec.LookPath("ssh"); err == nil {
		s.sshPath = p // for ssh -G on configs ferry cannot apply itself
	}
	if f.verbose {
		s.log = a.stderr
	}
	return s, nil
}

// newUISession prepares the UI, which owns the terminal: with -v its debug
// lines go to a private file in the user's state directory instead.
func (a *app) newUISession(f connFlags) (*session, error) {
	verbose := f.verbose
	f.verbose = false
	s, err := a.newSession(f)
	if err != nil || !verbose {
		return s, err
	}
	dir := a.stateDir()
	if dir == "" {
		return nil, errors.New("debug log: no state directory: set XDG_STATE_HOME or HOME")
	}
	lf, p, err := openDebugLog(dir)
	if err != nil {
		return nil, fmt.Errorf("debug log: %w", err)
	}
	fmt.Fprintf(a.stderr, "ferry: debug log in %s\n", p)
	s.log = lf
	s.close = func() { lf.Close() }
	return s, nil
}

// stateDir is $XDG_STATE_HOME/ferry, else ~/.local/state/ferry; "" when
// neither is known.
func (a *app) stateDir() string {
	if d := a.getenv("XDG_STATE_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "ferry")
	}
	if a.home == "" {
		return ""
	}
	return filepath.Join(a.home, ".local", "state", "ferry")
}

// openDebugLog opens dir/debug.log for appending: dir is created 0700 if
// missing and must be a real directory of ours, not a symbolic link; the
// file is created 0600 and opened through an os.Root, so a symbolic link
// planted at its name cannot send the log elsewhere.
func openDebugLog(dir string) (*os.File, string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, "", err
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return nil, "", err
	}
	if !fi.IsDir() {
		return nil, "", fmt.Errorf("%s is not a directory", dir)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return nil, "", err
		}
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, "", err
	}
	defer root.Close()
	const name = "debug.log"
	if li, err := root.Lstat(name); err == nil && !li.Mode().IsRegular() {
		return nil, "", fmt.Errorf("%s is not a regular file", filepath.Join(dir, name))
	}
	f, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, "", err
	}
	return f, filepath.Join(dir, name), nil
}

// configOptions builds config.Options from the flags and the process.
func (s *session) configOptions() config.Options {
	o := config.Options{
		Home:       s.home,
		LocalUser:  s.user,
		Getenv:     s.getenv,
		Overrides:  s.flags.options,
		Identities: s.flags.identities,
		Jump:       s.flags.jump,
		Port:       s.flags.port,
		Log:        s.log,
	}
	if s.flags.configFile != "" {
		o.UserConfig = s.flags.configFile
		o.UserConfigRequired = true
	} else {
		o.UserConfig = filepath.Join(s.home, ".ssh", "config")
		o.SystemConfig = "/etc/ssh/ssh_config"
	}
	o.SSHPath = s.sshPath
	return o
}

// resolve turns a destination string into a resolved host.
func (s *session) resolve(dest string) (config.Host, error) {
	d, err := config.ParseDestination(dest)
	if err != nil {
		return config.Host{}, err
	}
	return config.Resolve(d, s.configOptions())
}

// resolveJumps resolves h's ProxyJump hops as ssh does: each with its own
// configuration, the hop's user and port, and without -o and -i.
func (s *session) resolveJumps(h config.Host) ([]config.Host, error) {
	return config.ResolveJumps(h, s.configOptions())
}

// dialer returns a Dialer that asks on the terminal (/dev/tty). Without a
// terminal, questions are refused and warnings go to stderr. BatchMode is
// honoured per host by remote itself.
func (s *session) dialer() *remote.Dialer {
	if s.prompt == nil {
		s.prompt = s.prompter
		if s.prompt == nil {
			if tty, err := ttyprompt.Open(); err == nil {
				s.prompt = tty
				prev := s.close
				s.close = func() { tty.Close(); prev() }
			} else {
				s.prompt = stderrPrompter{w: s.stderr}
			}
		}
		s.knownHosts = knownhosts.New(s.prompt)
	}
	return s.dialerWith(s.prompt, s.knownHosts, s.stderr)
}

// dialerWith returns a Dialer that asks through p, records host keys in
// kh, and sends a ProxyCommand's stderr to stderr.
func (s *session) dialerWith(p remote.Prompter, kh *knownhosts.Checker, stderr io.Writer) *remote.Dialer {
	return &remote.Dialer{
		Prompter:    p,
		KnownHosts:  kh,
		Jumps:       s.resolveJumps,
		AgentSocket: s.getenv("SSH_AUTH_SOCK"),
		Stderr:      stderr,
		Log:         s.log,
	}
}

// connect resolves and dials dest.
func (s *session) connect(ctx context.Context, dest string) (*remote.Session, config.Host, error) {
	h, err := s.resolve(dest)
	if err != nil {
		return nil, h, err
	}
	sess, err := s.hostDialer(s.dialer(), h).Dial(ctx, h)
	return sess, h, err
}

// stderrPrompter refuses every question but shows warnings on stderr.
type stderrPrompter struct {
	remote.NoPrompter
	w io.Writer
}

// Warn prints msg on standard error.
func (p stderrPrompter) Warn(msg string) { fmt.Fprintln(p.w, "ferry: warning:", msg) }

// errUsage marks command-line mistakes.
var errUsage = errors.New("usage")

// usageErr is a command-line mistake with an explanation.
func usageErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errUsage, fmt.Sprintf(format, args...))
}

// errText is err's message made safe for a terminal: each line goes
// through the display sanitiser, so a multi-line message (OpenSSH's host
// key warning) keeps its lines while control characters from a server
// are shown escaped. A path in the error (a server's file name) is escaped
// whole, so a line break inside a name cannot start a new line; every part
// of the message is escaped exactly once.
func errText(err error) string {
	msg := err.Error()
	var names []string // paths holding a line break, marked as NUL index NUL
	if !strings.Contains(msg, "\x00") {
		for _, p := range errPaths(err) {
			if strings.ContainsAny(p, "\n\r") && strings.Contains(msg, p) {
				msg = strings.ReplaceAll(msg, p, "\x00"+strconv.Itoa(len(names))+"\x00")
				names = append(names, p)
			}
		}
	}
	lines := strings.Split(msg, "\n")
	for i, l := range lines {
		parts := strings.Split(l, "\x00")
		for j, part := range parts {
			if n, err := strconv.Atoi(part); j%2 == 1 && err == nil && n < len(names) {
				parts[j] = text.Sanitize(names[n])
			} else {
				parts[j] = text.Sanitize(part)
			}
		}
		lines[i] = strings.Join(parts, "")
	}
	return strings.Join(lines, "\n")
}

// oneLine is err's message on one line, every control character escaped:
// for a job's failure or notice, which names server paths anywhere in its
// text and is never meant to span lines.
func oneLine(err error) string { return text.Sanitize(err.Error()) }

// errPaths returns the paths named by the *fs.PathError and *os.LinkError
// values in err's tree.
func errPaths(err error) []string {
	var paths []string
	var walk func(error)
	walk = func(err error) {
		switch e := err.(type) {
		case nil:
			return
		case *fs.PathError:
			paths = append(paths, e.Path)
		case *os.LinkError:
			paths = append(paths, e.Old, e.New)
		}
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				walk(e)
			}
		}
	}
	walk(err)
	return paths
}
