package servertest

import (
	"fmt"
	"testing"

	"github.com/ferry-tui/ferry/remote/internal/testhost"
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
	return testhost.DialSFTP(t, s.Addr, s.ClientConfig(t),
		fmt.Sprintf("servertest: dial %v on %s", s.Kind, s.Addr),
		fmt.Sprintf("servertest: start sftp on %v at %s", s.Kind, s.Addr), s.LogTail)
}

// KnownHostsLine returns key as a known_hosts line for the server's
// address, in OpenSSH's form "[127.0.0.1]:PORT TYPE BASE64", without a
// trailing newline.
func (s *Server) KnownHostsLine(key ssh.PublicKey) string {
	return testhost.KnownHostsLine(s.Addr, key)
}

// WriteKnownHosts writes a known_hosts file listing keys (all of HostKeys
// if none are given) for the server's address, in a new directory of t's,
// and returns its path.
func (s *Server) WriteKnownHosts(t testing.TB, keys ...ssh.PublicKey) string {
	t.Helper()
	if len(keys) == 0 {
		keys = s.HostKeys
	}
	return testhost.WriteKnownHosts(t, "servertest", s.Addr, keys)
}
