// Package delayproxy is a TCP proxy for tests that adds latency on
// loopback, where the kernel offers no netem.
//
// Start listens on 127.0.0.1:0 and forwards every connection to a target,
// delaying each direction by half the requested round trip. The delay is
// applied by timestamp, not by sleeping per read: bytes read at time T are
// queued and written at T+delay, so many reads are in flight at once and
// the bandwidth stays what the endpoints manage, as on a long fat pipe.
// The queue is bounded (MaxQueued bytes per direction); when it is full
// the proxy stops reading and TCP pushes back on the sender.
//
//	s := sshdtest.Start(t)
//	p := delayproxy.Start(t, s.Addr, 10*time.Millisecond)
//	ssh.Dial("tcp", p.Addr, s.ClientConfig()) // every round trip ~10 ms longer
package delayproxy

import (
	"context"
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Limits of a proxy.
const (
	// bufSize is the size of one read, and so of one queued chunk.
	bufSize = 64 << 10
	// MaxQueued is how many bytes may wait in one direction of one
	// connection; a direction with this much queued stops reading.
	// 32 MiB carries 3.2 GB/s at a 10 ms one-way delay.
	MaxQueued = 32 << 20
	// maxChunks bounds the queue's length: a full queue holds MaxQueued
	// bytes in reads of bufSize.
	maxChunks = MaxQueued / bufSize
	// MaxConns is how many connections a proxy carries at once; more are
	// refused (closed at once).
	MaxConns = 64
	// maxBatch is how many due chunks one write gathers.
	maxBatch = 64
)

// Proxy is a running delay proxy. Its fields must not be changed.
type Proxy struct {
	// Addr is where the proxy listens, "127.0.0.1:PORT".
	Addr string
	// Target is where it forwards connections to.
	Target string
	// Delay is the one-way delay added to each direction: half the round
	// trip given to Start.
	Delay time.Duration

	ln        net.Listener
	done      chan struct{} // closed by Close
	closeOnce sync.Once
	wg        sync.WaitGroup
	pool      sync.Pool

	mu    sync.Mutex
	conns map[net.Conn]struct{}

	maxDepth atomic.Int64 // the most chunks ever queued in one direction
}

// Start runs a proxy to target that adds rtt to every round trip (rtt/2
// each way) and closes it when t ends. A failure to listen fails t.
func Start(t testing.TB, target string, rtt time.Duration) *Proxy {
	t.Helper()
	p, err := New(target, rtt)
	if err != nil {
		t.Fatalf("delayproxy: %v", err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// New runs a proxy to target that adds rtt to every round trip (rtt/2
// each way) until Close.
func New(target string, rtt time.Duration) (*Proxy, error) {
	if rtt < 0 {
		return nil, errors.New("delayproxy: negative round trip")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Proxy{
		Addr:   ln.Addr().String(),
		Target: target,
		Delay:  rtt / 2,
		ln:     ln,
		done:   make(chan struct{}),
		conns:  make(map[net.Conn]struct{}),
	}
	p.pool.New = func() any { b := make([]byte, bufSize); return &b }
	p.wg.Add(1)
	go p.accept()
	return p, nil
}

// Close stops listening, cuts every connection and waits until all of the
// proxy's goroutines have ended. It may be called more than once.
func (p *Proxy) Close() error {
	var err error
	p.closeOnce.Do(func() {
		close(p.done)
		err = p.ln.Close()
		p.mu.Lock()
		for c := range p.conns {
			c.Close()
		}
		p.mu.Unlock()
	})
	p.wg.Wait()
	return err
}

// accept takes connections until Close.
func (p *Proxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			select {
			case <-p.done:
				return
			default:
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return
		}
		if !p.track(c) {
			c.Close()
			continue
		}
		p.wg.Add(1)
		go p.serve(c)
	}
}

// track registers c so that Close can cut it; it refuses c once the proxy
// is closed or carries MaxConns connections.
func (p *Proxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	select {
	case <-p.done:
		return false
	default:
	}
	if len(p.conns) >= MaxConns {
		return false
	}
	p.conns[c] = struct{}{}
	return true
}

func (p *Proxy) untrack(c net.Conn) {
	p.mu.Lock()
	delete(p.conns, c)
	p.mu.Unlock()
	c.Close()
}

// serve connects client to the target and pumps both directions until
// both have ended.
func (p *Proxy) serve(client net.Conn) {
	defer p.wg.Done()
	defer p.untrack(client)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	go func() {
		select {
		case <-p.done:
			cancel()
		case <-ctx.Done():
		}
	}()
	var d net.Dialer
	server, err := d.DialContext(ctx, "tcp", p.Target)
	cancel()
	if err != nil {
		return
	}
	if !p.track(server) {
		server.Close()
		return
	}
	defer p.untrack(server)
	// broken is closed when either direction fails; then both
	// connections are cut, which ends both directions.
	broken := make(chan struct{})
	var once sync.Once
	breakPair := func() {
		once.Do(func() {
			close(broken)
			client.Close()
			server.Close()
		})
	}
	var wg sync.WaitGroup
	wg.Go(func() { p.pump(client, server, broken, breakPair) })
	wg.Go(func() { p.pump(server, client, broken, breakPair) })
	wg.Wait()
}

// chunk is what one read got, and when it is to be written.
type chunk struct {
	buf *[]byte // from the pool; nil for the end of the stream
	n   int
	due time.Time
}

// pump copies src to dst, each read written Delay after it was read.
// A reader queues chunks stamped with their due time; a writer writes
// them when due, gathering all that are due into one write. An orderly
// end of src half-closes dst; any error breaks the pair.
func (p *Proxy) pump(src, dst net.Conn, broken <-chan struct{}, breakPair func()) {
	q := make(chan chunk, maxChunks)
	var wg sync.WaitGroup
	wg.Go(func() { p.read(src, q, broken, breakPair) })
	if !p.write(dst, q, broken) {
		breakPair() // unblocks the reader
	}
	wg.Wait()
	for c := range q {
		p.put(c)
	}
}

// read queues what src yields until it ends, then queues the end and
// closes q.
func (p *Proxy) read(src net.Conn, q chan<- chunk, broken <-chan struct{}, breakPair func()) {
	defer close(q)
	for {
		b := p.pool.Get().(*[]byte)
		n, err := src.Read(*b)
		if n > 0 {
			if !p.send(q, chunk{buf: b, n: n, due: time.Now().Add(p.Delay)}, broken) {
				p.pool.Put(b)
				return
			}
		} else {
			p.pool.Put(b)
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				breakPair()
				return
			}
			p.send(q, chunk{due: time.Now().Add(p.Delay)}, broken)
			return
		}
	}
}

// send queues c, or reports false when the pair broke or the proxy closed.
func (p *Proxy) send(q chan<- chunk, c chunk, broken <-chan struct{}) bool {
	select {
	case q <- c:
	case <-broken:
		return false
	case <-p.done:
		return false
	}
	d := int64(len(q))
	for {
		m := p.maxDepth.Load()
		if d <= m || p.maxDepth.CompareAndSwap(m, d) {
			return true
		}
	}
}

// write writes the chunks of q to dst as they fall due. It reports
// whether it reached the end of the stream; false means the pair broke,
// the proxy closed or dst failed.
func (p *Proxy) write(dst net.Conn, q <-chan chunk, broken <-chan struct{}) bool {
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	var (
		next    chunk
		have    bool
		batch   []chunk
		buffers net.Buffers
	)
	for {
		if !have {
			select {
			case c, ok := <-q:
				if !ok {
					return false // the reader failed
				}
				next, have = c, true
			case <-broken:
				return false
			case <-p.done:
				return false
			}
		}
		if d := time.Until(next.due); d > 0 {
			timer.Reset(d)
			select {
			case <-timer.C:
			case <-broken:
				p.put(next)
				return false
			case <-p.done:
				p.put(next)
				return false
			}
		}
		// Gather next and whatever else is due by now.
		batch, buffers = batch[:0], buffers[:0]
		have = false
		end := next.buf == nil
		if !end {
			batch = append(batch, next)
		}
		now := time.Now()
	gather:
		for !end && len(batch) < maxBatch {
			select {
			case c, ok := <-q:
				if !ok {
					break gather
				}
				if c.due.After(now) {
					next, have = c, true
					break gather
				}
				if c.buf == nil {
					end = true
					break gather
				}
				batch = append(batch, c)
			default:
				break gather
			}
		}
		for _, c := range batch {
			buffers = append(buffers, (*c.buf)[:c.n])
		}
		bw := buffers // WriteTo consumes its receiver
		_, err := bw.WriteTo(dst)
		for _, c := range batch {
			p.put(c)
		}
		if err != nil {
			return false
		}
		if end {
			if cw, ok := dst.(interface{ CloseWrite() error }); ok {
				cw.CloseWrite()
			} else {
				dst.Close()
			}
			return true
		}
	}
}

// put returns c's buffer to the pool.
func (p *Proxy) put(c chunk) {
	if c.buf != nil {
		p.pool.Put(c.buf)
	}
}
