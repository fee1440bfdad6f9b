package main

import (
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
