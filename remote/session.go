package remote

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/ferry-tui/ferry/config"
	"github.com/ferry-tui/ferry/remote/knownhosts"
	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
)

// Session is one SSH connection with an SFTP client on it, which dials
// again by itself when the connection drops (see Dialer.Dial). Its methods
// are safe for concurrent use.
type Session struct {
	// Host is the resolved destination the session was dialled with.
	Host config.Host
	// FS is the session's file system. It stays the same across
	// reconnects: each call runs on the connection of the moment.
	FS *FS

	c *connector
}

// SSH returns the current SSH connection. It changes when the session
// reconnects; closing it makes the session reconnect.
func (s *Session) SSH() *ssh.Client { return s.c.cur.Load().ssh }

// SFTP returns the SFTP client on the current connection. It changes when
// the session reconnects.
func (s *Session) SFTP() *sftp.Client { return s.c.cur.Load().sftp }

// State returns the latest state of the connection.
func (s *Session) State() ConnEvent { return s.c.State() }

// Watch returns a channel that receives the connection's state changes,
// starting with the current state, and a function that stops them and
// closes the channel. A reader that falls behind loses the oldest
// changes, never the latest; the channel is closed when the session is.
func (s *Session) Watch() (<-chan ConnEvent, func()) { return s.c.Watch() }

// Close stops reconnecting, makes every call waiting for the connection
// return ErrSessionClosed, and closes the SFTP client and the SSH
// connection. Closing twice is harmless.
func (s *Session) Close() error { return s.c.close() }

// ConnError is a failure to connect or authenticate. Commands exit with
// status 255 for it, as ssh does.
type ConnError struct {
	// Host is the destination as the user named it.
	Host string
	// Err is the cause.
	Err error
}

// Error names the host and the cause.
func (e *ConnError) Error() string { return fmt.Sprintf("connect to %s: %v", e.Host, e.Err) }

// Unwrap returns the cause.
func (e *ConnError) Unwrap() error { return e.Err }

// Dialer connects to hosts. One Dialer serves a whole process, so that
// several connections to one new host ask about its key once.
type Dialer struct {
	// Prompter asks for passwords, passphrases and host-key decisions;
	// nil means NoPrompter.
	Prompter Prompter
	// Jumps resolves the ProxyJump chain of a host into its hops, first
	// hop first, each with its own configuration and with the hops before
	// it as its ProxyJump (config.ResolveJumps). nil refuses ProxyJump.
	Jumps func(h config.Host) ([]config.Host, error)
	// AgentSocket is the ssh-agent socket to use when the host's
	// IdentityAgent is unset (the caller passes $SSH_AUTH_SOCK).
	AgentSocket string
	// Stderr receives a ProxyCommand's standard error; nil discards it.
	Stderr io.Writer
	// Log receives debug lines (ferry -v); never secrets. nil discards.
	Log io.Writer
	// KnownHosts checks and records host keys. Share one across the
	// Dialers of a process so a new host is asked about once; nil makes a
	// fresh one per Dial.
	KnownHosts *knownhosts.Checker
	// ReconnectAttempts is how many times a session dials again after
	// losing its connection before it gives up, per outage. 0 means
	// DefaultReconnectAttempts; a negative value turns reconnecting off.
	ReconnectAttempts int
	// ReconnectBackoff returns how long a session waits before reconnect
	// attempt n (1-based); nil means DefaultBackoff.
	ReconnectBackoff func(attempt int) time.Duration
	// SFTPServer, when not empty, is a command run through an exec
	// request whose standard input and output speak SFTP, instead of the
	// sftp subsystem, on every SFTP channel of the session, as sftp -s
	// does: "sudo -n /usr/lib/openssh/sftp-server" manages root-owned
	// files. A command that fails is a *ServerCommandError.
	SFTPServer string
}

// prompter returns d.Prompter, or NoPrompter when it is nil.
func (d *Dialer) prompter() Prompter {
	if d.Prompter == nil {
		return NoPrompter{}
	}
	return d.Prompter
}

// Dial connects to h with a zero Dialer: no prompts, hops dialled as named.
func Dial(ctx context.Context, h config.Host) (*Session, error) {
	var d Dialer
	return d.Dial(ctx, h)
}

// Dial connects to h (through its ProxyJump chain or ProxyCommand),
// verifies its host key, authenticates, and starts an SFTP client tuned for
// throughput. Failures are *ConnError.
//
// When the connection drops later, the session dials h again through d, in
// the background and with backoff (ReconnectAttempts, ReconnectBackoff):
// the same ProxyJump chain or ProxyCommand, the host key checked again (a
// changed one is refused, as always), the Prompter asked again for what
// authentication needs. d must stay usable for the session's life.
func (d *Dialer) Dial(ctx context.Context, h config.Host) (*Session, error) {
	l, err := d.dialLink(ctx, h)
	if err != nil {
		return nil, &ConnError{Host: h.Alias, Err: err}
	}
	attempts := d.ReconnectAttempts
	if attempts == 0 {
		attempts = DefaultReconnectAttempts
	}
	backoff := d.ReconnectBackoff
	if backoff == nil {
		backoff = DefaultBackoff
	}
	var redial func(context.Context) (*link, error)
	if attempts > 0 {
		rh := h
		if rh.ConnectTimeout <= 0 {
			// A reconnect must not hang on a server that accepts and
			// says nothing; prompts do not count against it.
			rh.ConnectTimeout = reconnectTimeout
		}
		redial = func(ctx context.Context) (*link, error) { return d.dialLink(ctx, rh) }
	}
	c := newConnector(h.Alias, redial, attempts, backoff, d.logf)
	c.start(l)
	return &Session{Host: h, FS: &FS{label: h.Alias, c: c}, c: c}, nil
}

// dialLink connects to h and starts the SFTP client and the (still empty)
// channel pools of one connection.
func (d *Dialer) dialLink(ctx context.Context, h config.Host) (*link, error) {
	c, err := d.dialSSH(ctx, h, nil, nil)
	if err != nil {
		return nil, err
	}
	chunk, depth := readTuning(string(c.ServerVersion()))
	opts := sftpOptions(chunk, depth)
	// Starting the subsystem waits on the server: ctx ends the wait.
	stop := context.AfterFunc(ctx, func() { c.Close() })
	sc, mux, err := newMuxedSFTPClient(c.Client, d.SFTPServer, opts)
	if !stop() {
		if err == nil {
			sc.Close()
		}
		return nil, ctx.Err()
	}
	if err != nil {
		c.Close()
		if d.SFTPServer != "" {
			return nil, err
		}
		return nil, fmt.Errorf("start sftp subsystem: %w", err)
	}
	streams := &streamPool{ssh: c.Client, chunk: chunk, depth: depth, server: d.SFTPServer}
	// The round trip that sizes a large download's channels is timed
	// now, in the background, so that the first large download does not
	// wait for it. Not earlier: beside the subsystem's start, the
	// server's answer is late (on loopback, 6 channels instead of 1).
	go streams.roundTrip()
	var pool *channelPool // extra channels for byte ranges
	if rangesBroken(string(c.ServerVersion())) {
		d.logf("%s: byte ranges off: %q breaks on parallel writes to one file", h.Alias, c.ServerVersion())
	} else {
		pool = &channelPool{ssh: c.Client, opts: opts, server: d.SFTPServer, shed: streams.shed}
		streams.others = pool.held
	}
	return &link{
		ssh:     c.Client,
		sftp:    sc,
		mux:     mux,
		pool:    pool,
		streams: streams,
		closers: c.closers,
		rx:      c.rx,
		dead:    make(chan struct{}),
	}, nil
}

// sshConn is an SSH client plus whatever it runs over (jump hosts), closed
// after it in reverse order.
type sshConn struct {
	*ssh.Client
	closers []io.Closer
	rx      *rxConn // the connection's bytes from the server, timed
}

// Close closes the client and then every hop beneath it.
func (c *sshConn) Close() error {
	err := c.Client.Close()
	closeAll(c.closers)
	return err
}

// logf writes one debug line to d.Log, prefixed "debug: " as
// authentication's lines are.
func (d *Dialer) logf(format string, args ...any) {
	if d.Log != nil {
		fmt.Fprintf(d.Log, "debug: "+format+"\n", args...)
	}
}

// maxJumps bounds a ProxyJump chain.
const maxJumps = 16

// dialSSH connects to h, through its ProxyJump chain if it has one. seen
// holds the user@host:port of the hosts this connection is being made for,
// so that a chain that comes back to itself (Host * / ProxyJump bastion
// reaching bastion again) is refused, as OpenSSH's "jumphost loop" is.
// pre, when not empty, is h's ProxyJump chain already resolved (the hops
// before h in its caller's chain), so that each hop is resolved once.
func (d *Dialer) dialSSH(ctx context.Context, h config.Host, seen []string, pre []config.Host) (*sshConn, error) {
	if h.Port == 0 {
		h.Port = 22
	}
	addr := net.JoinHostPort(h.HostName, strconv.Itoa(h.Port))
	// A loop is the chain coming back to a host it is already resolving,
	// by name, as OpenSSH sees it. The same address is not a loop: dialled
	// from another hop it can be another machine, or the same one reached
	// twice on purpose.
	id := h.Alias
	if id == "" {
		id = h.User + "@" + addr
	}
	for _, s := range seen {
		if s == id {
			return nil, fmt.Errorf("jump host loop via %s", h.Alias)
		}
	}
	if len(seen) >= maxJumps {
		return nil, fmt.Errorf("more than %d jump hosts", maxJumps)
	}
	seen = append(seen[:len(seen):len(seen)], id)
	var (
		conn    net.Conn
		closers []io.Closer
		err     error
	)
	switch {
	case h.ProxyJump != "" && !strings.EqualFold(h.ProxyJump, "none"):
		hops := pre
		if len(hops) == 0 {
			if hops, err = d.resolveJumps(h); err != nil {
				return nil, fmt.Errorf("ProxyJump %s: %w", h.ProxyJump, err)
			}
		}
		// The last hop carries h; the hops before it carry the last one.
		hop := hops[len(hops)-1]
		last := hop.Alias
		d.logf("connecting to %s via jump host %s", addr, last)
		jc, err := d.dialSSH(ctx, hop, seen, hops[:len(hops)-1])
		if err != nil {
			return nil, fmt.Errorf("jump host %s: %w", last, err)
		}
		closers = append(jc.closers, jc.Client)
		conn, err = jc.Client.DialContext(ctx, "tcp", addr)
		if err != nil {
			closeAll(closers)
			return nil, fmt.Errorf("jump host %s cannot reach %s: %w", last, addr, err)
		}
	case h.ProxyCommand != "" && !strings.EqualFold(h.ProxyCommand, "none"):
		d.logf("executing ProxyCommand: %s", h.ProxyCommand)
		conn, err = proxyCommandConn(ctx, h.ProxyCommand, addr, d.Stderr)
		if err != nil {
			return nil, err
		}
	default:
		d.logf("connecting to %s", addr)
		dctx := ctx
		if h.ConnectTimeout > 0 {
			var cancel context.CancelFunc
			dctx, cancel = context.WithTimeout(ctx, h.ConnectTimeout)
			defer cancel()
		}
		var nd net.Dialer
		conn, err = nd.DialContext(dctx, "tcp", addr)
		if err != nil {
			var dnsErr *net.DNSError
			if errors.As(err, &dnsErr) && dnsErr.IsNotFound {
				return nil, fmt.Errorf("no such host %q: it is not an alias in your ssh config and DNS does not know it (%w)", h.HostName, err)
			}
			return nil, err
		}
		interval, count := aliveSettings(h)
		ic := &idleConn{Conn: conn, idle: interval*time.Duration(count) + idleSlack}
		conn = ic
		defer ic.arm() // only once connected: prompts may take their time
	}
	rx := &rxConn{Conn: conn}
	c, err := d.handshake(ctx, h, addr, rx)
	if err != nil {
		conn.Close()
		closeAll(closers)
		return nil, err
	}
	return &sshConn{Client: c, closers: closers, rx: rx}, nil
}

// resolveJumps resolves h's ProxyJump hops with their own configuration.
func (d *Dialer) resolveJumps(h config.Host) ([]config.Host, error) {
	if d.Jumps == nil {
		return nil, fmt.Errorf("no resolver for jump hosts")
	}
	hops, err := d.Jumps(h)
	if err == nil && len(hops) == 0 {
		err = fmt.Errorf("no jump hosts in %q", h.ProxyJump)
	}
	return hops, err
}

func closeAll(cs []io.Closer) {
	for i := len(cs) - 1; i >= 0; i-- {
		cs[i].Close()
	}
}
