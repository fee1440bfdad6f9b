package remote

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/remote/internal/sftpwire"
	"github.com/pkg/sftp"
)

// TestRawMuxFailUnblocksWriters checks that an answer the mux cannot
// take (too long for any request of its own) ends the link even while
// pkg/sftp's writer is blocked on the channel holding the write lock:
// the mux ends the whole channel, the writer returns, pkg/sftp's client
// ends and every call returns an error instead of hanging.
func TestRawMuxFailUnblocksWriters(t *testing.T) {
	gotOpen := make(chan struct{})
	release := make(chan struct{})
	f, m := fakeFSMux(t, func(typ byte, id uint32, body []byte) []byte {
		if typ == sftpwire.TypeOpen {
			close(gotOpen)
			<-release // read nothing more for now: the client's next write blocks
			return packet(sftpwire.TypeData, id, make([]byte, rawMaxAnswer+1))
		}
		return packet(sftpwire.TypeStatus, id, statusBody(0))
	})
	l := f.cur()
	read := make(chan error, 1)
	go func() { _, err := f.ReadSmall(context.Background(), "/a", 10); read <- err }()
	<-gotOpen
	lstat := make(chan error, 1)
	go func() { _, err := f.Lstat(context.Background(), "/x"); lstat <- err }()
	// pkg/sftp's LSTAT is being written, and blocks: the server reads nothing.
	waitUntil(t, "pkg/sftp's LSTAT to start", func() bool {
		if m.wmu.TryLock() {
			m.wmu.Unlock()
			return false
		}
		return true
	})
	close(release)

	select {
	case <-l.dead:
	case <-time.After(10 * time.Second):
		t.Fatal("the link did not end after the mux's reader failed")
	}
	for name, ch := range map[string]chan error{"Lstat": lstat, "ReadSmall": read} {
		select {
		case err := <-ch:
			if err == nil {
				t.Errorf("%s succeeded on a channel that ended", name)
			}
		case <-time.After(10 * time.Second):
			t.Errorf("%s still blocked after the link ended", name)
		}
	}
}

// TestInOrderServerNeedsOpenSSHSFTP checks that pipelining needs both
// OpenSSH's banner and an SFTP server advertising an extension of
// OpenSSH's sftp-server: another SFTP server behind OpenSSH's sshd does
// not get it.
func TestInOrderServerNeedsOpenSSHSFTP(t *testing.T) {
	const openssh, dropbear = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3", "SSH-2.0-dropbear_2022.83"
	for _, tc := range []struct {
		banner string
		ext    []string
		want   bool
	}{
		{openssh, []string{"posix-rename@openssh.com", "lsetstat@openssh.com"}, true},
		{openssh, []string{"limits@openssh.com"}, true},
		{openssh, []string{"posix-rename@openssh.com", "hardlink@openssh.com"}, false},
		{openssh, nil, false},
		{dropbear, []string{"lsetstat@openssh.com", "limits@openssh.com"}, false},
	} {
		cr, sw := io.Pipe()
		sr, cw := io.Pipe()
		go (&fakeServer{r: sr, w: sw, ext: tc.ext}).serve()
		sc, err := sftp.NewClientPipe(cr, cw)
		if err != nil {
			t.Fatal(err)
		}
		if got := inOrderServer(tc.banner, sc.HasExtension); got != tc.want {
			t.Errorf("inOrderServer(%q, %q) = %v, want %v", tc.banner, tc.ext, got, tc.want)
		}
		sw.Close()
		sc.Close()
	}
}
