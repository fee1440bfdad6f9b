//go:build unix

package remote

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/config"
	"github.com/ferry-tui/ferry/remote/knownhosts"
	"github.com/ferry-tui/ferry/remote/sshdtest"
	"golang.org/x/crypto/ssh"
	xknownhosts "golang.org/x/crypto/ssh/knownhosts"
)

// These tests lose real connections to a real OpenSSH sshd and check that
// the session comes back by itself, or refuses to, as it must.

// reconnectHost is a config.Host that reaches addr as srv's user with its
// client key, trusting the host keys in knownHosts.
func reconnectHost(srv *sshdtest.Server, addr, knownHosts string) config.Host {
	host, port, _ := net.SplitHostPort(addr)
	p, _ := strconv.Atoi(port)
	return config.Host{
		Alias: "sshd", HostName: host, Port: p, User: srv.User,
		IdentityFiles: []string{srv.ClientKeyPath}, IdentitiesOnly: true, IdentityAgent: "none",
		UserKnownHostsFiles: []string{knownHosts}, StrictHostKeyChecking: "yes", BatchMode: true,
	}
}

// reconnectSession dials h with fast backoff and closes the session when
// t ends.
func reconnectSession(t *testing.T, h config.Host) *Session {
	t.Helper()
	d := Dialer{ReconnectBackoff: testBackoff}
	sess, err := d.Dial(context.Background(), h)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sess.Close() })
	return sess
}

// killSessions kills srv's connection processes, skipping t where they
// cannot be found.
func killSessions(t *testing.T, srv *sshdtest.Server) {
	t.Helper()
	if srv.KillSessions() == 0 {
		t.Skip("cannot find sshd's connection processes here")
	}
}

// enteredHook makes f signal on the returned channel each time a call has
// the connection it will run on.
func enteredHook(f *FS) <-chan struct{} {
	ch := make(chan struct{}, 1)
	f.callHook = func() {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
	return ch
}

func TestSSHDReconnectAfterSessionsKilled(t *testing.T) {
	t.Parallel()
	srv := sshdtest.Start(t)
	if err := os.WriteFile(filepath.Join(srv.Dir, "kept"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	sess := reconnectSession(t, reconnectHost(srv, srv.Addr, srv.WriteKnownHosts(t)))
	f := sess.FS
	if n := f.RangeParts(); n < 2 {
		t.Fatalf("RangeParts = %d on a dialled session, want several", n)
	}
	if !f.DisableRanges("test") {
		t.Fatal("DisableRanges returned false the first time")
	}
	ch, stop := sess.Watch()
	defer stop()
	gen1, up := f.ConnState()
	if !up {
		t.Fatal("a new session is not up")
	}
	first := sess.SSH()

	killSessions(t, srv)
	got := states(t, ch, ConnBack)
	want := []ConnStatus{ConnUp, ConnLost, ConnReconnecting, ConnBack}
	if len(got) != len(want) || got[1] != ConnLost || got[2] != ConnReconnecting {
		t.Fatalf("states %v, want %v", got, want)
	}
	fis, err := f.ReadDir(context.Background(), srv.Dir)
	if err != nil || len(fis) != 1 || fis[0].Name() != "kept" {
		t.Fatalf("ReadDir after the sessions were killed: %v, %v", fis, err)
	}
	gen2, up := f.ConnState()
	if gen2 == gen1 || !up {
		t.Fatalf("ConnState = %d, %v; want a generation after %d, up", gen2, up, gen1)
	}
	if sess.SSH() == first {
		t.Fatal("Session.SSH still returns the lost connection")
	}
	if n := f.RangeParts(); n != 1 {
		t.Fatalf("RangeParts = %d after a reconnect; DisableRanges must last the session", n)
	}
}

func TestSSHDCallInFlightWhenConnectionKilled(t *testing.T) {
	t.Parallel()
	srv := sshdtest.Start(t)
	sess := reconnectSession(t, reconnectHost(srv, srv.Addr, srv.WriteKnownHosts(t)))
	f := sess.FS
	entered := enteredHook(f)
	// Frozen, the server holds the listing until it is killed.
	if srv.SignalSessions(syscall.SIGSTOP) == 0 {
		t.Skip("cannot find sshd's connection processes here")
	}
	done := make(chan error, 1)
	go func() {
		_, err := f.ReadDir(context.Background(), srv.Dir)
		done <- err
	}()
	<-entered
	killSessions(t, srv)
	var err error
	select {
	case err = <-done:
	case <-time.After(testWait):
		t.Fatal("a listing on a killed connection did not return")
	}
	var se *StatusError
	var pe *fs.PathError
	if !errors.As(err, &se) || se.Code != codeConnectionLost || !errors.As(err, &pe) || pe.Op != "ls" || pe.Path != srv.Dir {
		t.Fatalf("ReadDir = %v, want ls %s: connection lost (SFTP status 7)", err, srv.Dir)
	}
	if _, err := f.ReadDir(context.Background(), srv.Dir); err != nil {
		t.Fatalf("the next ReadDir: %v", err)
	}
}

// TestSSHDCancelStalledCall: with sshd's connection processes stopped,
// a call blocked on it returns once its context ends (within about a
// second, logged, not asserted), and the file system works again once the
// server is let go. Each call has a server of its own.
// Stat has no context in pkg/sftp, nor do opening a file on a range
// channel and opening that channel, so the connection must be closed
// under them; ReadDir has, but closes its handle without one. Closing a
// stream's channel is only a message to a server that reads nothing: a
// stream, on its channel or on one still opening, ends with the
// connection too, and then says it was cancelled.
func TestSSHDCancelStalledCall(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		op   string // what the error names; "" for none
		warm bool   // the call is made once before the server stops
		// closes says the cancel must have closed the connection.
		closes bool
		call   func(ctx context.Context, f *FS, path string) error
	}{
		{"stat", "stat", true, true, func(ctx context.Context, f *FS, path string) error {
			_, err := f.Stat(ctx, path)
			return err
		}},
		{"ls", "ls", true, false, func(ctx context.Context, f *FS, path string) error {
			_, err := f.ReadDir(ctx, f.Dir(path))
			return err
		}},
		{"range", "open", true, true, func(ctx context.Context, f *FS, path string) error {
			w, err := f.OpenRangeWriter(ctx, path, 1, 4096)
			if err == nil {
				err = w.Close()
			}
			return err
		}},
		{"stream", "", true, true, streamCall},
		{"stream on a new channel", "", false, true, streamCall},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := sshdtest.Start(t)
			path := filepath.Join(srv.Dir, "file")
			if err := os.WriteFile(path, make([]byte, 100_000), 0o644); err != nil {
				t.Fatal(err)
			}
			sess := reconnectSession(t, reconnectHost(srv, srv.Addr, srv.WriteKnownHosts(t)))
			f := sess.FS
			entered := enteredHook(f)
			if tc.warm {
				if err := tc.call(context.Background(), f, path); err != nil {
					t.Fatal(err)
				}
				<-entered
			}
			gen, _ := f.ConnState()
			if srv.SignalSessions(syscall.SIGSTOP) == 0 {
				t.Skip("cannot find sshd's connection processes here")
			}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- tc.call(ctx, f, path) }()
			<-entered
			cancel()
			start := time.Now()
			select {
			case err := <-done:
				t.Logf("%s on a frozen server returned %v after the cancel: %v", tc.name, time.Since(start), err)
				var pe *fs.PathError
				if !errors.Is(err, context.Canceled) || tc.op != "" && (!errors.As(err, &pe) || pe.Op != tc.op) {
					t.Fatalf("%s = %v, want %q naming the path, wrapping context.Canceled", tc.name, err, tc.op)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("a cancelled %s was still blocked 10 s later", tc.name)
			}
			srv.SignalSessions(syscall.SIGCONT)
			if err := tc.call(context.Background(), f, path); err != nil {
				t.Fatalf("%s after the cancel: %v", tc.name, err)
			}
			<-entered
			if now, _ := f.ConnState(); tc.closes && now == gen {
				t.Fatalf("still on connection %d after a cancelled %s returned", now, tc.name)
			}
		})
	}
}

// streamCall streams path to nowhere; a stream that is not handled is an
// error here.
func streamCall(ctx context.Context, f *FS, path string) error {
	_, handled, err := f.StreamFile(ctx, path, 0, io.Discard)
	if err == nil && !handled {
		err = errors.New("StreamFile did not handle the file")
	}
	return err
}

// switchProxy forwards TCP connections to a target that can be changed,
// as a server replaced behind the same address would be, and counts them.
type switchProxy struct {
	ln net.Listener

	mu       sync.Mutex
	target   string
	accepted int
	conns    []net.Conn
}

func startSwitchProxy(t *testing.T, target string) *switchProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &switchProxy{ln: ln, target: target}
	go p.serve()
	t.Cleanup(p.close)
	return p
}

func (p *switchProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		p.accepted++
		target := p.target
		p.mu.Unlock()
		s, err := net.Dial("tcp", target)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, c, s)
		p.mu.Unlock()
		go func() { io.Copy(s, c); s.Close() }()
		go func() { io.Copy(c, s); c.Close() }()
	}
}

// switchTo sends new connections to target and drops the ones open.
func (p *switchProxy) switchTo(target string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.target = target
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func (p *switchProxy) count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.accepted
}

func (p *switchProxy) close() {
	p.ln.Close()
	p.switchTo("")
}

// TestSSHDReconnectRefusesChangedHostKey replaces the server behind the
// address with one whose host key differs: the reconnect is refused with
// OpenSSH's warning after one attempt, and WaitOnline says why.
func TestSSHDReconnectRefusesChangedHostKey(t *testing.T) {
	t.Parallel()
	a := sshdtest.Start(t)
	b := sshdtest.Start(t)
	p := startSwitchProxy(t, a.Addr)
	addr := p.ln.Addr().String()
	kh := filepath.Join(t.TempDir(), "known_hosts")
	var lines []byte
	for _, k := range a.HostKeys.All() {
		lines = append(lines, xknownhosts.Line([]string{xknownhosts.Normalize(addr)}, k)+"\n"...)
	}
	if err := os.WriteFile(kh, lines, 0o600); err != nil {
		t.Fatal(err)
	}
	h := reconnectHost(a, addr, kh)
	// b lets a's client key in too, so that only the host key differs.
	pub, err := os.ReadFile(a.ClientKeyPath + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	authorized := filepath.Join(filepath.Dir(b.ClientKeyPath), "authorized_keys")
	if err := os.WriteFile(authorized, pub, 0o600); err != nil {
		t.Fatal(err)
	}
	sess := reconnectSession(t, h)
	f := sess.FS
	ch, stop := sess.Watch()
	defer stop()

	p.switchTo(b.Addr)
	failed := nextState(t, ch, ConnFailed)
	var changed *knownhosts.ChangedKeyError
	if !errors.As(failed.Err, &changed) || failed.Attempt != 1 {
		t.Fatalf("failed state %+v, want a *knownhosts.ChangedKeyError after attempt 1", failed)
	}
	if n := p.count(); n != 2 {
		t.Fatalf("%d connections through the proxy, want 2: the first and one refused attempt", n)
	}
	err = f.WaitOnline(context.Background())
	if !errors.As(err, &changed) {
		t.Fatalf("WaitOnline = %v, want the *knownhosts.ChangedKeyError", err)
	}
	if changed.Fingerprint != ssh.FingerprintSHA256(b.HostKeys.Ed25519) && changed.Fingerprint != ssh.FingerprintSHA256(b.HostKeys.ECDSA) {
		t.Fatalf("the refused key %s is not one of the new server's", changed.Fingerprint)
	}
	if _, up := f.ConnState(); up {
		t.Fatal("ConnState says up after the refusal")
	}
}

func TestSSHDCloseDuringReconnect(t *testing.T) {
	t.Parallel()
	t.Run("backoff", func(t *testing.T) {
		srv := sshdtest.Start(t)
		h := reconnectHost(srv, srv.Addr, srv.WriteKnownHosts(t))
		d := Dialer{ReconnectBackoff: func(int) time.Duration { return time.Hour }}
		sess, err := d.Dial(context.Background(), h)
		if err != nil {
			t.Fatal(err)
		}
		defer sess.Close()
		closeDuringReconnect(t, srv, sess)
	})
	t.Run("dial", func(t *testing.T) {
		srv := sshdtest.Start(t)
		d := Dialer{ReconnectBackoff: func(int) time.Duration { return 0 }}
		sess, err := d.Dial(context.Background(), reconnectHost(srv, srv.Addr, srv.WriteKnownHosts(t)))
		if err != nil {
			t.Fatal(err)
		}
		defer sess.Close()
		// A frozen sshd accepts connections (the kernel does) but never
		// sends its banner: the reconnect hangs in the handshake.
		srv.Signal(syscall.SIGSTOP)
		defer srv.Signal(syscall.SIGCONT)
		closeDuringReconnect(t, srv, sess)
	})
}

// closeDuringReconnect kills srv's connections, waits until sess is
// reconnecting, and closes it: every waiter returns ErrSessionClosed.
func closeDuringReconnect(t *testing.T, srv *sshdtest.Server, sess *Session) {
	t.Helper()
	ch, stop := sess.Watch()
	defer stop()
	killSessions(t, srv)
	nextState(t, ch, ConnReconnecting)
	errs := make(chan error, 3)
	go func() { errs <- sess.FS.WaitOnline(context.Background()) }()
	go func() { _, err := sess.FS.ReadDir(context.Background(), srv.Dir); errs <- err }()
	go func() { _, err := sess.FS.Stat(context.Background(), srv.Dir); errs <- err }()
	start := time.Now()
	sess.Close()
	for range 3 {
		select {
		case err := <-errs:
			if !errors.Is(err, ErrSessionClosed) {
				t.Fatalf("waiter returned %v, want ErrSessionClosed", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("a waiter was still waiting 10 s after Close")
		}
	}
	t.Logf("Close and its waiters returned in %v", time.Since(start))
	nextState(t, ch, ConnClosed)
}

// TestSSHDReconnectThroughProxyJump kills the jump host's connections: the
// session dials again through the same jump host.
func TestSSHDReconnectThroughProxyJump(t *testing.T) {
	t.Parallel()
	jump, target := sshdtest.Start(t), sshdtest.Start(t)
	jh := reconnectHost(jump, jump.Addr, jump.WriteKnownHosts(t))
	jh.Alias = "jump"
	h := reconnectHost(target, target.Addr, target.WriteKnownHosts(t))
	h.ProxyJump = "jump"
	d := Dialer{
		ReconnectBackoff: testBackoff,
		Jumps:            func(config.Host) ([]config.Host, error) { return []config.Host{jh}, nil },
	}
	sess, err := d.Dial(context.Background(), h)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	ch, stop := sess.Watch()
	defer stop()
	killSessions(t, jump)
	nextState(t, ch, ConnBack)
	if _, err := sess.FS.ReadDir(context.Background(), target.Dir); err != nil {
		t.Fatalf("ReadDir after reconnecting through the jump host: %v", err)
	}
	b, err := os.ReadFile(jump.LogPath)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), fmt.Sprintf("127.0.0.1 port %d", target.Port)); n < 2 {
		t.Fatalf("the jump host forwarded to the target %d time(s), want 2: the reconnect did not go through it", n)
	}
}

// TestSSHDReconnectDoesNotAskAgainAboutAcceptedKey: a host key the user
// accepted (StrictHostKeyChecking ask) is checked again on reconnect but
// not asked about again.
func TestSSHDReconnectDoesNotAskAgainAboutAcceptedKey(t *testing.T) {
	t.Parallel()
	srv := sshdtest.Start(t)
	h := reconnectHost(srv, srv.Addr, filepath.Join(t.TempDir(), "known_hosts"))
	h.StrictHostKeyChecking = "ask"
	h.BatchMode = false
	p := &yesPrompter{}
	d := Dialer{Prompter: p, KnownHosts: knownhosts.New(p), ReconnectBackoff: testBackoff}
	sess, err := d.Dial(context.Background(), h)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	ch, stop := sess.Watch()
	defer stop()
	killSessions(t, srv)
	nextState(t, ch, ConnBack)
	if _, err := sess.FS.ReadDir(context.Background(), srv.Dir); err != nil {
		t.Fatal(err)
	}
	if n := p.asked.Load(); n != 1 {
		t.Fatalf("%d host key questions, want 1: the reconnect asked again", n)
	}
}

// yesPrompter accepts every host key and counts the questions; it may not
// ask anything else.
type yesPrompter struct {
	NoPrompter
	asked atomic.Int32
}

func (p *yesPrompter) ConfirmHostKey(context.Context, HostKeyQuestion) (bool, error) {
	p.asked.Add(1)
	return true, nil
}
