package remote

import (
	"context"
	"errors"
	"io"
	"sync"
	"time"

	"github.com/ferry-tui/ferry/remote/internal/sftpstream"
	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
)

// Large downloads bypass pkg/sftp's read path. pkg/sftp allocates a fresh
// buffer for every packet it receives (255 KiB each against OpenSSH) and
// copies each once more before the caller sees it; on loopback that made
// a 1 GiB download CPU-bound at 0.98x `sftp -c aes128-gcm@openssh.com`.
// sftpstream.Stream reads into buffers it keeps and writes them straight
// to the destination: measured on the same machine, 2.15 s -> 1.80 s of
// wall time and 2.18 s -> 1.76 s of client CPU for 1 GiB.
//
// maxStreams bounds the extra SFTP channels used for streams. Together
// with the range-upload channels they stay within extraChannels
// (channels.go), so a connection stays under OpenSSH's default MaxSessions
// (10) with one channel to spare. Six: at 50 ms, 256 MiB came down in
// 1.95 s of ranges over four and about 1.55 s over six (this 2-core
// machine, through the delay proxy).
const maxStreams = 6

// streamPool lends out sftpstream.Streams, each on its own SFTP channel of
// the session's SSH connection, opened on first need and kept for later
// files.
type streamPool struct {
	ssh          *ssh.Client
	chunk, depth int
	// server is Dialer.SFTPServer: the command each stream runs, or ""
	// for the subsystem.
	server string

	mu      sync.Mutex
	idle    []*streamChan
	open    int // lent out or idle, including ones still opening
	closed  bool
	refused bool // the server refused a channel: no streams from now on
	// most is how many channels the server allowed before it refused one
	// more (its MaxSessions, say): no more are asked for a while.
	most serverLimit
	// others, when set, says how many extra channels the connection's
	// range-upload pool holds; the streams keep to what extraChannels
	// leaves them.
	others func() int

	rttOnce sync.Once
	rtt     time.Duration // the fastest round trip sampled (roundTrip), 0 before any; under mu
	rttErr  error
	ping    func() error // replaces the keepalive that times rtt; for tests
}

// streamChan is one SFTP channel running an sftpstream.Stream.
type streamChan struct {
	sess *ssh.Session
	s    *sftpstream.Stream
	bad  bool // a copy on this lent channel failed: not to be reused
}

// get returns an idle stream or opens one; nil when none may be had now
// (all busy, refused before, closed, or ctx ended while opening), in
// which case the caller reads the ordinary way.
func (p *streamPool) get(ctx context.Context) *streamChan {
	p.mu.Lock()
	if n := len(p.idle); n > 0 {
		c := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return c
	}
	if most := p.most.get(); p.closed || p.refused || p.open >= p.limit() || (most > 0 && p.open >= most) {
		p.mu.Unlock()
		return nil
	}
	p.open++
	p.mu.Unlock()
	c, err := p.dial(ctx)
	if err != nil {
		p.mu.Lock()
		p.open--
		// A server that refuses a channel, or the subsystem, or speaks
		// no SFTP on it, is not asked again; a cancelled open says
		// nothing about the server. One that refuses a channel while
		// others of this pool are open has reached its limit: the pool
		// keeps to the ones it has.
		if ctx.Err() == nil {
			if p.open > 0 {
				p.most.lower(p.open)
			} else {
				p.refused = true
			}
		}
		p.mu.Unlock()
		return nil
	}
	return c
}

// limit is how many streams may be open now: maxStreams, less what the
// range-upload pool holds beyond extraChannels.
func (p *streamPool) limit() int {
	if p.others == nil {
		return maxStreams
	}
	return max(0, min(maxStreams, extraChannels-p.others()))
}

// shed closes idle streams until at most keep are open, so that the
// range-upload pool can open its channels within extraChannels.
func (p *streamPool) shed(keep int) {
	p.mu.Lock()
	var drop []*streamChan
	for p.open > keep && len(p.idle) > 0 {
		n := len(p.idle)
		drop = append(drop, p.idle[n-1])
		p.idle = p.idle[:n-1]
		p.open--
	}
	p.mu.Unlock()
	for _, c := range drop {
		c.sess.Close()
	}
}

// dial opens an SFTP channel and starts the protocol on it. Cancelling
// ctx closes the channel, which ends a server's silence.
func (p *streamPool) dial(ctx context.Context) (*streamChan, error) {
	sess, err := p.ssh.NewSession()
	if err != nil {
		return nil, err
	}
	stop := context.AfterFunc(ctx, func() { sess.Close() })
	defer stop()
	w, err := sess.StdinPipe()
	if err == nil {
		var r io.Reader
		if r, err = sess.StdoutPipe(); err == nil {
			if err = startSFTP(sess, p.server); err == nil {
				var s *sftpstream.Stream
				if s, err = sftpstream.New(r, w, p.chunk, p.depth); err == nil && ctx.Err() == nil {
					return &streamChan{sess: sess, s: s}, nil
				}
			}
		}
	}
	sess.Close()
	if err == nil {
		err = ctx.Err()
	}
	return nil, err
}

// put returns c for reuse, or closes it when it is broken (bad is true)
// or the session is closing.
func (p *streamPool) put(c *streamChan, bad bool) {
	p.mu.Lock()
	if bad || p.closed {
		p.open--
		p.mu.Unlock()
		c.sess.Close()
		return
	}
	p.idle = append(p.idle, c)
	p.mu.Unlock()
}

// close closes the idle streams; ones lent out are closed on return.
func (p *streamPool) close() {
	p.mu.Lock()
	idle := p.idle
	p.idle, p.closed = nil, true
	p.open -= len(idle)
	p.mu.Unlock()
	for _, c := range idle {
		c.sess.Close()
	}
}

// StreamFile copies the remote file name, from off to its end, into dst
// in order, over a stream channel of its own. It costs one OPEN round trip
// more than reading through a handle the caller already has (and, the
// first time, opening the channel), so it pays for large files. handled is
// false when no stream is free or the server refuses more channels; the
// caller then reads through Open. Errors from dst are returned as they
// are; errors reading are *fs.PathError that explain the SFTP status.
// Cancelling ctx stops the copy and closes the channel. When the
// connection is down, StreamFile waits for the session to reconnect, as
// every call does; the error when it cannot is handled.
func (f *FS) StreamFile(ctx context.Context, name string, off int64, dst io.Writer) (n int64, handled bool, err error) {
	return f.streamCopy(ctx, name, off, -1, nil, dst)
}

// streamCopy is StreamFile up to end (below zero: the end of the file),
// over c when it is not nil (a channel lent by LeaseStreams, which stays
// lent) or else over one the pool lends for the copy.
func (f *FS) streamCopy(ctx context.Context, name string, off, end int64, c *streamChan, dst io.Writer) (n int64, handled bool, err error) {
	l, g, err := f.begin(ctx)
	if err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return 0, true, cerr
		}
		return 0, true, beginErr("open", name, err)
	}
	defer g.done()
	if l.streams == nil {
		return 0, false, nil
	}
	leased := c != nil
	if !leased {
		c = l.streams.get(ctx)
	}
	if c == nil {
		if cerr := ctx.Err(); cerr != nil {
			// Cancelled while a channel opened: the copy is over, not
			// left to the caller's ordinary path.
			return 0, true, cerr
		}
		return 0, false, nil
	}
	// Closing the channel ends the copy at once on a server that still
	// answers; the guard closes the connection for one that does not.
	stop := context.AfterFunc(ctx, func() { c.sess.Close() })
	n, opened, bad, err := c.copy(name, off, end, dst)
	cancelled := !stop()
	if cancelled {
		// The channel was closed under the copy.
		bad = true
		if err != nil {
			err = ctx.Err()
		}
	}
	if leased {
		c.bad = c.bad || bad
	} else {
		l.streams.put(c, bad)
	}
	if !opened && bad && !cancelled {
		if l.deadWithin(lostGrace) {
			// The connection went before the file was open.
			return 0, true, lostErr("open", name)
		}
		// The channel failed before the file was open (an idle channel
		// the server has since closed, say): nothing was written, so the
		// caller's ordinary path can still have the file.
		return 0, false, nil
	}
	return n, true, err
}

// copy opens, reads and closes name on c. opened reports that the server
// answered the OPEN with a handle; bad that c must not be used again.
func (c *streamChan) copy(name string, off, end int64, dst io.Writer) (n int64, opened, bad bool, err error) {
	h, err := c.s.Open(name)
	if err != nil {
		return 0, false, !isStatus(err), streamErr("open", name, err)
	}
	n, rerr, werr := c.s.CopyRange(dst, h, off, end)
	if werr != nil {
		return n, true, true, werr
	}
	if rerr != nil {
		return n, true, true, streamErr("read", name, rerr)
	}
	// Every byte has arrived: a failing CLOSE of a read handle costs the
	// copy nothing (the ordinary path ignores it too), but a channel out
	// of step is not reused.
	if err := c.s.Close(h); err != nil && !isStatus(err) {
		return n, true, true, nil
	}
	return n, true, false, nil
}

// isStatus reports whether err is an SFTP status (the stream is still in
// step with the server).
func isStatus(err error) bool {
	var st *sftp.StatusError
	return errors.As(err, &st)
}

// streamErr explains an error of a stream as wrapErr explains pkg/sftp's:
// an SFTP status with its meaning, a protocol error or a file that changed
// under the copy with its cause, and a channel that ended as a lost
// connection.
func streamErr(op, name string, err error) error {
	if isStatus(err) || errors.Is(err, sftpstream.ErrProtocol) || errors.Is(err, sftpstream.ErrChangedWhileRead) {
		return wrapErr(op, name, err)
	}
	// Anything else failed reading or writing the channel: it ended
	// (io.EOF), or the connection under it was closed, in which case
	// x/crypto may hand back the transport's own error.
	return lostErr(op, name)
}
