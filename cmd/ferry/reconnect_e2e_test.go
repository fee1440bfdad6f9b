package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/remote/sshdtest"
	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// TestE2ESSHDPaneRelistsAfterReconnect runs `ferry -F CFG box` against a
// real sshd and kills the processes serving its connection (not the
// listener), as a crash or a dropped link would: the UI says it is
// reconnecting, the session dials again by itself, and the pane lists its
// directory again with what changed meanwhile, with no key pressed. q
// then exits 0.
func TestE2ESSHDPaneRelistsAfterReconnect(t *testing.T) {
	t.Parallel()
	bin := ferryBinary(t)
	srv := sshdtest.Start(t)
	if err := os.WriteFile(filepath.Join(srv.Dir, "before.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := sshConfigFor(t, "", map[string]*sshdtest.Server{"box": srv})
	s := startTmux(t, 120, 30, []string{"HOME=" + t.TempDir(), "TERM=xterm-256color"},
		"sh", "-c", "cd "+shq(t.TempDir())+" && exec "+shq(bin)+" -F "+shq(cfg)+" box")
	s.waitFor("before.txt")

	if srv.KillSessions() == 0 {
		t.Skip("no connection processes found to kill (Linux only)")
	}
	// The first attempt waits a second: the line is on screen meanwhile.
	s.waitFor("reconnecting to box, attempt 1 of 6")
	if err := os.WriteFile(filepath.Join(srv.Dir, "while-down.txt"), []byte("y"), 0o644); err != nil {
		t.Fatal(err)
	}
	s.waitFor("while-down.txt")
	s.waitFor("reconnected to box")

	s.keys("q")
	if st := s.exitStatus(); st != "0" {
		t.Fatalf("exit status %s; stderr: %s", st, s.stderr())
	}
}

// TestE2ESSHDQuitWhileServerFrozen freezes the processes serving ferry's
// connection (SIGSTOP: the server stops answering but the connection stays
// up), starts a copy from it, and quits with q and y: the process ends
// within the 2 s it gives the engine and the session to stop, plus the
// time to exit.
func TestE2ESSHDQuitWhileServerFrozen(t *testing.T) {
	t.Parallel()
	bin := ferryBinary(t)
	srv := sshdtest.Start(t)
	if err := os.WriteFile(filepath.Join(srv.Dir, "big.bin"), make([]byte, 1<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := sshConfigFor(t, "", map[string]*sshdtest.Server{"box": srv})
	s := startTmux(t, 120, 30, []string{"HOME=" + t.TempDir(), "TERM=xterm-256color"},
		"sh", "-c", "cd "+shq(t.TempDir())+" && exec "+shq(bin)+" -F "+shq(cfg)+" box")
	s.waitFor("big.bin")
	if srv.SignalSessions(syscall.SIGSTOP) == 0 {
		t.Skip("no connection processes found to stop (Linux only)")
	}
	t.Cleanup(func() { srv.SignalSessions(syscall.SIGCONT) })

	s.keys("Tab", "/", "b", "i", "g", "Enter", "F5")
	s.waitFor("Copy big.bin to local:")
	s.keys("Enter")
	// The copy must be queued before q, or there is nothing to ask about.
	s.waitFor("copying 1 entry")
	s.keys("q")
	s.waitFor("Quit ferry?")
	s.keys("y")
	start := time.Now()
	if st := s.exitStatus(); st != "0" {
		t.Fatalf("exit status %s; stderr: %s", st, s.stderr())
	}
	if d := time.Since(start); d > 4*time.Second {
		t.Errorf("ferry took %v to exit after quitting", d)
	}
	if !strings.Contains(s.stderr(), "1 file not copied") {
		t.Errorf("quitting did not say what it cancelled; stderr: %s", s.stderr())
	}
}

// TestE2ESSHDEscStopsReconnecting stops the server so that reconnecting
// fails, presses Esc while the UI says "esc stops": the attempts end at
// once and the line says how to try again; with the server back, ^r
// reconnects.
func TestE2ESSHDEscStopsReconnecting(t *testing.T) {
	t.Parallel()
	bin := ferryBinary(t)
	srv := sshdtest.Start(t)
	if err := os.WriteFile(filepath.Join(srv.Dir, "before.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := sshConfigFor(t, "", map[string]*sshdtest.Server{"box": srv})
	s := startTmux(t, 120, 30, []string{"HOME=" + t.TempDir(), "TERM=xterm-256color"},
		"sh", "-c", "cd "+shq(t.TempDir())+" && exec "+shq(bin)+" -F "+shq(cfg)+" box")
	s.waitFor("before.txt")

	srv.Stop()
	s.waitFor("; esc stops")
	s.keys("Escape")
	s.waitFor("connection to box lost: reconnecting stopped; ^r tries again")
	if scr := s.screen(); strings.Contains(scr, "attempt") {
		t.Errorf("still counting attempts after Esc:\n%s", scr)
	}

	srv.Restart(t, false)
	if err := os.WriteFile(filepath.Join(srv.Dir, "after.txt"), []byte("y"), 0o644); err != nil {
		t.Fatal(err)
	}
	s.keys("Tab", "C-r")
	s.waitFor("after.txt")
	s.waitFor("reconnected to box")
	s.keys("q")
	if st := s.exitStatus(); st != "0" {
		t.Fatalf("exit status %s; stderr: %s", st, s.stderr())
	}
}

// TestE2EReconnectAsksInDialog runs ferry against an in-process server
// that takes a password (or a keyboard-interactive one-time code) and
// nothing else. With `ferry -F CFG box` the first login asks on the
// terminal, before the UI; with the host picker, in the connecting
// screen's dialog. After the server drops the connection, the reconnect
// asks again in a dialog that names the host. Esc in that dialog gives
// up; ^r dials again, asking again.
func TestE2EReconnectAsksInDialog(t *testing.T) {
	t.Parallel()
	bin := ferryBinary(t)
	for _, tt := range []struct {
		name, prompt, answer string
		kbd, picker          bool
	}{
		{"password", "tester@127.0.0.1's password:", "hunter2", false, false},
		{"one-time code", "Verification code:", "123456", true, false},
		{"password, host from the picker", "tester@127.0.0.1's password:", "hunter2", false, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := startAskServer(t, tt.answer, tt.kbd)
			if err := os.WriteFile(filepath.Join(srv.dir, "before.txt"), []byte("x"), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := "cd " + shq(t.TempDir()) + " && exec " + shq(bin) + " -F " + shq(srv.config(t))
			if !tt.picker {
				cmd += " box"
			}
			s := startTmux(t, 120, 30, []string{"HOME=" + t.TempDir(), "TERM=xterm-256color"}, "sh", "-c", cmd)
			if tt.picker {
				s.waitFor("Open a host in the right pane")
				s.keys("b", "o", "x", "Enter")
			}
			s.waitFor(tt.prompt)
			s.keys(tt.answer, "Enter")
			s.waitFor("before.txt")

			srv.drop()
			scr := s.waitFor("Reconnecting to box")
			if !strings.Contains(scr, tt.prompt) || strings.Contains(scr, "esc stops") {
				t.Fatalf("dialog:\n%s", scr)
			}
			s.keys(tt.answer, "Enter")
			s.waitFor("reconnected to box")
			if n := srv.logins(); n != 2 {
				t.Errorf("%d logins, want 2", n)
			}

			srv.drop()
			s.waitFor("Reconnecting to box")
			s.keys("Escape")
			s.waitFor("gave up after 1 attempt")
			if !tt.picker {
				s.keys("Tab") // the picker left the focus on the host's pane
			}
			s.keys("C-r")
			s.waitFor("Reconnecting to box")
			s.keys(tt.answer, "Enter")
			s.waitFor("reconnected to box")
			s.keys("q")
			if st := s.exitStatus(); st != "0" {
				t.Fatalf("exit status %s; stderr: %s", st, s.stderr())
			}
			if n := srv.logins(); n != 3 {
				t.Errorf("%d logins, want 3", n)
			}
		})
	}
}

// askServer is an in-process SSH server serving SFTP from dir to the user
// "tester", who logs in with a password, or with a keyboard-interactive
// one-time code, and no key: every login, reconnects included, must ask.
type askServer struct {
	dir     string
	port    int
	hostKey ssh.PublicKey

	mu    sync.Mutex
	conns map[net.Conn]struct{}
	n     int // successful logins
}

// startAskServer serves until the test ends; answer is the secret.
func startAskServer(t *testing.T, answer string, kbd bool) *askServer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	s := &askServer{dir: t.TempDir(), hostKey: signer.PublicKey(), conns: map[net.Conn]struct{}{}}
	cfg := &ssh.ServerConfig{}
	if kbd {
		cfg.KeyboardInteractiveCallback = func(c ssh.ConnMetadata, ask ssh.KeyboardInteractiveChallenge) (*ssh.Permissions, error) {
			a, err := ask("", "", []string{"Verification code: "}, []bool{false})
			if err != nil || len(a) != 1 || c.User() != "tester" || a[0] != answer {
				return nil, errors.New("wrong code")
			}
			return s.login(), nil
		}
	} else {
		cfg.PasswordCallback = func(c ssh.ConnMetadata, pw []byte) (*ssh.Permissions, error) {
			if c.User() != "tester" || string(pw) != answer {
				return nil, errors.New("wrong password")
			}
			return s.login(), nil
		}
	}
	cfg.AddHostKey(signer)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.port = ln.Addr().(*net.TCPAddr).Port
	var wg sync.WaitGroup
	t.Cleanup(func() {
		ln.Close()
		s.drop()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.conns[c] = struct{}{}
			s.mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				serveSFTPConn(c, cfg, s.dir)
			}()
		}
	}()
	return s
}

func (s *askServer) login() *ssh.Permissions {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	return &ssh.Permissions{}
}

func (s *askServer) logins() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

// drop closes every connection, as a server that went away does.
func (s *askServer) drop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		c.Close()
	}
	clear(s.conns)
}

// config writes an ssh_config naming the server "box", with its host key
// known and only the secret to log in with.
func (s *askServer) config(t *testing.T) string {
	t.Helper()
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port))
	kh := filepath.Join(t.TempDir(), "known_hosts")
	if err := os.WriteFile(kh, []byte(knownhosts.Line([]string{knownhosts.Normalize(addr)}, s.hostKey)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	body := fmt.Sprintf("Host box\n  HostName 127.0.0.1\n  Port %d\n  User tester\n  PreferredAuthentications keyboard-interactive,password\n  IdentityAgent none\n  UserKnownHostsFile %s\n  GlobalKnownHostsFile none\n  StrictHostKeyChecking yes\n", s.port, kh)
	p := filepath.Join(t.TempDir(), "ssh_config")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// serveSFTPConn runs the SSH handshake on c and serves the sftp subsystem
// from dir on its session channels until c ends.
func serveSFTPConn(c net.Conn, cfg *ssh.ServerConfig, dir string) {
	sc, chans, reqs, err := ssh.NewServerConn(c, cfg)
	if err != nil {
		return
	}
	defer sc.Close()
	go ssh.DiscardRequests(reqs)
	for nc := range chans {
		if nc.ChannelType() != "session" {
			_ = nc.Reject(ssh.UnknownChannelType, "only sessions")
			continue
		}
		ch, creqs, err := nc.Accept()
		if err != nil {
			continue
		}
		go func() {
			defer ch.Close()
			for req := range creqs {
				var p struct{ Name string }
				if req.Type != "subsystem" || ssh.Unmarshal(req.Payload, &p) != nil || p.Name != "sftp" {
					_ = req.Reply(false, nil)
					continue
				}
				_ = req.Reply(true, nil)
				go ssh.DiscardRequests(creqs)
				if srv, err := sftp.NewServer(ch, sftp.WithServerWorkingDirectory(dir)); err == nil {
					_ = srv.Serve()
					_ = srv.Close()
				}
				return
			}
		}()
	}
}
