package remote

import (
	"context"
	"errors"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/pkg/sftp"
)

// testBackoff keeps reconnect tests fast.
func testBackoff(int) time.Duration { return 5 * time.Millisecond }

// testWait bounds every wait in these tests; none is a timing test.
const testWait = 30 * time.Second

// memNet serves SFTP from memory over pipes: each link is a new pipe to a
// new server on the same files. redial fails with the errors in fail, in
// order, then succeeds.
type memNet struct {
	t        *testing.T
	handlers sftp.Handlers

	mu      sync.Mutex
	fail    []error
	dials   int
	servers []net.Conn
	stalled chan struct{} // when not nil, listing and stat wait for it to close
	held    chan struct{} // when not nil, a redial waits for it to close
	frozen  chan struct{} // when not nil, servers act on no request until it closes
	// tcp makes links run over loopback TCP instead of synchronous pipes:
	// what a client sends to a frozen server then waits in the kernel's
	// buffers, as it does with a real server, instead of blocking the
	// client's write (under a lock pkg/sftp's Close needs too).
	tcp bool
}

func newMemNet(t *testing.T) *memNet {
	m := &memNet{t: t, handlers: sftp.InMemHandler()}
	m.handlers.FileList = stallLister{FileLister: m.handlers.FileList, m: m}
	t.Cleanup(func() {
		m.unstall()
		m.thaw()
		m.mu.Lock()
		defer m.mu.Unlock()
		for _, s := range m.servers {
			s.Close()
		}
	})
	return m
}

// stallLister waits while its memNet is stalled.
type stallLister struct {
	sftp.FileLister
	m *memNet
}

func (s stallLister) Filelist(r *sftp.Request) (sftp.ListerAt, error) {
	s.m.mu.Lock()
	gate := s.m.stalled
	s.m.mu.Unlock()
	if gate != nil {
		<-gate
	}
	return s.FileLister.Filelist(r)
}

// stall makes the server stop answering listings and stats.
func (m *memNet) stall() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.stalled == nil {
		m.stalled = make(chan struct{})
	}
}

// unstall lets stalled requests go on.
func (m *memNet) unstall() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.stalled != nil {
		close(m.stalled)
		m.stalled = nil
	}
}

// freeze makes every server stop acting on requests, as a server stopped
// with SIGSTOP does: what the client sends is read, and nothing comes back.
func (m *memNet) freeze() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.frozen == nil {
		m.frozen = make(chan struct{})
	}
}

// thaw lets frozen servers go on.
func (m *memNet) thaw() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.frozen != nil {
		close(m.frozen)
		m.frozen = nil
	}
}

// freezableConn is a server's end of a link: while its memNet is frozen,
// what it reads is held back from the server.
type freezableConn struct {
	net.Conn
	m *memNet
}

func (c freezableConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.m.mu.Lock()
	gate := c.m.frozen
	c.m.mu.Unlock()
	if gate != nil {
		<-gate
	}
	return n, err
}

// tcpPair returns the two ends of a new loopback TCP connection.
func tcpPair() (client, server net.Conn, err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, err
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		accepted <- c
	}()
	client, err = net.Dial("tcp", ln.Addr().String())
	if err != nil {
		return nil, nil, err
	}
	server = <-accepted
	if server == nil {
		client.Close()
		return nil, nil, errors.New("accept failed")
	}
	return client, server, nil
}

// link starts a server and returns a link whose client talks to it.
func (m *memNet) link() (*link, error) {
	cc, sc := net.Pipe()
	if m.tcp {
		var err error
		if cc, sc, err = tcpPair(); err != nil {
			return nil, err
		}
	}
	srv := sftp.NewRequestServer(freezableConn{Conn: sc, m: m}, m.handlers)
	go srv.Serve()
	m.mu.Lock()
	m.servers = append(m.servers, sc)
	m.mu.Unlock()
	client, err := sftp.NewClientPipe(cc, cc)
	if err != nil {
		cc.Close()
		return nil, err
	}
	return newPlainLink(client), nil
}

func (m *memNet) redial(context.Context) (*link, error) {
	m.mu.Lock()
	held := m.held
	m.mu.Unlock()
	if held != nil {
		<-held
	}
	m.mu.Lock()
	m.dials++
	if len(m.fail) > 0 {
		err := m.fail[0]
		m.fail = m.fail[1:]
		m.mu.Unlock()
		return nil, err
	}
	m.mu.Unlock()
	return m.link()
}

// drop ends the newest connection from the server's side.
func (m *memNet) drop() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.servers[len(m.servers)-1].Close()
}

// dropSeen ends the newest connection of f from the server's side and
// waits until f has seen it go: a call made earlier would still run on it
// (and fail as connection lost).
func (m *memNet) dropSeen(t *testing.T, f *FS) {
	t.Helper()
	l := f.cur()
	m.drop()
	select {
	case <-l.dead:
	case <-time.After(testWait):
		t.Fatal("the dropped connection was not noticed")
	}
}

// dropJoined ends the newest connection of f from the server's side and
// calls call, which must wait for f's connection, in a goroutine. The
// round of reconnect attempts the drop starts dials only once call has
// joined it, so that call gets that round's result however late the
// goroutine runs: a caller that came after a failed round would start a
// new one. call's error comes on the channel returned.
func (m *memNet) dropJoined(t *testing.T, f *FS, call func() error) <-chan error {
	t.Helper()
	held := make(chan struct{})
	m.mu.Lock()
	m.held = held
	m.mu.Unlock()
	defer func() {
		m.mu.Lock()
		m.held = nil
		m.mu.Unlock()
		close(held)
	}()
	m.dropSeen(t, f)
	errs := make(chan error, 1)
	go func() { errs <- call() }()
	waitJoined(t, f, 1)
	return errs
}

// waitJoined waits until n callers wait for f's round of reconnect
// attempts to end.
func waitJoined(t *testing.T, f *FS, n int32) {
	t.Helper()
	deadline := time.Now().Add(testWait)
	for f.c.waiting.Load() < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d callers wait for the reconnect", f.c.waiting.Load(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

func (m *memNet) dialCount() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.dials
}

// memFS returns an FS over m that reconnects up to attempts times per
// outage, waiting backoff before each.
func memFS(t *testing.T, m *memNet, attempts int, backoff func(int) time.Duration) *FS {
	t.Helper()
	l, err := m.link()
	if err != nil {
		t.Fatal(err)
	}
	c := newConnector("mem", m.redial, attempts, backoff, testLogf(t))
	c.start(l)
	t.Cleanup(func() { c.close() })
	return &FS{label: "mem", c: c}
}

// nextState reads events from ch until one has status want, and fails t
// if none comes in time or ch closes first.
func nextState(t *testing.T, ch <-chan ConnEvent, want ConnStatus) ConnEvent {
	t.Helper()
	timeout := time.After(testWait)
	for {
		select {
		case ev, ok := <-ch:
			if !ok {
				t.Fatalf("watch channel closed while waiting for %v", want)
			}
			if ev.Status == want {
				return ev
			}
		case <-timeout:
			t.Fatalf("no %v state within %v", want, testWait)
		}
	}
}

// states collects the statuses from ch up to and including until.
func states(t *testing.T, ch <-chan ConnEvent, until ConnStatus) []ConnStatus {
	t.Helper()
	var got []ConnStatus
	timeout := time.After(testWait)
	for {
		select {
		case ev := <-ch:
			got = append(got, ev.Status)
			if ev.Status == until {
				return got
			}
		case <-timeout:
			t.Fatalf("states so far %v, no %v within %v", got, until, testWait)
		}
	}
}

// testLogf is t.Logf for a connector, whose goroutines may still log a
// lost connection as the test ends: once t's cleanups run, lines are
// dropped instead of logged after t has completed, which panics.
func testLogf(t *testing.T) func(format string, args ...any) {
	var mu sync.Mutex
	done := false
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		done = true
	})
	return func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		if !done {
			t.Logf(format, args...)
		}
	}
}
