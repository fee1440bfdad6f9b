//go:build unix

package servertest

import (
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
)

// Where Debian installs Dropbear (dropbear-bin), OpenSSH's sftp-server
// (openssh-sftp-server) and util-linux's tools.
const (
	dropbearBin    = "/usr/sbin/dropbear"
	dropbearKeyBin = "/usr/bin/dropbearkey"
	unshareBin     = "/usr/bin/unshare"
	mountBin       = "/usr/bin/mount"
)

// sftpServers are where systems put OpenSSH's sftp-server. Dropbear's own
// compiled-in path is /usr/lib/sftp-server on Debian, a link to the first.
var sftpServers = []string{
	"/usr/lib/openssh/sftp-server",
	"/usr/libexec/openssh/sftp-server",
	"/usr/lib/sftp-server",
	"/usr/libexec/sftp-server",
}

// dropbearBackend runs Dropbear in the foreground with OpenSSH's
// sftp-server for the sftp subsystem.
//
// Dropbear 2022.83 reads a user's authorized keys from ~/.ssh/
// authorized_keys only, with ~ the home directory from the password
// database (not $HOME), and has no option for another file. So that the
// real ~/.ssh is never read or written, dropbear runs in a private mount
// namespace (unshare --mount, propagation private) in which a directory of
// the test's is bind-mounted over the user's home: only that dropbear and
// its sessions see it, and it vanishes with them. That needs root (which
// is also the only user this package logs in as with Dropbear).
//
// Dropbear starts sessions in the home directory; to start them in Dir
// instead, a forced command (-c) runs "sftp-server -d Dir" for every
// session, the sftp subsystem included.
type dropbearBackend struct {
	s                           *Server
	bin, keyBin, unshare, mount string
	sftpServer                  string
	home                        string // the user's real home, which the namespace covers
	fakeHome                    string // what covers it: .ssh/authorized_keys
	pidPath                     string
	d                           *daemon
}

// newDropbear prepares Dropbear: keys and the home directory with
// authorized_keys. It skips t if a part is missing or the process is not
// root.
func newDropbear(t testing.TB, s *Server) *dropbearBackend {
	t.Helper()
	b := &dropbearBackend{
		s:          s,
		bin:        findBinary(t, "dropbear", "dropbear-bin", dropbearBin),
		keyBin:     findBinary(t, "dropbearkey", "dropbear-bin", dropbearKeyBin),
		unshare:    findBinary(t, "unshare", "util-linux", unshareBin),
		mount:      findBinary(t, "mount", "mount", mountBin, "/bin/mount"),
		sftpServer: findBinary(t, "sftp-server", "openssh-sftp-server", sftpServers...),
		fakeHome:   filepath.Join(s.base, "home"),
		pidPath:    filepath.Join(s.base, "dropbear.pid"),
	}
	if os.Geteuid() != 0 {
		missing(t, "Dropbear reads authorized keys only from ~/.ssh of the login user; servertest hides the real one "+
			"behind a private mount namespace, which needs root")
	}
	u, err := user.Current()
	if err != nil {
		t.Fatalf("servertest: current user: %v", err)
	}
	b.home = u.HomeDir
	if fi, err := os.Stat(b.home); err != nil || !fi.IsDir() {
		t.Fatalf("servertest: Dropbear needs the home directory of %s, %q, to cover: %v", u.Username, b.home, err)
	}
	if err := s.writeClientKey(); err != nil {
		t.Fatalf("servertest: %v", err)
	}
	// Dropbear insists that the home directory, ~/.ssh and the file are
	// not writable by others; t.TempDir's 0700 suits it.
	sshDir := filepath.Join(b.fakeHome, ".ssh")
	if err := os.MkdirAll(sshDir, 0o700); err != nil {
		t.Fatalf("servertest: %v", err)
	}
	pub := ssh.MarshalAuthorizedKey(s.ClientSigner.PublicKey())
	if err := os.WriteFile(filepath.Join(sshDir, "authorized_keys"), pub, 0o600); err != nil {
		t.Fatalf("servertest: %v", err)
	}
	if err := b.newHostKeys(); err != nil {
		t.Fatalf("servertest: %v", err)
	}
	return b
}

// newHostKeys has dropbearkey write new host keys in Dropbear's format,
// ed25519 and RSA, and reads their public halves back.
//
// The RSA key is there because Dropbear 2022.83 offers rsa-sha2-256 even
// without one, and a client that picks it (x/crypto's default order
// does, when nothing tells it which key is known) makes the connection
// process abort on a failed assertion (rsa.c:164, key != NULL).
func (b *dropbearBackend) newHostKeys() error {
	var keys []ssh.PublicKey
	for _, k := range b.hostKeys() {
		_ = os.Remove(k.path) // dropbearkey will not overwrite
		args := append([]string{"-t", k.keyType, "-f", k.path}, k.args...)
		if out, err := exec.Command(b.keyBin, args...).CombinedOutput(); err != nil {
			return fmt.Errorf("dropbearkey: %v: %s", err, out)
		}
		pk, err := b.publicKey(k.path)
		if err != nil {
			return err
		}
		keys = append(keys, pk)
	}
	b.s.HostKeys = keys
	return nil
}

// dropbearKey is a host key file of Dropbear's and how to make it.
type dropbearKey struct {
	keyType, path string
	args          []string
}

// hostKeys returns the host key files, in the order Dropbear gets them.
func (b *dropbearBackend) hostKeys() []dropbearKey {
	return []dropbearKey{
		{keyType: "ed25519", path: filepath.Join(b.s.base, "dropbear_ed25519_host_key")},
		{keyType: "rsa", path: filepath.Join(b.s.base, "dropbear_rsa_host_key"), args: []string{"-s", "2048"}},
	}
}

// publicKey reads the public half of a Dropbear key file.
func (b *dropbearBackend) publicKey(path string) (ssh.PublicKey, error) {
	out, err := exec.Command(b.keyBin, "-y", "-f", path).Output()
	if err != nil {
		return nil, fmt.Errorf("dropbearkey -y: %w", err)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "ssh-") {
			pk, _, _, _, err := ssh.ParseAuthorizedKey([]byte(line))
			if err != nil {
				return nil, fmt.Errorf("dropbearkey -y: %w", err)
			}
			return pk, nil
		}
	}
	return nil, fmt.Errorf("dropbearkey -y printed no public key: %q", out)
}

// launch runs dropbear in its mount namespace until it answers.
func (b *dropbearBackend) launch() error {
	s := b.s
	_ = os.Remove(b.pidPath)
	// unshare runs sh without forking, and sh execs dropbear, so the
	// process started is dropbear's; the paths go as arguments, never
	// through the shell's parser.
	argv := []string{
		b.unshare, "--mount", "--propagation", "private", "--",
		"/bin/sh", "-c", `"$1" --bind "$2" "$3" && shift 3 && exec "$@"`, "servertest-dropbear",
		b.mount, b.fakeHome, b.home,
		b.bin,
		"-F",       // foreground
		"-E",       // log to standard error
		"-s",       // no password logins
		"-j", "-k", // no port forwarding
		"-p", s.Addr, // listen here only
		"-P", b.pidPath, // not /var/run/dropbear.pid
		"-c", b.sftpServer + " -d '" + s.Dir + "'", // every session: sftp-server in Dir
	}
	for _, k := range b.hostKeys() {
		argv = append(argv, "-r", k.path) // these host keys only
	}
	d, err := spawn(s.LogPath, s.base, nil, false, argv...)
	if err != nil {
		return err
	}
	err = d.waitReady(s.Addr, b.pidPath, "SSH-2.0-dropbear", nil)
	if err != nil {
		log := d.newLog()
		if strings.Contains(log, "unshare failed") || strings.Contains(log, "mount:") {
			return &missingError{msg: "Dropbear needs a private mount namespace to hide ~/.ssh, which failed here: " +
				strings.TrimSpace(log)}
		}
		return err
	}
	b.d, s.PID = d, d.PID
	return nil
}

// stop stops dropbear and its connection processes.
func (b *dropbearBackend) stop() { b.d.stop() }

// killSessions kills dropbear's connection processes and their
// sftp-servers.
func (b *dropbearBackend) killSessions() bool { return b.d.killSessions() }

// signalSessions stops or continues dropbear's connection processes.
func (b *dropbearBackend) signalSessions(stop bool) bool { return b.d.signalSessions(stop) }
