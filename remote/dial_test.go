package remote_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/config"
	"github.com/ferry-tui/ferry/remote"
	"github.com/ferry-tui/ferry/remote/sshdtest"
)

// resolver maps hop names to hosts, as config.ResolveJumps would: each
// hop gets the hops before it as its ProxyJump.
func resolver(known map[string]config.Host) func(config.Host) ([]config.Host, error) {
	return func(h config.Host) ([]config.Host, error) {
		names := strings.Split(h.ProxyJump, ",")
		var hops []config.Host
		for i, n := range names {
			hop, ok := known[n]
			if !ok {
				return nil, fmt.Errorf("unknown hop %q", n)
			}
			hop.Alias = n // config.ResolveJumps names each hop as written
			hop.ProxyJump = strings.Join(names[:i], ",")
			hops = append(hops, hop)
		}
		return hops, nil
	}
}

func logOf(t *testing.T, s *sshdtest.Server) string {
	t.Helper()
	b, err := os.ReadFile(s.LogPath)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestSSHDProxyJumpChain(t *testing.T) {
	t.Parallel()
	j1, j2, target := sshdtest.Start(t), sshdtest.Start(t), sshdtest.Start(t)
	if err := os.WriteFile(target.Dir+"/behind-two-jumps", nil, 0o644); err != nil {
		t.Fatal(err)
	}
	d := remote.Dialer{Jumps: resolver(map[string]config.Host{
		"j1": hostFor(t, j1),
		"j2": hostFor(t, j2),
	})}
	h := hostFor(t, target)
	h.ProxyJump = "j1,j2"
	s, err := d.Dial(context.Background(), h)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fis, err := s.FS.ReadDir(context.Background(), target.Dir)
	if err != nil || len(fis) != 1 || fis[0].Name() != "behind-two-jumps" {
		t.Fatalf("listing through jumps: %v, %v", fis, err)
	}
	// j1 forwarded to j2, and j2 forwarded to the target.
	if l := logOf(t, j1); !strings.Contains(l, fmt.Sprintf("127.0.0.1 port %d", j2.Port)) {
		t.Errorf("j1's log shows no forwarding to j2 (port %d)", j2.Port)
	}
	if l := logOf(t, j2); !strings.Contains(l, fmt.Sprintf("127.0.0.1 port %d", target.Port)) {
		t.Errorf("j2's log shows no forwarding to the target (port %d)", target.Port)
	}
}

func TestSSHDProxyJumpUnknownHop(t *testing.T) {
	t.Parallel()
	target := sshdtest.Start(t)
	d := remote.Dialer{Jumps: resolver(nil)}
	h := hostFor(t, target)
	h.ProxyJump = "nowhere"
	_, err := d.Dial(context.Background(), h)
	if err == nil || !strings.Contains(err.Error(), "nowhere") {
		t.Fatalf("err = %v, want it to name the hop", err)
	}
}

func TestSSHDProxyCommand(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat("/bin/bash"); err != nil {
		t.Skip("needs bash for /dev/tcp")
	}
	target := sshdtest.Start(t)
	h := hostFor(t, target)
	h.ProxyCommand = fmt.Sprintf(`bash -c 'exec 3<>/dev/tcp/127.0.0.1/%d; cat <&3 & exec cat >&3'`, target.Port)
	s := dial(t, h)
	if _, err := s.FS.ReadDir(context.Background(), target.Dir); err != nil {
		t.Fatal(err)
	}
}

// TestConnectTimeoutCoversHandshake dials a listener that accepts and then
// never says anything: ConnectTimeout must end the SSH handshake too.
func TestConnectTimeoutCoversHandshake(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	port := ln.Addr().(*net.TCPAddr).Port
	h := config.Host{Alias: "silent", HostName: "127.0.0.1", Port: port, User: "x", ConnectTimeout: 500 * time.Millisecond}
	done := make(chan error, 1)
	go func() {
		_, err := remote.Dial(context.Background(), h)
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "ConnectTimeout") {
			t.Fatalf("err = %v, want a ConnectTimeout error", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Dial did not return: ConnectTimeout does not bound the handshake")
	}
}

// TestSSHDStalledServerDetected stops sshd with SIGSTOP: with
// ServerAliveInterval 1 and ServerAliveCountMax 2 the next operation must
// fail as a lost connection instead of waiting forever.
func TestSSHDStalledServerDetected(t *testing.T) {
	t.Parallel()
	srv := sshdtest.Start(t)
	h := hostFor(t, srv)
	h.ServerAliveInterval = time.Second
	h.ServerAliveCountMax = 2
	s := dial(t, h)
	ctx := context.Background()
	if _, err := s.FS.ReadDir(ctx, srv.Dir); err != nil {
		t.Fatal(err)
	}
	srv.Signal(syscall.SIGSTOP)
	defer srv.Signal(syscall.SIGCONT)
	done := make(chan error, 1)
	go func() {
		_, err := s.FS.ReadDir(ctx, srv.Dir)
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("listing a stopped server succeeded")
		}
		t.Logf("stalled server reported as: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("a stalled server was never detected")
	}
}

// TestSSHDKilledServerFailsAtOnce kills sshd: the next operation fails
// without waiting for keepalives (the interval here is an hour). The
// session does not reconnect here: sshd stops its connections before it
// stops listening, and a reconnect in between would succeed.
func TestSSHDKilledServerFailsAtOnce(t *testing.T) {
	t.Parallel()
	srv := sshdtest.Start(t)
	h := hostFor(t, srv)
	h.ServerAliveInterval = time.Hour
	d := remote.Dialer{ReconnectAttempts: -1}
	s, err := d.Dial(context.Background(), h)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	srv.Stop()
	done := make(chan error, 1)
	go func() {
		_, err := s.FS.ReadDir(context.Background(), srv.Dir)
		done <- err
	}()
	select {
	case err := <-done:
		var se *remote.StatusError
		var re *remote.ReconnectError
		switch {
		case errors.As(err, &se) && se.Code == 7: // before the session saw it go
		case errors.As(err, &re) && re.Attempts == 0: // after
		default:
			t.Fatalf("listing a killed server: %v; want connection lost", err)
		}
		t.Logf("killed server reported as: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("a killed server was not noticed")
	}
}

// TestSSHDProxyJumpLoopRefused: with "Host * / ProxyJump bastion" the
// bastion itself jumps through bastion. That must be an error naming the
// loop, not endless recursion.
func TestSSHDProxyJumpLoopRefused(t *testing.T) {
	t.Parallel()
	bastion, target := sshdtest.Start(t), sshdtest.Start(t)
	bh := hostFor(t, bastion)
	bh.Alias = "bastion"
	bh.ProxyJump = "bastion"
	d := remote.Dialer{Jumps: func(config.Host) ([]config.Host, error) { return []config.Host{bh}, nil }}
	h := hostFor(t, target)
	h.ProxyJump = "bastion"
	_, err := d.Dial(context.Background(), h)
	if err == nil || !strings.Contains(err.Error(), "loop") {
		t.Fatalf("err = %v, want a jump host loop error", err)
	}
}

// TestSSHDProxyJumpSameAddressTwice: two aliases that reach the same sshd,
// one jumping through the other, are a valid chain (sftp accepts it), not
// a loop.
func TestSSHDProxyJumpSameAddressTwice(t *testing.T) {
	t.Parallel()
	srv := sshdtest.Start(t)
	acc := hostFor(t, srv)
	acc.Alias = "acc"
	d := remote.Dialer{Jumps: func(config.Host) ([]config.Host, error) { return []config.Host{acc}, nil }}
	h := hostFor(t, srv)
	h.Alias = "accjump"
	h.ProxyJump = "acc"
	s, err := d.Dial(context.Background(), h)
	if err != nil {
		t.Fatalf("accjump via acc: %v", err)
	}
	s.Close()
}
