package remote

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"math"
	"sync"
	"time"
)

// streamRanges is how many stream channels one large download may read
// at once, each a byte range of the file. One SSH channel carries at most
// its window (2 MiB in x/crypto) per round trip, so one stream holds a
// download at 50 ms to 25-40 MB/s; six lift that bound sixfold. It is
// maxStreams: every stream of the pool can serve one file.
const streamRanges = maxStreams

// channelWindow is the receive window of an x/crypto SSH channel: what
// one channel can have in flight towards the client.
const channelWindow = 2 << 20

// streamRate is about what one connection's download reaches when the
// window does not hold it back: one stream on loopback moved 1 GiB in
// 1.8 s (see stream.go). A download asks for as many channels as it takes
// to keep that much in flight over the measured round trip: one on
// loopback (where more only add processes to the server and buffers to
// the client), three at 10 ms, all six at 50 ms.
const streamRate = 600e6 // bytes per second

// wantStreams is how many channels fill a link whose round trip is rtt,
// at least 1 and at most n.
func wantStreams(rtt time.Duration, n int) int {
	k := int(math.Ceil(rtt.Seconds() * streamRate / channelWindow))
	return max(1, min(k, n))
}

// rttSamples is how many round trips roundTrip times: the fastest is the
// link's, the others carry a busy machine's scheduling delays.
const rttSamples = 3

// roundTrip returns the connection's round trip, measured once per
// connection with rttSamples global requests that OpenSSH answers at once
// ("keepalive@openssh.com", as ServerAliveInterval sends). dialLink starts
// it in the background once the connection is up.
func (p *streamPool) roundTrip() (time.Duration, error) {
	p.rttOnce.Do(func() {
		var wg sync.WaitGroup
		for range rttSamples {
			wg.Go(func() {
				t := time.Now()
				err := p.keepalive()
				d := time.Since(t)
				// x/crypto sends one global request at a time, so the
				// samples take a round trip each: the first answers
				// knownRTT at once, and the others may lower it.
				p.mu.Lock()
				defer p.mu.Unlock()
				switch {
				case err != nil:
					p.rttErr = err
				case p.rtt == 0 || d < p.rtt:
					p.rtt = max(d, 1) // 0 is "not measured"
				}
			})
		}
		wg.Wait()
	})
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.rtt, p.rttErr
}

// keepalive sends one keepalive@openssh.com and waits for the answer
// (ping instead, when a test set it).
func (p *streamPool) keepalive() error {
	if p.ping != nil {
		return p.ping()
	}
	_, _, err := p.ssh.SendRequest("keepalive@openssh.com", true, nil)
	return err
}

// knownRTT returns the connection's round trip as far as it has been
// measured (the fastest sample answered so far), without waiting for it.
func (p *streamPool) knownRTT() (time.Duration, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.rtt, p.rtt > 0
}

// busy is how many streams are lent out (open and not idle).
func (p *streamPool) busy() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.open - len(p.idle)
}

// StreamParts returns how many byte ranges of one large download this
// file system can read at once, each over a stream channel of its own; 1
// when it has no stream channels, the server refused them, or
// DisableRanges was called.
func (f *FS) StreamParts() int {
	if f.noRanges.Load() {
		return 1
	}
	l := f.c.cur.Load()
	if l.streams == nil || !l.streams.usable() {
		return 1
	}
	return streamRanges
}

// usable reports whether the pool may still lend or open channels.
func (p *streamPool) usable() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return !p.closed && !p.refused
}

// errNoStream is the error of a lent copy whose channel failed before the
// file was open, the connection being up: the channel cannot be used.
var errNoStream = errors.New("the stream channel failed before the file was open")

// LeaseStreams lends up to n stream channels (idle ones, or new ones
// opened now) for reading one large file as byte ranges at once: as many
// as the connection's round trip needs (measured once per connection)
// to keep a window's worth in flight on each, fewer when the server
// allows fewer. It
// returns one copy function per channel it got, none when it got fewer
// than two (the caller then reads as one stream), and release, which
// must be called once every copy has returned: it gives the channels back.
//
// Copy i reads the remote file name from off up to end (or its end of
// file) into dst, in order, over channel i; it returns how many bytes it
// wrote. Its errors are StreamFile's; cancelling ctx ends the copy and
// closes the channel.
func (f *FS) LeaseStreams(ctx context.Context, n int) (copies []func(ctx context.Context, name string, off, end int64, dst io.Writer) (int64, error), release func()) {
	none := func() {}
	if n < 2 {
		return nil, none
	}
	l, g, err := f.begin(ctx)
	if err != nil {
		return nil, none
	}
	if l.streams == nil {
		g.done()
		return nil, none
	}
	rtt, err := l.streams.roundTrip()
	g.done()
	if err != nil {
		return nil, none
	}
	// The channels open at once: each costs three round trips (open,
	// subsystem, INIT), 150 ms at 50 ms.
	k := wantStreams(rtt, min(n, streamRanges))
	opened := make([]*streamChan, k)
	var wg sync.WaitGroup
	for i := range k {
		wg.Go(func() { opened[i] = l.streams.get(ctx) })
	}
	wg.Wait()
	var got []*streamChan
	for _, c := range opened {
		if c != nil {
			got = append(got, c)
		}
	}
	release = func() {
		for _, c := range got {
			l.streams.put(c, c.bad)
		}
	}
	if len(got) < 2 {
		release()
		return nil, none
	}
	for _, c := range got {
		copies = append(copies, func(ctx context.Context, name string, off, end int64, dst io.Writer) (int64, error) {
			n, handled, err := f.streamCopy(ctx, name, off, end, c, dst)
			if !handled && err == nil {
				c.bad = true
				err = &fs.PathError{Op: "open", Path: name, Err: errNoStream}
			}
			return n, err
		})
	}
	return copies, release
}
