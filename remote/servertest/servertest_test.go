package servertest

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/remote/internal/proctree"
	"github.com/ferry-tui/ferry/remote/internal/testhost"
	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// waitLimit bounds the waits in these tests; none is a timing test.
const waitLimit = 10 * time.Second

func TestServertestKindNames(t *testing.T) {
	want := []string{"OpenSSH", "ProFTPD", "AsyncSSH", "Dropbear", "Demo"}
	var got []string
	for _, k := range Kinds() {
		got = append(got, k.String())
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("Kinds() = %v, want %v", got, want)
	}
	if s := Kind(42).String(); s != "Kind(42)" {
		t.Errorf("Kind(42).String() = %q", s)
	}
}

// TestServertestServers runs every kind through what the package
// promises: the fields, SFTP in Dir with the known host, frozen and
// killed sessions, restarts with the same and a new host key, and a Stop
// that leaves nothing behind.
func TestServertestServers(t *testing.T) {
	for _, kind := range Kinds() {
		t.Run(kind.String(), func(t *testing.T) {
			t.Parallel()
			s := Start(t, kind)
			checkFields(t, s)
			c, sc := checkSFTP(t, s)
			checkStopContinue(t, s, sc)
			checkKillSessions(t, s, c, sc)
			checkRestart(t, s)
			checkStop(t, s)
		})
	}
}

// checkFields checks what the fields say about the server.
func checkFields(t *testing.T, s *Server) {
	t.Helper()
	if s.Addr != net.JoinHostPort("127.0.0.1", strconv.Itoa(s.Port)) || s.Host != "127.0.0.1" {
		t.Fatalf("Addr %q, Host %q, Port %d disagree", s.Addr, s.Host, s.Port)
	}
	if real, err := filepath.EvalSymlinks(s.Dir); err != nil || real != s.Dir || !filepath.IsAbs(s.Dir) {
		t.Fatalf("Dir %q is not absolute with links resolved (%q, %v)", s.Dir, real, err)
	}
	if fi, err := os.Stat(s.ClientKeyPath); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("client key %s: %v, %v; want mode 0600", s.ClientKeyPath, fi, err)
	}
	if _, err := os.Stat(s.ClientKeyPath + ".pub"); err != nil {
		t.Fatal(err)
	}
	if len(s.HostKeys) == 0 {
		t.Fatal("no host keys")
	}
	b, err := os.ReadFile(s.KnownHostsPath)
	if err != nil {
		t.Fatal(err)
	}
	if want := "[127.0.0.1]:" + strconv.Itoa(s.Port) + " "; !strings.HasPrefix(string(b), want) {
		t.Fatalf("known_hosts %q does not start with %q", b, want)
	}
	if _, err := os.Stat(s.LogPath); err != nil {
		t.Errorf("log: %v", err)
	}
	if s.PID <= 0 {
		t.Errorf("PID %d", s.PID)
	}
}

// checkSFTP connects as a plain x/crypto/ssh and pkg/sftp client,
// verifying the host against KnownHostsPath, and lists and writes in Dir.
func checkSFTP(t *testing.T, s *Server) (*ssh.Client, *sftp.Client) {
	t.Helper()
	c, sc := s.Dial(t)
	testhost.CheckServesDir(t, sc, s.Dir, s.Dir)
	f, err := sc.Create(s.Dir + "/up.txt")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(f, "written by "+s.Kind.String()); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(filepath.Join(s.Dir, "up.txt")); err != nil || string(got) != "written by "+s.Kind.String() {
		t.Fatalf("up.txt on disk: %q, %v", got, err)
	}
	return c, sc
}

// checkStopContinue freezes the sessions: a request is not answered until
// ContinueSessions.
func checkStopContinue(t *testing.T, s *Server, sc *sftp.Client) {
	t.Helper()
	if !s.StopSessions() {
		t.Fatal("StopSessions reported false")
	}
	answered := make(chan error, 1)
	go func() {
		_, err := sc.Stat(s.Dir)
		answered <- err
	}()
	select {
	case err := <-answered:
		t.Fatalf("a frozen session answered Stat (err %v)", err)
	case <-time.After(300 * time.Millisecond):
	}
	if !s.ContinueSessions() {
		t.Fatal("ContinueSessions reported false")
	}
	select {
	case err := <-answered:
		if err != nil {
			t.Fatalf("Stat after ContinueSessions: %v", err)
		}
	case <-time.After(waitLimit):
		t.Fatal("the session did not answer after ContinueSessions")
	}
}

// checkKillSessions kills the sessions: the client's connection ends, a
// new one works.
func checkKillSessions(t *testing.T, s *Server, c *ssh.Client, sc *sftp.Client) {
	t.Helper()
	if !s.KillSessions() {
		t.Fatal("KillSessions reported false")
	}
	waited := make(chan error, 1)
	go func() { waited <- c.Wait() }()
	select {
	case <-waited:
	case <-time.After(waitLimit):
		t.Fatal("the client's connection outlived KillSessions")
	}
	if _, err := sc.Stat(s.Dir); err == nil {
		t.Fatal("Stat on a killed session succeeded")
	}
	_, sc2 := s.Dial(t)
	if _, err := sc2.Stat(s.Dir + "/up.txt"); err != nil {
		t.Fatalf("a new connection after KillSessions: %v", err)
	}
}

// checkRestart restarts the server on its port: with the same host key
// the known host still works; with a new one it is refused, and a
// known_hosts file with the new key works.
func checkRestart(t *testing.T, s *Server) {
	t.Helper()
	port, addr := s.Port, s.Addr
	if s.Kind != Demo {
		pid := s.PID
		s.Restart(t, SameHostKey)
		if s.PID == pid {
			t.Errorf("PID %d unchanged by Restart", pid)
		}
		_, sc := s.Dial(t)
		if _, err := sc.Stat(s.Dir + "/up.txt"); err != nil {
			t.Fatalf("after Restart with the same key: %v", err)
		}
	}
	old := append([]ssh.PublicKey(nil), s.HostKeys...)
	s.Restart(t, NewHostKey)
	if s.Port != port || s.Addr != addr {
		t.Fatalf("Restart moved the server from %s to %s", addr, s.Addr)
	}
	for _, k := range s.HostKeys {
		for _, o := range old {
			if bytes.Equal(k.Marshal(), o.Marshal()) {
				t.Fatalf("Restart with NewHostKey kept %s", ssh.FingerprintSHA256(k))
			}
		}
	}
	c, err := ssh.Dial("tcp", s.Addr, s.ClientConfig(t))
	if err == nil {
		c.Close()
		t.Fatal("a client with the old known host connected after a host key change")
	}
	var keyErr *knownhosts.KeyError
	if !errors.As(err, &keyErr) || len(keyErr.Want) == 0 {
		t.Fatalf("dial after a host key change: %v, want a knownhosts.KeyError for a changed key", err)
	}
	cfg := s.ClientConfig(t)
	cb, err := knownhosts.New(s.WriteKnownHosts(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg.HostKeyCallback = cb
	c, err = ssh.Dial("tcp", s.Addr, cfg)
	if err != nil {
		t.Fatalf("dial with the new host key known: %v\n%s", err, s.LogTail())
	}
	defer c.Close()
	sc, err := sftp.NewClient(c)
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close()
	if _, err := sc.Stat(s.Dir + "/up.txt"); err != nil {
		t.Fatalf("after Restart with a new key: %v", err)
	}
}

// checkStop stops the server with a connection open: the listener and
// every process below it end, the port refuses, a second Stop is
// harmless.
func checkStop(t *testing.T, s *Server) {
	t.Helper()
	cfg := s.ClientConfig(t)
	cb, err := knownhosts.New(s.WriteKnownHosts(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg.HostKeyCallback = cb
	c, err := ssh.Dial("tcp", s.Addr, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sc, err := sftp.NewClient(c)
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close()
	own := s.PID == os.Getpid() // Demo
	var kids []proctree.Proc
	if !own {
		kids = proctree.Descendants(s.PID)
	}
	if !own && len(kids) == 0 && s.Kind != AsyncSSH && runtime.GOOS == "linux" {
		t.Fatalf("no connection processes below %v (process %d)", s.Kind, s.PID)
	}
	s.Stop()
	if !own && processExists(s.PID) {
		t.Errorf("%v (process %d) still exists after Stop", s.Kind, s.PID)
	}
	for _, k := range kids {
		if proctree.Alive(k) {
			t.Errorf("connection process %d still runs after Stop", k.PID)
		}
	}
	waited := make(chan error, 1)
	go func() { waited <- c.Wait() }()
	select {
	case <-waited:
	case <-time.After(waitLimit):
		t.Fatal("the client's connection outlived Stop")
	}
	if conn, err := net.DialTimeout("tcp", s.Addr, time.Second); err == nil {
		conn.Close()
		t.Fatalf("%s accepts connections after Stop", s.Addr)
	}
	s.Stop()
}

func TestServertestMissingServerSkipsUnlessRequired(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	missingPath := filepath.Join(t.TempDir(), "no-such-server")
	testhost.CheckSkipOrFail(t, RequireEnv,
		func(tb testing.TB) string { return findBinary(tb, "no-such-server", "no-such-package", missingPath) },
		missingPath, RequireEnv, "no-such-package")
	if got := findBinary(t, "x", "y", os.Args[0]); got != os.Args[0] {
		t.Errorf("findBinary with an existing path = %q, want %q", got, os.Args[0])
	}
}

func TestServertestRFC4716(t *testing.T) {
	pub, _, _, _, err := ssh.ParseAuthorizedKey([]byte("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHjEM7sHi2e5ZKnsHn5GoZLSoBUFgFTk72sPSPT8xSGU c"))
	if err != nil {
		t.Fatal(err)
	}
	// As ssh-keygen -e printed it for the same key.
	want := "---- BEGIN SSH2 PUBLIC KEY ----\n" +
		"Comment: \"c\"\n" +
		"AAAAC3NzaC1lZDI1NTE5AAAAIHjEM7sHi2e5ZKnsHn5GoZLSoBUFgFTk72sPSPT8xSGU\n" +
		"---- END SSH2 PUBLIC KEY ----\n"
	if got := rfc4716(pub, "c"); got != want {
		t.Errorf("rfc4716 =\n%s\nwant\n%s", got, want)
	}
}
