package remote

import (
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
)

// link is one connection of a session: the SSH client, the SFTP client on
// it, and the pools of extra channels. A session that loses its connection
// dials a new link; every link has a generation number of its own.
type link struct {
	gen     uint64
	ssh     *ssh.Client   // nil for an FS made by NewFS
	sftp    *sftp.Client  // the main SFTP channel
	mux     *rawMux       // ferry's own requests on it; nil when none
	pool    *channelPool  // extra channels for byte ranges; nil when none
	streams *streamPool   // channels for large downloads; nil when none
	closers []io.Closer   // what the connection runs over (jump hosts)
	rx      *rxConn       // when the server last sent anything; nil for NewFS
	owner   *connector    // told when the link dies; nil until installed
	dead    chan struct{} // closed when the link has ended

	once  sync.Once
	cause error // why the link ended; set before dead is closed
}

// newPlainLink is the link of an FS made by NewFS: an SFTP client whose
// connection belongs to the caller.
func newPlainLink(sc *sftp.Client) *link {
	return &link{sftp: sc, dead: make(chan struct{})}
}

// down reports whether the link has ended.
func (l *link) down() bool {
	select {
	case <-l.dead:
		return true
	default:
		return false
	}
}

// deadWithin reports whether the link has ended or ends within d. A call
// that fails because the connection went can return before the watchers
// below have seen it go; d covers that gap.
func (l *link) deadWithin(d time.Duration) bool {
	if l.down() {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-l.dead:
		return true
	case <-t.C:
		return false
	}
}

// watch marks the link dead as soon as its SSH connection or its main SFTP
// channel ends, whoever ended it.
func (l *link) watch() {
	if l.ssh != nil {
		go func() {
			err := l.ssh.Wait()
			if err == nil {
				err = io.EOF
			}
			l.kill(fmt.Errorf("SSH connection ended: %w", err))
		}()
	}
	go func() {
		err := l.sftp.Wait()
		if err == nil {
			err = io.EOF
		}
		l.kill(fmt.Errorf("SFTP channel ended: %w", err))
	}()
}

// kill ends the link, once: it marks it dead, closes the connection, which
// returns every call blocked on it (pkg/sftp calls, range channels,
// streams), and tells the owner, which starts reconnecting. It returns the
// error of closing the SSH connection, if it was still open.
func (l *link) kill(cause error) error {
	first := false
	l.once.Do(func() {
		first = true
		l.cause = cause
		close(l.dead)
	})
	if !first {
		return nil
	}
	err := l.closeConn()
	if l.owner != nil {
		l.owner.lost(l)
	}
	return err
}

// closeConn closes the connection and everything on it. The connection
// goes first: closing it ends every channel at once, even on a server that
// no longer answers, after which the clients close without waiting.
func (l *link) closeConn() error {
	if l.ssh == nil {
		// The connection is the caller's: closing the client is all
		// that can be done, and it waits for the server, so not here.
		go l.sftp.Close()
		return nil
	}
	err := l.ssh.Close()
	if errors.Is(err, net.ErrClosed) {
		err = nil
	}
	closeAll(l.closers)
	l.sftp.Close()
	if l.pool != nil {
		l.pool.close()
	}
	if l.streams != nil {
		l.streams.close()
	}
	return err
}

// serverCommand is the command that runs the SFTP server on l's extra
// channels (Dialer.SFTPServer), or "" for the sftp subsystem.
func (l *link) serverCommand() string {
	switch {
	case l.pool != nil:
		return l.pool.server
	case l.streams != nil:
		return l.streams.server
	}
	return ""
}
