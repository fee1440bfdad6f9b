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
	t.Parallel()
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
	// Keys reach the program in order, so a step sends its keys and
	// waits only for what it must see before the next: a dialog open, a
	// name typed, a listing loaded.
	step := func(want string, keys ...string) {
		t.Helper()
		s.keys(keys...)
		s.waitFor(want)
	}

	// Open "a dir" in the right pane and leave it again.
	step("inner ünï.txt", "Tab", "Enter")
	step("zz evil", "BSpace")

	// F7: make a directory.
	step("New directory in", "F7")
	step("> new dir", "n", "e", "w", " ", "d", "i", "r")
	step("new dir/", "Enter")
	waitDisk(t, func() bool { fi, err := os.Stat(filepath.Join(d, "new dir")); return err == nil && fi.IsDir() })

	// Rename it with r (F2's twin): the cursor is on the new directory.
	step("Rename new dir", "r")
	step("> renamed", "C-u", "r", "e", "n", "a", "m", "e", "d")
	step("renamed/", "Enter")
	waitDisk(t, func() bool { _, err := os.Stat(filepath.Join(d, "renamed")); return err == nil })
	if _, err := os.Stat(filepath.Join(d, "new dir")); !os.IsNotExist(err) {
		t.Fatalf("old name still exists after rename (%v)", err)
	}

	// F8: delete it; the dialog waits for y.
	step("Delete", "F8")
	if _, err := os.Stat(filepath.Join(d, "renamed")); err != nil {
		t.Fatal("deleted before confirming")
	}
	s.keys("y")
	waitDisk(t, func() bool { _, err := os.Stat(filepath.Join(d, "renamed")); return os.IsNotExist(err) })

	s.keys("q")
	if st := s.exitStatus(); st != "0" {
		t.Fatalf("exit status %s; stderr: %s", st, s.stderr())
	}
}

// waitDisk polls cond for up to 20 s.
func waitDisk(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("the change never reached the disk")
}
