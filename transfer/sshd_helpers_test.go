package transfer_test

import (
	"strconv"
	"testing"

	"github.com/ferry-tui/ferry/remote"
	"github.com/ferry-tui/ferry/remote/sshdtest"
	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
)

// startSSHD runs a real OpenSSH sshd for t and returns it.
func startSSHD(t *testing.T) *sshdtest.Server {
	t.Helper()
	return sshdtest.Start(t)
}

// dialFS connects to s with the SFTP options ferry uses in real life and
// returns the file system and the SSH connection under it (closing that
// is how tests cut the link).
func dialFS(t testing.TB, s *sshdtest.Server) (*remote.FS, *ssh.Client) {
	t.Helper()
	c, err := ssh.Dial("tcp", s.Addr, s.ClientConfig())
	if err != nil {
		t.Fatalf("dial %s: %v", s.Addr, err)
	}
	sc, err := sftp.NewClient(c, remote.SFTPOptions(string(c.ServerVersion()))...)
	if err != nil {
		c.Close()
		t.Fatalf("sftp on %s: %v", s.Addr, err)
	}
	t.Cleanup(func() {
		sc.Close()
		c.Close()
	})
	return remote.NewFS("sshd:"+strconv.Itoa(s.Port), sc), c
}
