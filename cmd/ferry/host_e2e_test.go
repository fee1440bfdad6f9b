package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferry-tui/ferry/remote/sshdtest"
)

// TestE2ESSHDOpenAliasInTmux runs the built binary as `ferry -F CFG box`
// against a real sshd: the remote start directory appears in the right
// pane, and q exits 0.
func TestE2ESSHDOpenAliasInTmux(t *testing.T) {
	t.Parallel()
	bin := ferryBinary(t)
	srv := sshdtest.Start(t)
	if err := os.WriteFile(filepath.Join(srv.Dir, "on-the-server.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := sshConfigFor(t, "", map[string]*sshdtest.Server{"box": srv})
	s := startTmux(t, 120, 30, []string{"HOME=" + t.TempDir(), "TERM=xterm-256color"},
		"sh", "-c", "cd "+shq(t.TempDir())+" && exec "+shq(bin)+" -F "+shq(cfg)+" box")
	scr := s.waitFor("on-the-server.txt")
	if !strings.Contains(scr, "box:"+srv.Dir) {
		t.Fatalf("right pane header should read box:%s; screen:\n%s", srv.Dir, scr)
	}
	s.keys("q")
	if st := s.exitStatus(); st != "0" {
		t.Fatalf("exit status %s; stderr: %s", st, s.stderr())
	}
}

// TestE2ESSHDPickerAsksHostKeyInDialog runs `ferry -F CFG` with no host:
// the picker lists the config's alias, Enter connects, the unknown host
// key is asked in a dialog, "yes" records it and the listing appears.
func TestE2ESSHDPickerAsksHostKeyInDialog(t *testing.T) {
	t.Parallel()
	bin := ferryBinary(t)
	srv := sshdtest.Start(t)
	if err := os.WriteFile(filepath.Join(srv.Dir, "picked.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	kh := filepath.Join(t.TempDir(), "known_hosts")
	cfg := writeConfig(t, srv, kh, "ask", "")
	b, _ := os.ReadFile(cfg)
	if err := os.WriteFile(cfg, []byte(strings.Replace(string(b), "BatchMode yes", "BatchMode no", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	s := startTmux(t, 120, 30, []string{"HOME=" + t.TempDir(), "TERM=xterm-256color"},
		"sh", "-c", "cd "+shq(t.TempDir())+" && exec "+shq(bin)+" -F "+shq(cfg))
	s.waitFor("box")
	s.keys("b", "o", "x")
	s.waitFor("host: box")
	s.keys("Enter")
	scr := s.waitFor("SHA256:")
	if !strings.Contains(scr, "ED25519") && !strings.Contains(scr, "ssh-ed25519") && !strings.Contains(scr, "ECDSA") && !strings.Contains(scr, "ecdsa") {
		t.Fatalf("host key dialog lacks the key type:\n%s", scr)
	}
	s.keys("y", "e", "s", "Enter")
	s.waitFor("picked.txt")
	got, err := os.ReadFile(kh)
	if err != nil || !strings.HasPrefix(string(got), fmt.Sprintf("[127.0.0.1]:%d ", srv.Port)) {
		t.Fatalf("known_hosts after yes: %q, %v", got, err)
	}
	s.keys("q")
	if st := s.exitStatus(); st != "0" {
		t.Fatalf("exit status %s; stderr: %s", st, s.stderr())
	}
}
