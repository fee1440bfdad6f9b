package remote

import (
	"testing"

	"github.com/ferry-tui/ferry/remote/servertest"
)

// TestServersPipelining checks which of servertest's servers get ferry's
// pipelined requests: OpenSSH's sshd with its own SFTP server does;
// Dropbear (OpenSSH's sftp-server behind another SSH server), ProFTPD,
// AsyncSSH and ferry demo's server do not.
func TestServersPipelining(t *testing.T) {
	t.Parallel()
	for _, kind := range servertest.Kinds() {
		t.Run(kind.String(), func(t *testing.T) {
			t.Parallel()
			s := servertest.Start(t, kind)
			c, sc := s.Dial(t)
			sc.Close()
			f, err := NewFSOn(kind.String(), c)
			if err != nil {
				t.Fatalf("%v\n%s", err, s.LogTail())
			}
			if got, want := f.cur().mux != nil, kind == servertest.OpenSSH; got != want {
				t.Errorf("%v at %s: pipelined %v, want %v", kind, c.ServerVersion(), got, want)
			}
		})
	}
}
