package main

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/remote/sshdtest"
)

// TestE2ESSHDPaneRelistsAfterReconnect runs `ferry -F CFG box` against a
// real sshd and kills the processes serving its connection (not the
// listener), as a crash or a dropped link would: the UI says it is
// reconnecting, the session dials again by itself, and the pane lists its
// directory again with what changed meanwhile, with no key pressed. q
// then exits 0.
func TestE2ESSHDPaneRelistsAfterReconnect(t *testing.T) {
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
}
