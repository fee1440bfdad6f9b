package servertest

import (
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"time"
)

// proxy passes TCP connections from its own listener to a target address,
// so that the demo server, which runs inside the test binary and offers no
// way to cut one connection, gets the same controls as the other kinds:
// connections can be closed (killAll) or frozen (freeze), and the target
// can change while the port stays.
type proxy struct {
	ln      net.Listener
	logPath string
	wg      sync.WaitGroup

	mu     sync.Mutex
	target string
	pairs  map[*pair]struct{}
	thaw   chan struct{} // not nil while frozen; closed to thaw
	closed bool
}

// pair is one client connection and the proxy's connection to the target.
type pair struct {
	client, server net.Conn
	once           sync.Once
	done           chan struct{} // closed by close
}

// close closes both connections.
func (p *pair) close() {
	p.once.Do(func() {
		close(p.done)
		p.client.Close()
		p.server.Close()
	})
}

// listenProxy listens on addr and passes connections to whatever target
// setTarget names; notes go to logPath.
func listenProxy(addr, logPath string) (*proxy, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	p := &proxy{ln: ln, logPath: logPath, pairs: map[*pair]struct{}{}}
	p.wg.Add(1)
	go p.acceptLoop()
	return p, nil
}

// setTarget makes new connections go to target.
func (p *proxy) setTarget(target string) {
	p.mu.Lock()
	p.target = target
	p.mu.Unlock()
}

// logf appends a line to the log.
func (p *proxy) logf(format string, args ...any) {
	f, err := os.OpenFile(p.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return
	}
	defer f.Close()
	fmt.Fprintf(f, "%s servertest proxy: %s\n", time.Now().Format("15:04:05.000"), fmt.Sprintf(format, args...))
}

// acceptLoop accepts connections until the listener closes.
func (p *proxy) acceptLoop() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		target, closed := p.target, p.closed
		p.mu.Unlock()
		if closed {
			c.Close()
			return
		}
		s, err := net.DialTimeout("tcp", target, readyTimeout)
		if err != nil {
			p.logf("%s: dial %s: %v", c.RemoteAddr(), target, err)
			c.Close()
			continue
		}
		pr := &pair{client: c, server: s, done: make(chan struct{})}
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			pr.close()
			return
		}
		p.pairs[pr] = struct{}{}
		p.wg.Add(2)
		p.mu.Unlock()
		p.logf("%s: connected to %s", c.RemoteAddr(), target)
		go p.pipe(pr, pr.server, pr.client)
		go p.pipe(pr, pr.client, pr.server)
	}
}

// pipe copies from src to dst until either fails, holding writes while
// the proxy is frozen, and then closes the pair.
func (p *proxy) pipe(pr *pair, dst io.Writer, src io.Reader) {
	defer p.wg.Done()
	defer func() {
		pr.close()
		p.mu.Lock()
		delete(p.pairs, pr)
		p.mu.Unlock()
	}()
	buf := make([]byte, 64<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if !p.waitThawed(pr.done) {
				return
			}
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// waitThawed waits while the proxy is frozen; it returns false if done
// closes first.
func (p *proxy) waitThawed(done <-chan struct{}) bool {
	p.mu.Lock()
	thaw := p.thaw
	p.mu.Unlock()
	if thaw == nil {
		return true
	}
	select {
	case <-thaw:
		return true
	case <-done:
		return false
	}
}

// freeze stops (on) or resumes passing bytes on every connection.
func (p *proxy) freeze(on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case on && p.thaw == nil:
		p.thaw = make(chan struct{})
	case !on && p.thaw != nil:
		close(p.thaw)
		p.thaw = nil
	}
}

// killAll closes every connection and returns how many there were.
func (p *proxy) killAll() int {
	p.mu.Lock()
	pairs := make([]*pair, 0, len(p.pairs))
	for pr := range p.pairs {
		pairs = append(pairs, pr)
	}
	p.mu.Unlock()
	for _, pr := range pairs {
		pr.close()
	}
	p.logf("closed %d connections", len(pairs))
	return len(pairs)
}

// close stops listening, closes every connection and waits for the
// proxy's goroutines to end.
func (p *proxy) close() {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	p.ln.Close()
	p.killAll()
	p.wg.Wait()
}
