package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/remote/sshdtest"
)

// TestE2ESSHDFileOperationsInTmux drives the built binary against a real
// sshd as a person would: open and leave a directory, make a directory,
// rename it, delete it with confirmation, quit. Every step is checked on
// the server's disk, not only on the screen. The fixtures' names have
// spaces, non-ASCII letters and an escape sequence.
func TestE2ESSHDFileOperationsInTmux(t *testing.T) {
	bin := ferryBinary(t)
	srv := sshdtest.Start(t)
	d := srv.Dir
	for _, p := range []string{"a dir/inner ünï.txt", "zz evil \x1b[31mred.txt"} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(d, p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, p), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg := sshConfigFor(t, "", map[string]*sshdtest.Server{"box": srv})
	s := startTmux(t, 120, 30, []string{"HOME=" + t.TempDir(), "TERM=xterm-256color"},
		"sh", "-c", "cd "+shq(t.TempDir())+" && exec "+shq(bin)+" -F "+shq(cfg)+" box")
	scr := s.waitFor("a dir/")
	if !strings.Contains(scr, `zz evil \x1b[31mred.txt`) {
		t.Fatalf("escape sequence in a name not shown escaped:\n%s", scr)
	}
	step := func(keys ...string) {
		t.Helper()
		s.keys(keys...)
		time.Sleep(150 * time.Millisecond)
	}

	// Open "a dir" in the right pane and leave it again.
	step("Tab", "Enter")
	s.waitFor("inner ünï.txt")
	step("BSpace")
	s.waitFor("zz evil")

	// F7: make a directory.
	step("F7")
	step("n", "e", "w", " ", "d", "i", "r")
	step("Enter")
	s.waitFor("new dir/")
	waitDisk(t, func() bool { fi, err := os.Stat(filepath.Join(d, "new dir")); return err == nil && fi.IsDir() })

	// Rename it with r (F2's twin): the cursor is on the new directory.
	step("r")
	step("C-u")
	step("r", "e", "n", "a", "m", "e", "d")
	step("Enter")
	s.waitFor("renamed/")
	waitDisk(t, func() bool { _, err := os.Stat(filepath.Join(d, "renamed")); return err == nil })
	if _, err := os.Stat(filepath.Join(d, "new dir")); !os.IsNotExist(err) {
		t.Fatalf("old name still exists after rename (%v)", err)
	}

	// F8: delete it; the dialog waits for y.
	step("F8")
	s.waitFor("Delete")
	if _, err := os.Stat(filepath.Join(d, "renamed")); err != nil {
		t.Fatal("deleted before confirming")
	}
	step("y")
	waitDisk(t, func() bool { _, err := os.Stat(filepath.Join(d, "renamed")); return os.IsNotExist(err) })

	step("q")
	if st := s.exitStatus(); st != "0" {
		t.Fatalf("exit status %s; stderr: %s", st, s.stderr())
	}
}

// waitDisk polls cond for up to 10 s.
func waitDisk(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("the change never reached the disk")
}
