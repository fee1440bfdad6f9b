package remote

import (
	"fmt"
	"net"
	"sync/atomic"
	"time"
)

// rxConn is a net.Conn that notes when it last received bytes, so that a
// caller about to close a connection under a cancelled call can tell a
// silent server (close it) from a slow one still delivering (let it be).
type rxConn struct {
	net.Conn
	last atomic.Int64 // Unix nanoseconds of the last read that returned data
}

func (c *rxConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.last.Store(time.Now().UnixNano())
	}
	return n, err
}

// LastReceived returns when the server last sent anything on connection
// gen; the zero time when gen is no longer the current connection or
// nothing is known.
func (f *FS) LastReceived(gen uint64) time.Time {
	l := f.c.cur.Load()
	if l.gen != gen || l.rx == nil {
		return time.Time{}
	}
	if ns := l.rx.last.Load(); ns != 0 {
		return time.Unix(0, ns)
	}
	return time.Time{}
}

// AbortGen closes connection gen, as Abort does, only while it is still
// the current one: a caller that noted gen before a reconnect never closes
// the connection that replaced it.
func (f *FS) AbortGen(gen uint64, cause error) {
	l := f.c.cur.Load()
	if l.gen != gen {
		return
	}
	f.c.logf("%s: closing connection %d: %v", f.label, l.gen, cause)
	l.kill(fmt.Errorf("aborted: %w", cause))
}
