package remote

import (
	"net"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/ssh"
)

// Liveness defaults, as OpenSSH users expect from ServerAliveInterval 15
// and ServerAliveCountMax 3.
const (
	defaultAliveInterval = 15 * time.Second
	defaultAliveCountMax = 3
	// idleSlack is added to interval x count for the read deadline.
	idleSlack = 5 * time.Second
)

// idleConn is a net.Conn whose reads fail when nothing at all has arrived
// for idle. Keepalive replies keep a healthy but quiet connection alive.
// Connections without deadline support (ProxyJump channels, ProxyCommand
// pipes) fall back on the keepalive loop alone.
type idleConn struct {
	net.Conn
	idle  time.Duration
	armed atomic.Bool // set after the handshake, which has its own timeout
}

// arm starts the idle deadline.
func (c *idleConn) arm() { c.armed.Store(true) }

func (c *idleConn) Read(p []byte) (int, error) {
	if c.armed.Load() {
		_ = c.Conn.SetReadDeadline(time.Now().Add(c.idle))
	}
	return c.Conn.Read(p)
}

// keepalive sends keepalive@openssh.com every interval and closes conn
// once count requests in a row have gone unanswered for an interval each,
// so a stalled server becomes "connection lost" within about
// interval x count. It returns when the connection ends or stop is closed.
func keepalive(c ssh.Conn, interval time.Duration, count int, stop <-chan struct{}) {
	t := time.NewTicker(interval)
	defer t.Stop()
	var mu sync.Mutex
	missed := 0
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		mu.Lock()
		if missed >= count {
			mu.Unlock()
			c.Close()
			return
		}
		missed++
		mu.Unlock()
		go func() {
			if _, _, err := c.SendRequest("keepalive@openssh.com", true, nil); err == nil {
				mu.Lock()
				missed = 0
				mu.Unlock()
			}
		}()
	}
}
