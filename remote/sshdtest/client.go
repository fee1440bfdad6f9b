package sshdtest

import (
	"bytes"
	"fmt"
	"net"
	"testing"

	"github.com/ferry-tui/ferry/remote/internal/testhost"
	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
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
	return testhost.DialSFTP(t, s.Addr, s.ClientConfig(), "sshdtest: dial "+s.Addr, "sshdtest: start sftp on "+s.Addr,
		func() string { return s.logTail(s.readLog()) })
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
		keys = s.HostKeys.All()
	}
	return testhost.WriteKnownHosts(t, "sshdtest", s.Addr, keys)
}
