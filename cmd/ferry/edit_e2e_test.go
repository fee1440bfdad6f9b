package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ferry-tui/ferry/internal/exectest"
	"github.com/ferry-tui/ferry/remote/sshdtest"
)

// TestE2ESSHDEditInTmux presses e (F4's twin) on a remote file with an
// EDITOR script that appends a line: the server's file gets the new
// content through the safe-write path and keeps its mode.
func TestE2ESSHDEditInTmux(t *testing.T) {
	t.Parallel()
	bin := ferryBinary(t)
	srv := sshdtest.Start(t)
	target := filepath.Join(srv.Dir, "edit me.txt")
	if err := os.WriteFile(target, []byte("hello\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(target, 0o640); err != nil {
		t.Fatal(err)
	}
	editor := filepath.Join(t.TempDir(), "ed.sh")
	if err := exectest.WriteFile(editor, []byte("#!/bin/sh\nprintf 'edited\\n' >> \"$1\"\n")); err != nil {
		t.Fatal(err)
	}
	cfg := sshConfigFor(t, "", map[string]*sshdtest.Server{"box": srv})
	s := startTmux(t, 120, 30, []string{"HOME=" + t.TempDir(), "TERM=xterm-256color", "EDITOR=" + editor, "VISUAL="},
		"sh", "-c", "cd "+shq(t.TempDir())+" && exec "+shq(bin)+" -F "+shq(cfg)+" box")
	s.waitFor("edit me.txt")
	s.keys("Tab", "e")
	waitDisk(t, func() bool { b, _ := os.ReadFile(target); return string(b) == "hello\nedited\n" })
	s.waitFor("saved")
	if fi, err := os.Stat(target); err != nil || fi.Mode().Perm() != 0o640 {
		t.Fatalf("mode after edit: %v, %v; want 0640", fi.Mode().Perm(), err)
	}
	s.keys("q")
	if st := s.exitStatus(); st != "0" {
		t.Fatalf("exit status %s; stderr: %s", st, s.stderr())
	}
}
