package servertest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// ClientConfig returns a new client configuration that logs in as User
// with ClientSigner and verifies the server against KnownHostsPath, as an
// OpenSSH client with StrictHostKeyChecking would: after a Restart with
// NewHostKey, a connection made with it fails with a *knownhosts.KeyError.
// It fails t if KnownHostsPath cannot be read.
func (s *Server) ClientConfig(t testing.TB) *ssh.ClientConfig {
	t.Helper()
	cb, err := knownhosts.New(s.KnownHostsPath)
	if err != nil {
		t.Fatalf("servertest: %v", err)
	}
	return &ssh.ClientConfig{
		User:            s.User,
		Auth:            []ssh.AuthMethod{ssh.PublicKeys(s.ClientSigner)},
		HostKeyCallback: cb,
		Timeout:         readyTimeout,
	}
}

// Dial connects to the server with ClientConfig and starts an SFTP client
// on the connection. Both are closed when t ends; a failure fails t,
// quoting the server's log.
func (s *Server) Dial(t testing.TB) (*ssh.Client, *sftp.Client) {
	t.Helper()
	c, err := ssh.Dial("tcp", s.Addr, s.ClientConfig(t))
	if err != nil {
		t.Fatalf("servertest: dial %v on %s: %v\n%s", s.Kind, s.Addr, err, s.LogTail())
	}
	sc, err := sftp.NewClient(c)
	if err != nil {
		c.Close()
		t.Fatalf("servertest: start sftp on %v at %s: %v\n%s", s.Kind, s.Addr, err, s.LogTail())
	}
	t.Cleanup(func() {
		sc.Close()
		c.Close()
	})
	return c, sc
}

// KnownHostsLine returns key as a known_hosts line for the server's
// address, in OpenSSH's form "[127.0.0.1]:PORT TYPE BASE64", without a
// trailing newline.
func (s *Server) KnownHostsLine(key ssh.PublicKey) string {
	return knownhosts.Line([]string{knownhosts.Normalize(s.Addr)}, key)
}

// WriteKnownHosts writes a known_hosts file listing keys (all of HostKeys
// if none are given) for the server's address, in a new directory of t's,
// and returns its path.
func (s *Server) WriteKnownHosts(t testing.TB, keys ...ssh.PublicKey) string {
	t.Helper()
	if len(keys) == 0 {
		keys = s.HostKeys
	}
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(s.KnownHostsLine(k) + "\n")
	}
	path := filepath.Join(t.TempDir(), "known_hosts")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatalf("servertest: %v", err)
	}
	return path
}
