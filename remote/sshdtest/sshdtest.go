// Package sshdtest starts a real OpenSSH sshd for tests, in the spirit of
// net/http/httptest.
//
// Start generates host and client keys in a private temporary directory,
// writes an sshd_config that lets the current OS user (or WithUser's) in
// with the client key only, runs sshd in the foreground on a free port on
// 127.0.0.1 and stops it when the test ends. The SFTP subsystem is OpenSSH's
// internal-sftp, starting in Server.Dir.
//
// If sshd is not installed, Start skips the test, unless the environment
// variable FERRY_REQUIRE_SSHD is 1, in which case it fails it.
package sshdtest

import (
	"fmt"
	"net"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/ferry-tui/ferry/remote/internal/proctree"
	"github.com/ferry-tui/ferry/remote/internal/testhost"
	"golang.org/x/crypto/ssh"
)

const (
	// requireEnv names the environment variable that turns a missing sshd
	// from a skip into a failure.
	requireEnv = "FERRY_REQUIRE_SSHD"
	// defaultSSHD is where Debian and most other systems install sshd.
	defaultSSHD = "/usr/sbin/sshd"
	// maxAttempts bounds how often Start picks a new port when sshd
	// cannot bind the one it was given.
	maxAttempts = 5
	// privsepMissing is how sshd says it lacks its privilege separation
	// directory (/run/sshd on Debian), which only the system service
	// creates.
	privsepMissing = "Missing privilege separation directory: "
)

// Server is a running sshd. Its fields describe it and must not be changed.
type Server struct {
	// Addr is the address sshd listens on, "127.0.0.1:PORT".
	Addr string
	// Host is the host sshd listens on, "127.0.0.1".
	Host string
	// Port is the port sshd listens on.
	Port int
	// User is the account ClientConfig logs in as: the current OS user,
	// or the one WithUser names.
	User string
	// Dir is the directory SFTP sessions start in, with symbolic links
	// resolved, so that it equals what the server reports for ".".
	Dir string
	// ClientKeyPath is the client's ed25519 private key in OpenSSH format
	// (mode 0600); its public key is next to it with ".pub" appended.
	ClientKeyPath string
	// ClientSigner is the client key, the only one sshd accepts.
	ClientSigner ssh.Signer
	// HostKeys are the host keys sshd offers.
	HostKeys HostKeys
	// LogPath is sshd's log file (LogLevel DEBUG unless WithConfig says
	// otherwise).
	LogPath string
	// PID is the process id of the listening sshd.
	PID int

	tb       testing.TB
	base     string // the private directory with keys, config and log
	pidPath  string
	sshd     *proctree.Daemon
	stopOnce sync.Once
}

// Start runs sshd for the test t and stops it when t ends. It skips t if
// sshd is not installed (fails it if FERRY_REQUIRE_SSHD=1) and fails t if
// sshd does not come up within ten seconds, quoting the end of sshd's log.
// Run as root, it creates sshd's privilege separation directory (/run/sshd
// on Debian) if sshd reports it missing, as sshd's system service would.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	bin := findSSHD(t, defaultSSHD)
	set := settings{keyTypes: defaultKeyTypes()}
	for _, o := range opts {
		o(&set)
	}
	u, err := user.Current()
	if err != nil {
		t.Fatalf("sshdtest: current user: %v", err)
	}
	base := realDir(t, t.TempDir())
	dir := set.dir
	if dir == "" {
		dir = t.TempDir()
	}
	s := &Server{
		Host:          "127.0.0.1",
		User:          u.Username,
		Dir:           realDir(t, dir),
		ClientKeyPath: filepath.Join(base, "id_ed25519"),
		LogPath:       filepath.Join(base, "sshd.log"),
		tb:            t,
		base:          base,
		pidPath:       filepath.Join(base, "sshd.pid"),
	}
	hostKeyPaths := s.writeKeys(t, set.keyTypes)
	if set.user != "" {
		s.User = set.user
		s.openToOthers(t)
	}
	cfgPath := filepath.Join(base, "sshd_config")
	madePrivsep := false
	for attempt := 1; ; attempt++ {
		port, err := testhost.FreePort()
		if err != nil {
			t.Fatalf("sshdtest: find a free port: %v", err)
		}
		s.Port = port
		s.Addr = net.JoinHostPort(s.Host, strconv.Itoa(port))
		cfg := s.config(hostKeyPaths, set.extra)
		if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
			t.Fatalf("sshdtest: %v", err)
		}
		err = s.launch(bin, cfgPath)
		if err == nil {
			break
		}
		log := s.readLog()
		switch {
		case privsepDir(log) != "" && os.Geteuid() == 0 && !madePrivsep:
			// As root, sshd insists on the directory that its system
			// service would have created; create it the same way.
			d := privsepDir(log)
			if err := os.MkdirAll(d, 0o755); err != nil {
				t.Fatalf("sshdtest: create sshd's privilege separation directory: %v", err)
			}
			t.Logf("sshdtest: created sshd's privilege separation directory %s", d)
			madePrivsep = true
		case bindFailed(log) && attempt < maxAttempts:
			t.Logf("sshdtest: sshd could not bind %s, trying another port", s.Addr)
		default:
			t.Fatalf("sshdtest: start %s: %v\n%s", bin, err, s.logTail(log))
		}
	}
	t.Cleanup(s.Stop)
	return s
}

// findSSHD returns the absolute path of sshd (which refuses to run from a
// relative one): path if it exists, else sshd on PATH. If there is none, it
// skips t, or fails it if FERRY_REQUIRE_SSHD=1.
func findSSHD(t testing.TB, path string) string {
	t.Helper()
	found, ok := testhost.FindBinary("sshd", path)
	if !ok {
		testhost.SkipOrFail(t, requireEnv,
			fmt.Sprintf("sshdtest: OpenSSH sshd not found at %s or on PATH (install openssh-server)", path))
	}
	return found
}

// realDir returns dir absolute and with symbolic links resolved, and fails
// t if sshd_config could not carry it.
func realDir(t testing.TB, dir string) string {
	t.Helper()
	return testhost.RealDir(t, "sshdtest", dir, " \t\r\n\"'\\%",
		"white space, a quote, a backslash or '%', which sshd_config would interpret")
}

// writeKeys writes the host keys of the given types, the client key and
// authorized_keys, and returns the host key files.
func (s *Server) writeKeys(t testing.TB, keyTypes []string) []string {
	t.Helper()
	if len(keyTypes) == 0 {
		t.Fatal("sshdtest: WithHostKeyTypes needs at least one key type")
	}
	var paths []string
	for _, kt := range keyTypes {
		var name string
		var dst *ssh.PublicKey
		switch kt {
		case ssh.KeyAlgoED25519:
			name, dst = "ssh_host_ed25519_key", &s.HostKeys.Ed25519
		case ssh.KeyAlgoECDSA256:
			name, dst = "ssh_host_ecdsa_key", &s.HostKeys.ECDSA
		default:
			t.Fatalf("sshdtest: unsupported host key type %q (want %s or %s)", kt, ssh.KeyAlgoED25519, ssh.KeyAlgoECDSA256)
		}
		if *dst != nil {
			continue // named twice
		}
		path := filepath.Join(s.base, name)
		signer, err := writeKey(path, kt, "sshdtest-host")
		if err != nil {
			t.Fatalf("sshdtest: host key: %v", err)
		}
		*dst = signer.PublicKey()
		paths = append(paths, path)
	}
	signer, err := writeKey(s.ClientKeyPath, ssh.KeyAlgoED25519, "sshdtest-client")
	if err != nil {
		t.Fatalf("sshdtest: client key: %v", err)
	}
	s.ClientSigner = signer
	pub := ssh.MarshalAuthorizedKey(signer.PublicKey())
	if err := os.WriteFile(s.ClientKeyPath+".pub", pub, 0o644); err != nil {
		t.Fatalf("sshdtest: %v", err)
	}
	if err := os.WriteFile(s.authorizedKeysPath(), pub, 0o600); err != nil {
		t.Fatalf("sshdtest: %v", err)
	}
	return paths
}

// openToOthers lets another account than the current one reach what sshd
// reads as that account: the private directory and Dir become traversable
// (with their parents, which t.TempDir makes 0700), authorized_keys
// readable. It is WithUser's part of Start.
func (s *Server) openToOthers(t testing.TB) {
	t.Helper()
	for _, d := range []string{filepath.Dir(s.base), s.base, filepath.Dir(s.Dir), s.Dir} {
		fi, err := os.Stat(d)
		if err != nil {
			t.Fatalf("sshdtest: %v", err)
		}
		if err := os.Chmod(d, fi.Mode().Perm()|0o011); err != nil {
			t.Fatalf("sshdtest: %v", err)
		}
	}
	if err := os.Chmod(s.authorizedKeysPath(), 0o644); err != nil {
		t.Fatalf("sshdtest: %v", err)
	}
}

// authorizedKeysPath is the file sshd reads the accepted client keys from.
func (s *Server) authorizedKeysPath() string {
	return filepath.Join(s.base, "authorized_keys")
}

// config returns the text of sshd_config. Extra lines before the first
// Match go first, so that they win over the defaults; the rest goes last.
func (s *Server) config(hostKeyPaths, extra []string) string {
	top, bottom := extra, []string(nil)
	for i, l := range extra {
		if f := strings.Fields(l); len(f) > 0 && strings.EqualFold(f[0], "Match") {
			top, bottom = extra[:i], extra[i:]
			break
		}
	}
	lines := []string{"# Written by sshdtest for one test."}
	lines = append(lines, top...)
	lines = append(lines,
		"ListenAddress "+s.Host,
		"Port "+strconv.Itoa(s.Port),
	)
	for _, p := range hostKeyPaths {
		lines = append(lines, "HostKey "+p)
	}
	lines = append(lines,
		"PidFile "+s.pidPath,
		"AuthorizedKeysFile "+s.authorizedKeysPath(),
		"StrictModes no",
		"UsePAM no",
		"PermitRootLogin prohibit-password",
		"PubkeyAuthentication yes",
		"PasswordAuthentication no",
		"KbdInteractiveAuthentication no",
		"PermitUserRC no",
		"LogLevel DEBUG",
		"Subsystem sftp internal-sftp -d "+s.Dir,
		// A command (an exec request, or a subsystem other than
		// internal-sftp) runs through the user's shell. bash run by
		// sshd reads ~/.bashrc unless it is a nested shell (SHLVL 1 or
		// more): a login's rc file (pyenv, nvm...) costs a few hundred
		// milliseconds of CPU per session and is no part of the test.
		"SetEnv SHLVL=1",
	)
	lines = append(lines, bottom...)
	return strings.Join(lines, "\n") + "\n"
}

// bindFailed reports whether sshd's log says it could not listen.
func bindFailed(log string) bool {
	return strings.Contains(log, "Address already in use") ||
		strings.Contains(log, "Cannot bind any address")
}

// privsepDir returns the privilege separation directory sshd's log says is
// missing, or "".
func privsepDir(log string) string {
	_, rest, ok := strings.Cut(log, privsepMissing)
	if !ok {
		return ""
	}
	line, _, _ := strings.Cut(rest, "\n")
	return strings.TrimSpace(line)
}

// readLog returns sshd's log, or a note saying why it cannot.
func (s *Server) readLog() string {
	b, err := os.ReadFile(s.LogPath)
	if err != nil {
		return fmt.Sprintf("(cannot read sshd log: %v)", err)
	}
	return string(b)
}

// logTail returns the last lines of log under a heading naming the file.
func (s *Server) logTail(log string) string { return testhost.Tail(s.LogPath, log) }
