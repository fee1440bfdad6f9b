package sshdtest

import (
	"errors"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/remote/internal/proctree"
	"golang.org/x/crypto/ssh"
)

func TestSSHDSignalStopsAndContinuesConnections(t *testing.T) {
	t.Parallel()
	s := Start(t)
	_, sc := s.Dial(t)
	if _, err := sc.Getwd(); err != nil {
		t.Fatal(err)
	}
	s.Signal(syscall.SIGSTOP)
	answered := make(chan error, 1)
	go func() {
		_, err := sc.Stat(".")
		answered <- err
	}()
	select {
	case err := <-answered:
		t.Fatalf("a stopped server answered Stat (err %v)", err)
	case <-time.After(300 * time.Millisecond):
	}
	s.Signal(syscall.SIGCONT)
	select {
	case err := <-answered:
		if err != nil {
			t.Fatalf("Stat after SIGCONT: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the server did not answer after SIGCONT")
	}
}

func TestSSHDStopEndsServerAndConnections(t *testing.T) {
	t.Parallel()
	s := Start(t)
	c, _ := s.Dial(t)
	s.Signal(syscall.SIGSTOP) // Stop must cope with a stopped server
	kids := proctree.Descendants(s.PID)
	if len(kids) == 0 {
		t.Fatal("no connection processes found below sshd")
	}
	s.Stop()
	if err := syscall.Kill(s.PID, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("sshd process %d still exists after Stop (kill 0: %v)", s.PID, err)
	}
	for _, k := range kids {
		if proctree.Alive(k) {
			t.Errorf("connection process %d still runs after Stop", k.PID)
		}
	}
	if _, err := os.Stat(s.pidPath); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("PidFile after Stop: %v, want it removed by sshd's clean exit", err)
	}
	waited := make(chan error, 1)
	go func() { waited <- c.Wait() }()
	select {
	case <-waited:
	case <-time.After(5 * time.Second):
		t.Fatal("the client connection outlived Stop")
	}
	if c2, err := ssh.Dial("tcp", s.Addr, s.ClientConfig()); err == nil {
		c2.Close()
		t.Fatal("dial after Stop succeeded")
	}
	s.Stop() // a second Stop is harmless
}
