package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/remote/sshdtest"
)

// TestE2ESSHDCopyBetweenPanesInTmux copies with F5 in both directions
// against a real sshd, then copies over an existing file and answers the
// conflict dialog with o (overwrite). Contents are checked on disk.
func TestE2ESSHDCopyBetweenPanesInTmux(t *testing.T) {
	t.Parallel()
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

	// Left pane (local) has only "up load.bin": F5, confirm with Enter.
	s.keys("F5")
	s.waitFor("Copy up load.bin to box:")
	s.keys("Enter")
	waitDisk(t, func() bool {
		b, err := os.ReadFile(filepath.Join(srv.Dir, "up load.bin"))
		return err == nil && bytes.Equal(b, big)
	})

	// Right pane: "remote dir" is the first entry; c is F5's twin.
	s.keys("Tab", "c")
	s.waitFor("Copy remote dir")
	s.keys("Enter")
	waitDisk(t, func() bool {
		b, err := os.ReadFile(filepath.Join(work, "remote dir", "nested", "ünï.txt"))
		return err == nil && string(b) == "from the server"
	})

	// Copy "up load.bin" again from the left: the conflict dialog asks.
	if err := os.WriteFile(filepath.Join(srv.Dir, "up load.bin"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	s.keys("Tab", "G") // the file sorts after the copied directory
	s.keys("F5")
	s.waitFor("Copy up load.bin to box:")
	s.keys("Enter")
	s.waitFor("already exists")
	waitConflictReady(t, s)
	if b, _ := os.ReadFile(filepath.Join(srv.Dir, "up load.bin")); string(b) != "old" {
		t.Fatal("overwritten before the conflict was answered")
	}
	s.keys("o")
	waitDisk(t, func() bool {
		b, err := os.ReadFile(filepath.Join(srv.Dir, "up load.bin"))
		return err == nil && bytes.Equal(b, big)
	})

	s.keys("q")
	if st := s.exitStatus(); st != "0" {
		t.Fatalf("exit status %s; stderr: %s", st, s.stderr())
	}
}

// waitConflictReady waits until the conflict dialog on screen takes keys:
// it ignores them for a moment after it pops up, so that a key typed for
// the file list cannot answer it. The probe is the "for all" box, which a
// (ready) dialog ticks on a and clears on a second a; it is left clear.
func waitConflictReady(t *testing.T, s *tmuxSession) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(s.screen(), "[x]") {
		if time.Now().After(deadline) {
			t.Fatalf("the conflict dialog never took a key; last screen:\n%s", s.screen())
		}
		s.keys("a")
		// A key the dialog took shows at once; give it time to be drawn
		// before pressing again, so that two presses do not cancel out.
		for wait := time.Now().Add(250 * time.Millisecond); time.Now().Before(wait); time.Sleep(20 * time.Millisecond) {
			if strings.Contains(s.screen(), "[x]") {
				break
			}
		}
	}
	s.keys("a")
	s.waitFor("[ ]")
}
