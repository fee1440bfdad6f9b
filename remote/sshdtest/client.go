package sshdtest

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// ClientConfig returns a new client configuration that logs in as User with
// ClientSigner and accepts only the host keys in HostKeys.
func (s *Server) ClientConfig() *ssh.ClientConfig {
	keys := s.HostKeys.All()
	return &ssh.ClientConfig{
		User: s.User,
		Auth: []ssh.AuthMethod{ssh.PublicKeys(s.ClientSigner)},
		HostKeyCallback: func(_ string, _ net.Addr, key ssh.PublicKey) error {
			for _, k := range keys {
				if bytes.Equal(k.Marshal(), key.Marshal()) {
					return nil
				}
			}
			return fmt.Errorf("sshdtest: host key %s %s is not one of the server's",
				key.Type(), ssh.FingerprintSHA256(key))
		},
		Timeout: readyTimeout,
	}
}

// Dial connects to the server with ClientConfig and starts an SFTP client on
// the connection. Both are closed when t ends; a failure fails t.
func (s *Server) Dial(t testing.TB) (*ssh.Client, *sftp.Client) {
	t.Helper()
	c, err := ssh.Dial("tcp", s.Addr, s.ClientConfig())
	if err != nil {
		t.Fatalf("sshdtest: dial %s: %v\n%s", s.Addr, err, s.logTail(s.readLog()))
	}
	sc, err := sftp.NewClient(c)
	if err != nil {
		c.Close()
		t.Fatalf("sshdtest: start sftp on %s: %v\n%s", s.Addr, err, s.logTail(s.readLog()))
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
		keys = s.HostKeys.All()
	}
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(s.KnownHostsLine(k) + "\n")
	}
	path := filepath.Join(t.TempDir(), "known_hosts")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatalf("sshdtest: %v", err)
	}
	return path
}
