//go:build unix

package servertest

import (
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
)

// proftpdBin is where Debian installs proftpd (package proftpd-core).
const proftpdBin = "/usr/sbin/proftpd"

// modSFTPDirs are where distributions put ProFTPD's loadable modules;
// Debian's proftpd-mod-crypto puts mod_sftp.so in the first.
var modSFTPDirs = []string{"/usr/lib/proftpd", "/usr/libexec/proftpd", "/usr/local/libexec/proftpd"}

// proftpdBackend runs ProFTPD with mod_sftp in the foreground.
type proftpdBackend struct {
	s         *Server
	bin       string
	moduleDir string // where mod_sftp.so is, or "" if it is built in
	group     string
	hostKey   string
	pidPath   string
	d         *daemon
}

// newProFTPD prepares ProFTPD: keys and the authorized key file. It skips
// t if proftpd or mod_sftp is missing.
func newProFTPD(t testing.TB, s *Server) *proftpdBackend {
	t.Helper()
	b := &proftpdBackend{
		s:       s,
		bin:     findBinary(t, "proftpd", "proftpd-core", proftpdBin),
		hostKey: filepath.Join(s.base, "ssh_host_ed25519_key"),
		pidPath: filepath.Join(s.base, "proftpd.PID"),
	}
	b.moduleDir = findModSFTP(t, b.bin)
	u, err := user.Current()
	if err != nil {
		t.Fatalf("servertest: current user: %v", err)
	}
	g, err := user.LookupGroupId(u.Gid)
	if err != nil {
		t.Fatalf("servertest: group of the current user: %v", err)
	}
	b.group = g.Name
	if err := s.writeClientKey(); err != nil {
		t.Fatalf("servertest: %v", err)
	}
	// mod_sftp reads authorized keys in RFC 4716 format only.
	ak := rfc4716(s.ClientSigner.PublicKey(), "servertest client")
	if err := os.WriteFile(b.authorizedKeysPath(), []byte(ak), 0o600); err != nil {
		t.Fatalf("servertest: %v", err)
	}
	if err := b.newHostKeys(); err != nil {
		t.Fatalf("servertest: %v", err)
	}
	return b
}

// findModSFTP returns the directory holding mod_sftp.so, or "" if proftpd
// has mod_sftp built in; if it has neither, it skips t.
func findModSFTP(t testing.TB, bin string) string {
	t.Helper()
	for _, d := range modSFTPDirs {
		if _, err := os.Stat(filepath.Join(d, "mod_sftp.so")); err == nil {
			return d
		}
	}
	out, _ := exec.Command(bin, "-l").Output()
	if strings.Contains(string(out), "mod_sftp.c") {
		return ""
	}
	missing(t, fmt.Sprintf("ProFTPD's mod_sftp not found in %s nor built into %s (install proftpd-mod-crypto)",
		strings.Join(modSFTPDirs, ", "), bin))
	return ""
}

// authorizedKeysPath is the file of client keys mod_sftp accepts.
func (b *proftpdBackend) authorizedKeysPath() string {
	return filepath.Join(b.s.base, "authorized_keys.rfc4716")
}

// newHostKeys writes a new ed25519 host key (mod_sftp reads OpenSSH's
// format for those).
func (b *proftpdBackend) newHostKeys() error {
	signer, err := writeEd25519(b.hostKey, "servertest-host")
	if err != nil {
		return fmt.Errorf("host key: %w", err)
	}
	b.s.HostKeys = []ssh.PublicKey{signer.PublicKey()}
	return nil
}

// config returns the text of proftpd.conf for the current port: a
// standalone server on 127.0.0.1 speaking only SFTP, the current user let
// in (root too) with the client key only, no PAM, no /etc/ftpusers, no
// chroot, sessions starting in Dir, and every file ProFTPD writes (PID,
// scoreboard, logs) in the server's private directory.
func (b *proftpdBackend) config() string {
	s := b.s
	lines := []string{
		"# Written by servertest for one test.",
		"ServerType standalone",
		`ServerName "servertest"`,
		"DefaultAddress " + s.Host,
		"SocketBindTight on",
		"UseIPv6 off",
		"Port " + strconv.Itoa(s.Port),
		"User " + s.User,
		"Group " + b.group,
		"Umask 022",
		"PidFile " + b.pidPath,
		"ScoreboardFile " + filepath.Join(s.base, "proftpd.scoreboard"),
		"DelayTable none",
		"WtmpLog off",
		"TransferLog none",
		"SystemLog " + s.LogPath,
		"ControlsEngine off",
		"UseReverseDNS off",
		"AuthPAM off",
		"AuthOrder mod_auth_unix.c",
		"UseFtpUsers off",
		"RootLogin on",
		"RequireValidShell off",
		"DefaultChdir " + s.Dir,
		"AllowOverwrite on",
		"AllowStoreRestart on",
		"AllowRetrieveRestart on",
	}
	if b.moduleDir != "" {
		lines = append(lines,
			"ModulePath "+b.moduleDir,
			"LoadModule mod_sftp.c",
		)
	}
	lines = append(lines,
		"SFTPEngine on",
		"SFTPLog "+s.LogPath,
		"SFTPHostKey "+b.hostKey,
		"SFTPAuthMethods publickey",
		"SFTPAuthorizedUserKeys file:"+b.authorizedKeysPath(),
		"SFTPCompression off",
	)
	return strings.Join(lines, "\n") + "\n"
}

// launch writes the configuration for the current port and runs proftpd
// in the foreground (-n) until it answers.
func (b *proftpdBackend) launch() error {
	cfg := filepath.Join(b.s.base, "proftpd.conf")
	if err := os.WriteFile(cfg, []byte(b.config()), 0o600); err != nil {
		return err
	}
	_ = os.Remove(b.pidPath)
	d, err := spawn(b.s.LogPath, b.s.base, nil, false, b.bin, "-n", "-c", cfg)
	if err != nil {
		return err
	}
	if err := d.waitReady(b.s.Addr, b.pidPath, "SSH-2.0-mod_sftp", nil); err != nil {
		return err
	}
	b.d, b.s.PID = d, d.PID
	return nil
}

// stop stops proftpd and its session processes.
func (b *proftpdBackend) stop() { b.d.stop() }

// killSessions kills proftpd's session processes.
func (b *proftpdBackend) killSessions() bool { return b.d.killSessions() }

// signalSessions stops or continues proftpd's session processes.
func (b *proftpdBackend) signalSessions(stop bool) bool { return b.d.signalSessions(stop) }
