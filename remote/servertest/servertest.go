// Package servertest starts real SFTP servers of several kinds for tests,
// in the spirit of net/http/httptest, so that ferry is tried against more
// than one implementation of the protocol:
//
//   - OpenSSH: sshd with internal-sftp, through package sshdtest;
//   - ProFTPD: proftpd with mod_sftp, which implements SSH and SFTP itself;
//   - AsyncSSH: the SFTP server of Python's asyncssh, from a small script
//     embedded in this package and run by /usr/bin/python3;
//   - Dropbear: dropbear with OpenSSH's sftp-server as the sftp subsystem;
//   - Demo: ferry's own in-process server (package demo), behind a small
//     TCP proxy of this package's so that its connections can be cut.
//
// Start runs one in fresh temporary directories (host key, authorized
// client key, configuration and log), on a free port of 127.0.0.1, and
// stops it when the test ends. Every kind but Demo lets the current OS
// user log in with Server.ClientKeyPath; SFTP sessions start in Server.Dir.
//
// A server that is not installed skips the test, unless the environment
// variable FERRY_REQUIRE_SERVERS is 1 (or, for OpenSSH,
// FERRY_REQUIRE_SSHD is 1), in which case it fails it.
package servertest

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/ferry-tui/ferry/remote/demo"
	"github.com/ferry-tui/ferry/remote/internal/testhost"
	"golang.org/x/crypto/ssh"
)

// RequireEnv names the environment variable that turns a missing server
// from a skip into a failure when it is "1".
const RequireEnv = "FERRY_REQUIRE_SERVERS"

// Kind is an SFTP server implementation.
type Kind int

// The kinds of server Start can run.
const (
	// OpenSSH is OpenSSH's sshd with internal-sftp.
	OpenSSH Kind = iota
	// ProFTPD is ProFTPD with mod_sftp.
	ProFTPD
	// AsyncSSH is Python's asyncssh with its default SFTPServer.
	AsyncSSH
	// Dropbear is Dropbear with OpenSSH's sftp-server.
	Dropbear
	// Demo is ferry's in-process demo server (package demo).
	Demo
)

// Kinds returns every kind, in the order of the constants.
func Kinds() []Kind { return []Kind{OpenSSH, ProFTPD, AsyncSSH, Dropbear, Demo} }

// String returns the kind's name as the constant spells it ("OpenSSH",
// "ProFTPD", ...), fit for a subtest name.
func (k Kind) String() string {
	switch k {
	case OpenSSH:
		return "OpenSSH"
	case ProFTPD:
		return "ProFTPD"
	case AsyncSSH:
		return "AsyncSSH"
	case Dropbear:
		return "Dropbear"
	case Demo:
		return "Demo"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// KeyChoice says whether Restart keeps the server's host keys.
type KeyChoice int

const (
	// SameHostKey restarts the server with the host keys it had.
	SameHostKey KeyChoice = iota
	// NewHostKey gives the server new host keys of the same types.
	NewHostKey
)

// Server is a running SFTP server. Its fields describe it and must not be
// changed; Restart updates PID, HostKeys and, for Demo, ClientSigner.
type Server struct {
	// Kind is the server's implementation.
	Kind Kind
	// Addr is the address the server listens on, "127.0.0.1:PORT".
	Addr string
	// Host is the host the server listens on, "127.0.0.1".
	Host string
	// Port is the port the server listens on.
	Port int
	// User is the login name: the current OS user's, or demo.User for
	// Demo.
	User string
	// Dir is the directory SFTP sessions start in and tests write to,
	// absolute and with symbolic links resolved, so that it equals what
	// the server reports for ".".
	Dir string
	// ClientKeyPath is the client's ed25519 private key in OpenSSH format
	// (mode 0600); its public key is next to it with ".pub" appended.
	ClientKeyPath string
	// ClientSigner is the client key, the only one the server accepts.
	ClientSigner ssh.Signer
	// HostKeys are the public host keys the server offers now.
	HostKeys []ssh.PublicKey
	// KnownHostsPath is a known_hosts file listing HostKeys as they were
	// when Start returned, for "[127.0.0.1]:PORT". Restart with
	// NewHostKey leaves it alone, so that it then holds a changed key.
	KnownHostsPath string
	// LogPath is the server's log file (for AsyncSSH, its standard error
	// and output; for Demo, the proxy's notes).
	LogPath string
	// PID is the process id of the listening server; for Demo, which
	// runs inside the test binary, it is the test's own.
	PID int

	tb      testing.TB
	base    string // the private directory with keys, configuration and log
	impl    backend
	mu      sync.Mutex // guards running against Stop from a cleanup and a test at once
	running bool
}

// backend is what differs between kinds.
type backend interface {
	// launch starts the server on s.Port and waits until it answers;
	// errPortTaken says another process had the port, a *missingError
	// that the server cannot run here.
	launch() error
	// newHostKeys replaces the host keys and updates s.HostKeys.
	newHostKeys() error
	// stop stops the server and its connections.
	stop()
	// killSessions ends the server's connections and keeps it listening.
	killSessions() bool
	// signalSessions stops (stop true) or continues the connections.
	signalSessions(stop bool) bool
}

// missingError says that a server cannot run here: a part of it is not
// installed, or the system does not allow what it needs.
type missingError struct{ msg string }

// Error returns the message.
func (e *missingError) Error() string { return e.msg }

// errPortTaken says that a server could not listen because its port was
// in use.
var errPortTaken = errors.New("port already in use")

// maxAttempts bounds how often Start picks a new port when the server
// cannot bind the one it was given.
const maxAttempts = 5

// Start runs a server of the given kind for the test t and stops it when t
// ends; if t has failed by then, the end of the server's log is logged.
// It skips t if the server is not installed (fails it if
// FERRY_REQUIRE_SERVERS=1) and fails t if the server does not come up,
// quoting the end of its log.
func Start(t testing.TB, kind Kind, opts ...Option) *Server {
	t.Helper()
	set := settings{}
	for _, o := range opts {
		o(&set)
	}
	if kind == OpenSSH {
		return startOpenSSH(t, set)
	}
	s := &Server{Kind: kind, Host: "127.0.0.1", tb: t, base: realDir(t, t.TempDir())}
	s.LogPath = filepath.Join(s.base, strings.ToLower(kind.String())+".log")
	dir := set.dir
	if dir == "" {
		dir = t.TempDir()
	}
	s.Dir = realDir(t, dir)
	if kind != Demo {
		u, err := user.Current()
		if err != nil {
			t.Fatalf("servertest: current user: %v", err)
		}
		s.User = u.Username
	}
	switch kind {
	case ProFTPD:
		s.impl = newProFTPD(t, s)
	case AsyncSSH:
		s.impl = newAsyncSSH(t, s)
	case Dropbear:
		s.impl = newDropbear(t, s)
	case Demo:
		s.User = demo.User
		s.impl = newDemo(s)
	default:
		t.Fatalf("servertest: unknown kind %v", kind)
	}
	for attempt := 1; ; attempt++ {
		port, err := testhost.FreePort()
		if err != nil {
			t.Fatalf("servertest: find a free port: %v", err)
		}
		s.setPort(port)
		err = s.impl.launch()
		if err == nil {
			break
		}
		var me *missingError
		if errors.As(err, &me) {
			missing(t, me.msg)
		}
		if !errors.Is(err, errPortTaken) || attempt == maxAttempts {
			t.Fatalf("servertest: start %v: %v\n%s", kind, err, s.LogTail())
		}
		t.Logf("servertest: %v could not listen on %s, trying another port", kind, s.Addr)
	}
	s.running = true
	s.KnownHostsPath = s.WriteKnownHosts(t)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("servertest: %v on %s\n%s", s.Kind, s.Addr, s.LogTail())
		}
		s.Stop()
	})
	return s
}

// setPort sets Port and Addr.
func (s *Server) setPort(port int) {
	s.Port = port
	s.Addr = net.JoinHostPort(s.Host, strconv.Itoa(port))
}

// Stop stops the server and the processes serving its connections, by
// process id: SIGTERM first, SIGKILL for what is left after five seconds.
// Start arranges for Stop to run when the test ends; calling it earlier,
// for example to see how a client copes with a vanished server, is fine,
// and so is calling it again.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.running {
		return
	}
	s.running = false
	s.impl.stop()
}

// KillSessions ends every connection the server has at once and keeps the
// server listening, so that a client sees its connection fail and can
// connect again. For OpenSSH, ProFTPD and Dropbear it sends SIGKILL to
// the per-connection processes; AsyncSSH, which serves every connection
// in its one process, aborts them itself on SIGUSR1; for Demo the proxy
// in front of it closes them. KillSessions returns once the connections
// are gone, and reports whether there was a way to end them: false where
// the sessions cannot be found (for the process kinds, on systems without
// /proc) or the server is stopped.
func (s *Server) KillSessions() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.running && s.impl.killSessions()
}

// StopSessions freezes the server's connections with SIGSTOP until
// ContinueSessions, so that a client sees a server that no longer answers.
// For OpenSSH, ProFTPD and Dropbear only the per-connection processes
// stop and new connections are still accepted (and not frozen). AsyncSSH
// has no such processes: the whole server stops, its listener too (the
// kernel still completes new TCP connections, but no SSH banner comes).
// For Demo the proxy stops passing bytes on the open connections.
// StopSessions reports false where the sessions cannot be found (for the
// process kinds, on systems without /proc) or the server is stopped.
func (s *Server) StopSessions() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.running && s.impl.signalSessions(true)
}

// ContinueSessions undoes StopSessions and reports whether it could.
func (s *Server) ContinueSessions() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.running && s.impl.signalSessions(false)
}

// Restart stops the server (as Stop does, if it is running) and starts it
// again on the same port, so that a client can reconnect to the same
// address. With NewHostKey the server gets new host keys first, while
// KnownHostsPath keeps the old ones: a client verifying against it must
// then refuse the server. PID and HostKeys change.
//
// The demo server makes new keys every time it starts, its client key
// too (written over ClientKeyPath, and ClientSigner changes): for Demo,
// Restart with SameHostKey skips t. Restart fails t if the server does
// not come back, quoting its log.
func (s *Server) Restart(t testing.TB, keys KeyChoice) {
	t.Helper()
	if s.Kind == OpenSSH {
		s.restartOpenSSH(t, keys)
		return
	}
	if s.Kind == Demo && keys == SameHostKey {
		t.Skip("servertest: the demo server makes new host keys whenever it starts; it cannot restart with the same one")
	}
	s.Stop()
	s.mu.Lock()
	defer s.mu.Unlock()
	if keys == NewHostKey {
		if err := s.impl.newHostKeys(); err != nil {
			t.Fatalf("servertest: new host keys for %v: %v", s.Kind, err)
		}
	}
	if err := retryBusyPort(s.impl.launch); err != nil {
		t.Fatalf("servertest: restart %v on %s: %v\n%s", s.Kind, s.Addr, err, s.LogTail())
	}
	s.running = true
}

// LogTail returns the last lines of the server's log under a heading
// naming the file, for failure messages.
func (s *Server) LogTail() string {
	b, err := os.ReadFile(s.LogPath)
	if err != nil {
		return fmt.Sprintf("--- (cannot read %s: %v) ---", s.LogPath, err)
	}
	return testhost.Tail(s.LogPath, string(b))
}

// missing skips t because a server is not installed or cannot run here,
// or fails it if FERRY_REQUIRE_SERVERS=1.
func missing(t testing.TB, msg string) {
	t.Helper()
	testhost.SkipOrFail(t, RequireEnv, "servertest: "+msg)
}

// findBinary returns the first of paths that exists, else name looked up on
// PATH, else "" after calling missing with a message naming the package
// that installs it.
func findBinary(t testing.TB, name, pkg string, paths ...string) string {
	t.Helper()
	found, ok := testhost.FindBinary(name, paths...)
	if !ok {
		missing(t, fmt.Sprintf("%s not found at %s or on PATH (install %s)", name, strings.Join(paths, ", "), pkg))
		return ""
	}
	return found
}

// realDir returns dir absolute and with symbolic links resolved, and fails
// t if a server's configuration could not carry it.
func realDir(t testing.TB, dir string) string {
	t.Helper()
	return testhost.RealDir(t, "servertest", dir, " \t\r\n\"'\\%$`",
		"white space, a quote, a backslash, '%', '$' or '`', which a server's configuration or shell would interpret")
}
