package remote

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"sync"
	"time"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
)

// rangeChannels is the most SFTP channels one large file's byte ranges
// use, counting the file's own. One SSH channel carries at most about one
// window (~2 MiB) per round trip; several lift that. Measured against
// OpenSSH 9.2 on loopback: 1 GiB up 0.98x -> 1.14x sftp -c aes128-gcm
// with 2; at 10 ms RTT, 64 MiB up 1.12x -> 1.74x sftp with 4; at 50 ms,
// 256 MiB up took 3.6-3.8 s with 4 and 3.0-3.1 s with 7 (ferry cp, once
// the channels opened at once). A file uses 4 (keptRangeChannels extra),
// or as many as its round trip needs (wantStreams) up to this.
const rangeChannels = 7

// keptRangeChannels is how many extra channels the pool keeps open from one
// large file to the next; the ones beyond close when the last range using
// them ends, so that the download streams keep their share of
// extraChannels.
const keptRangeChannels = 3

// extraChannels bounds the channels one connection opens besides its main
// one: the range-upload pool's (rangeChannels-1) and the download
// streams (maxStreams) together. OpenSSH allows 10 sessions by default
// (MaxSessions); the main channel and these leave one for a command
// (checksums, owner names) while both pools are full.
const extraChannels = 8

// channelPool opens extra SFTP clients (channels) on one SSH connection,
// lazily, and keeps them for every later large file.
type channelPool struct {
	ssh  *ssh.Client
	opts []sftp.ClientOption
	// server is Dialer.SFTPServer: the command each channel runs, or ""
	// for the subsystem.
	server string

	// shed, when set, asks the connection's download streams to close
	// idle channels until at most keep are open (streamPool.shed).
	shed func(keep int)

	mu      sync.Mutex
	slots   [rangeChannels - 1]*poolSlot // extra channel i in slots[i-1]
	closed  bool
	refused bool // the server refused a channel: no ranges from now on
	// most is how many extra channels the server allowed before it
	// refused one more (its MaxSessions, say): later files' ranges keep
	// to them for a while.
	most serverLimit
}

// limitFor is how long a pool keeps to the channels a server allowed
// before it refused one. A server counts a channel until it has finished
// closing it, so a refusal right after other channels closed can be
// passing; after this, more are asked for again.
const limitFor = 5 * time.Second

// serverLimit is how many channels a server allowed before it refused
// one, kept for limitFor; the zero value is no limit. Its pool's mutex
// guards it.
type serverLimit struct {
	n  int
	at time.Time
}

// get returns the limit, 0 when there is none or it has expired.
func (l *serverLimit) get() int {
	if l.n > 0 && time.Since(l.at) > limitFor {
		l.n = 0
	}
	return l.n
}

// lower sets the limit to n (above 0) when that is lower than the one in
// force.
func (l *serverLimit) lower(n int) {
	if m := l.get(); m == 0 || n < m {
		l.n, l.at = n, time.Now()
	}
}

// poolSlot is one extra channel of a channelPool, open or opening.
type poolSlot struct {
	ready chan struct{} // closed when the open has ended
	c     *sftp.Client  // set before ready is closed, when it opened
	err   error         // why it did not
	users int           // range writers open on it; guarded by the pool's mu
}

// held is how many channels the pool has open or is opening.
func (p *channelPool) held() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.heldLocked()
}

// limit is how many extra channels the server allows, 0 when unknown.
func (p *channelPool) limit() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.most.get()
}

func (p *channelPool) heldLocked() int {
	n := 0
	for _, s := range p.slots {
		if s != nil {
			n++
		}
	}
	return n
}

// client returns extra channel i (1 to rangeChannels-1), opening it on
// first use; calls for different channels open them at once, and a call
// for a channel that is opening waits for it. A server that refuses a
// channel while none other is open is not asked again for this session;
// one that refuses a channel beside others sets the pool's limit. The
// mutex is not held while a channel opens, so closing the session never
// waits behind a stalled server.
func (p *channelPool) client(i int) (*sftp.Client, error) {
	p.mu.Lock()
	if most := p.most.get(); p.closed || p.refused || (most > 0 && i > most) {
		p.mu.Unlock()
		return nil, errPoolClosed
	}
	s := p.slots[i-1]
	if s != nil {
		p.mu.Unlock()
		<-s.ready
		return s.c, s.err
	}
	s = &poolSlot{ready: make(chan struct{})}
	p.slots[i-1] = s
	have := p.heldLocked()
	p.mu.Unlock()
	if p.shed != nil {
		p.shed(extraChannels - have)
	}
	c, err := newSFTPClient(p.ssh, p.server, p.opts)
	p.mu.Lock()
	switch {
	case err != nil:
		p.dropLocked(s)
		s.err = err
		// Refused while other channels are open or opening: the
		// server's limit (each refusal lowers it to what is left).
		// With none left, ranges are off.
		if n := p.heldLocked(); n > 0 {
			p.most.lower(n)
		} else {
			p.refused = true
		}
	case p.closed:
		p.dropLocked(s)
		c.Close()
		s.err = errPoolClosed
	default:
		s.c = c
	}
	p.mu.Unlock()
	close(s.ready)
	return s.c, s.err
}

// dropLocked empties the slot holding s, wherever compact has put it;
// p.mu is held.
func (p *channelPool) dropLocked(s *poolSlot) {
	for k, o := range p.slots {
		if o == s {
			p.slots[k] = nil
		}
	}
}

// use returns extra channel i for one range writer, opening it when
// needed, and the function the writer calls once closed: a channel beyond
// keptRangeChannels closes when its last writer is done.
func (p *channelPool) use(i int) (*sftp.Client, func(), error) {
	c, err := p.client(i)
	if err != nil {
		return nil, nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	// Its slot, wherever compact has put it.
	var s *poolSlot
	for _, o := range p.slots {
		if o != nil && o.c == c {
			s = o
		}
	}
	if s == nil {
		return nil, nil, errPoolClosed
	}
	s.users++
	var once sync.Once
	return c, func() {
		once.Do(func() {
			p.mu.Lock()
			defer p.mu.Unlock()
			s.users--
			if s.users > 0 {
				return
			}
			// Its slot, which compact may have moved.
			for k, o := range p.slots {
				if o == s && k >= keptRangeChannels {
					p.slots[k] = nil
					s.c.Close()
				}
			}
		})
	}, nil
}

// prepare opens extra channels 1 to n-1 in the background, so that a
// large file's ranges find them open; the function it returns waits
// until every one has opened or been refused.
func (p *channelPool) prepare(n int) (wait func()) {
	var wg sync.WaitGroup
	for i := 1; i < min(n, rangeChannels); i++ {
		wg.Go(func() { _, _ = p.client(i) })
	}
	return func() {
		wg.Wait()
		p.compact()
	}
}

// compact moves the open channels to the first slots: opened at once
// against a server's MaxSessions, any of them may have been the ones
// refused, and part i uses slot i.
func (p *channelPool) compact() {
	p.mu.Lock()
	defer p.mu.Unlock()
	j := 0
	for i, s := range p.slots {
		if s == nil {
			continue
		}
		p.slots[i], p.slots[j] = nil, s
		j++
	}
}

// usable reports whether extra channels may still be asked for.
func (p *channelPool) usable() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return !p.closed && !p.refused
}

// close closes every extra channel.
func (p *channelPool) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	for i, s := range p.slots {
		if s != nil && s.c != nil {
			s.c.Close()
			p.slots[i] = nil
		}
	}
}

// errPoolClosed is returned once the session is closed.
var errPoolClosed = errors.New("no extra SFTP channels on this connection")

// RangeParts returns how many byte ranges of one large file this file
// system can write at once, each over its own SFTP channel; 1 when it has
// no extra channels or DisableRanges was called.
func (f *FS) RangeParts() int {
	if f.noRanges.Load() {
		return 1
	}
	l := f.c.cur.Load()
	if l.pool == nil || !l.pool.usable() {
		return 1
	}
	extra := keptRangeChannels
	if l.streams != nil {
		// As many as the round trip needs, when it is known, within
		// what busy download streams leave of the budget.
		if rtt, ok := l.streams.knownRTT(); ok {
			extra = max(extra, wantStreams(rtt, rangeChannels-1))
		}
		extra = max(1, min(extra, extraChannels-l.streams.busy()))
	}
	if most := l.pool.limit(); most > 0 {
		extra = min(extra, most)
	}
	return 1 + extra
}

// DisableRanges turns byte ranges off for the rest of the session, across
// reconnects: RangeParts returns 1 from now on. The engine calls it when a
// ranged upload failed or stalled on this server; reason goes to the log.
// It reports whether this call turned them off (true the first time).
func (f *FS) DisableRanges(reason string) bool {
	if f.noRanges.Swap(true) {
		return false
	}
	f.c.logf("%s: byte ranges off for this session: %s", f.label, reason)
	return true
}

// PrepareRanges opens, in the background, the extra channels that a
// large file's n ranges will use, so that they are open by the time its
// temporary file is: the engine calls it as it starts a large upload.
// Each channel costs about three round trips to open; opened one after
// another as the ranges began, they cost 0.64 s at 50 ms. The function it
// returns waits until each has opened or been refused; after it,
// RangeParts counts a refusal (the server's MaxSessions) in.
func (f *FS) PrepareRanges(n int) (wait func()) {
	if n < 2 || f.RangeParts() < 2 {
		return func() {}
	}
	if l := f.c.cur.Load(); l != nil && l.pool != nil {
		return l.pool.prepare(n)
	}
	return func() {}
}

// OpenRangeWriter opens the existing file name for writing at off over
// extra channel part (1 to RangeParts()-1). The returned *sftp.File writes
// with concurrent requests through ReadFromWithConcurrency.
func (f *FS) OpenRangeWriter(ctx context.Context, name string, part int, off int64) (io.WriteCloser, error) {
	if part < 1 || part >= rangeChannels {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	l, g, err := f.begin(ctx)
	if err != nil {
		return nil, beginErr("open", name, err)
	}
	if l.pool == nil {
		g.done()
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	c, release, err := l.pool.use(part)
	if err != nil {
		return nil, f.end(ctx, l, g, "open", name, err)
	}
	fh, err := c.OpenFile(name, os.O_WRONLY)
	if err != nil {
		release()
		return nil, f.end(ctx, l, g, "open", name, err)
	}
	if _, err := fh.Seek(off, io.SeekStart); err != nil {
		fh.Close()
		release()
		return nil, f.end(ctx, l, g, "seek", name, err)
	}
	g.done()
	return &rangeFile{File: fh, release: release}, nil
}

// rangeFile is a range writer's handle on its extra channel: closing it
// also lets go of the channel (channelPool.use).
type rangeFile struct {
	*sftp.File
	release func()
}

// Close closes the file and lets go of its channel.
func (r *rangeFile) Close() error {
	err := r.File.Close()
	r.release()
	return err
}
