package transfer_test

import (
	"strconv"
	"testing"

	"github.com/ferry-tui/ferry/remote"
	"github.com/ferry-tui/ferry/remote/sshdtest"
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
	rfs, err := remote.NewFSOn("sshd:"+strconv.Itoa(s.Port), c, remote.SFTPOptions(string(c.ServerVersion()))...)
	if err != nil {
		c.Close()
		t.Fatalf("sftp on %s: %v", s.Addr, err)
	}
	t.Cleanup(func() {
		rfs.Client().Close()
		c.Close()
	})
	return rfs, c
}
