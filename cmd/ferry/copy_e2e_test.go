package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/remote/sshdtest"
)

// TestE2ESSHDCopyBetweenPanesInTmux copies with F5 in both directions
// against a real sshd, then copies over an existing file and answers the
// conflict dialog with o (overwrite). Contents are checked on disk.
func TestE2ESSHDCopyBetweenPanesInTmux(t *testing.T) {
	bin := ferryBinary(t)
	srv := sshdtest.Start(t)
	work := t.TempDir()
	big := bytes.Repeat([]byte("ferry "), 1<<20) // 6 MiB
	if err := os.WriteFile(filepath.Join(work, "up load.bin"), big, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(srv.Dir, "remote dir", "nested"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(srv.Dir, "remote dir", "nested", "ünï.txt"), []byte("from the server"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := sshConfigFor(t, "", map[string]*sshdtest.Server{"box": srv})
	s := startTmux(t, 120, 30, []string{"HOME=" + t.TempDir(), "TERM=xterm-256color"},
		"sh", "-c", "cd "+shq(work)+" && exec "+shq(bin)+" -F "+shq(cfg)+" box")
	s.waitFor("remote dir/")
	step := func(keys ...string) {
		s.keys(keys...)
		time.Sleep(200 * time.Millisecond)
	}

	// Left pane (local) has only "up load.bin": F5, confirm with Enter.
	step("F5")
	s.waitFor("Copy")
	step("Enter")
	waitDisk(t, func() bool {
		b, err := os.ReadFile(filepath.Join(srv.Dir, "up load.bin"))
		return err == nil && bytes.Equal(b, big)
	})

	// Right pane: "remote dir" is the first entry; c is F5's twin.
	step("Tab")
	step("c")
	s.waitFor("Copy")
	step("Enter")
	waitDisk(t, func() bool {
		b, err := os.ReadFile(filepath.Join(work, "remote dir", "nested", "ünï.txt"))
		return err == nil && string(b) == "from the server"
	})

	// Copy "up load.bin" again from the left: the conflict dialog asks.
	if err := os.WriteFile(filepath.Join(srv.Dir, "up load.bin"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	step("Tab")
	step("G") // the file sorts after the copied directory
	step("F5")
	s.waitFor("Copy")
	step("Enter")
	s.waitFor("already exists")
	time.Sleep(400 * time.Millisecond) // the dialog ignores keys at first
	if b, _ := os.ReadFile(filepath.Join(srv.Dir, "up load.bin")); string(b) != "old" {
		t.Fatal("overwritten before the conflict was answered")
	}
	step("o")
	waitDisk(t, func() bool {
		b, err := os.ReadFile(filepath.Join(srv.Dir, "up load.bin"))
		return err == nil && bytes.Equal(b, big)
	})

	step("q")
	if st := s.exitStatus(); st != "0" {
		t.Fatalf("exit status %s; stderr: %s", st, s.stderr())
	}
}
