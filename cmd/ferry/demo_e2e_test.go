package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestE2EDemoInTmux runs the built binary as `ferry demo DIR` in tmux, sees
// a file of DIR in the right pane, opens a directory, quits with q and
// checks the exit status and that the terminal was restored.
func TestE2EDemoInTmux(t *testing.T) {
	t.Parallel()
	bin := ferryBinary(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "only-in-demo-dir.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "sub dir"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "sub dir", "inner-file.txt"), []byte("y"), 0o644); err != nil {
		t.Fatal(err)
	}
	cwd := t.TempDir()
	s := startTmux(t, 120, 30, []string{"HOME=" + t.TempDir(), "TERM=xterm-256color"},
		"sh", "-c", "cd "+shq(cwd)+" && exec "+shq(bin)+" demo "+shq(dir))
	scr := s.waitFor("only-in-demo-dir.txt")
	// DIR is the demo's "/" (issue 11): the pane shows "/", not DIR's path.
	if !strings.Contains(scr, "demo:/ ") || strings.Contains(scr, "demo:"+dir) {
		t.Fatalf("right pane header should read demo:/; screen:\n%s", scr)
	}
	// Focus the right pane, walk to "sub dir" (directories first) and open it.
	s.keys("Tab", "Enter")
	s.waitFor("inner-file.txt")
	s.keys("q")
	if st := s.exitStatus(); st != "0" {
		t.Fatalf("exit status %s; stderr: %s", st, s.stderr())
	}
	if scr := s.screen(); strings.Contains(scr, "inner-file.txt") {
		t.Fatalf("alternate screen not left after quitting:\n%s", scr)
	}
}

// TestE2EDemoSampleTree runs `ferry demo` with no DIR: the right pane shows
// the seeded sample tree, and quitting removes every temporary directory
// the demo made (TMPDIR points at a directory of the test's own).
func TestE2EDemoSampleTree(t *testing.T) {
	t.Parallel()
	bin := ferryBinary(t)
	tmp := t.TempDir()
	s := startTmux(t, 120, 30, []string{"HOME=" + t.TempDir(), "TMPDIR=" + tmp, "TERM=xterm-256color"},
		"sh", "-c", "cd "+shq(t.TempDir())+" && exec "+shq(bin)+" demo")
	scr := s.waitFor("README.txt")
	for _, want := range []string{"my documents/", "Ünïcødé/", "big/"} {
		if !strings.Contains(scr, want) {
			t.Errorf("sample tree entry %q missing from screen:\n%s", want, scr)
		}
	}
	s.keys("q")
	if st := s.exitStatus(); st != "0" {
		t.Fatalf("exit status %s; stderr: %s", st, s.stderr())
	}
	left, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range left {
		if strings.HasPrefix(e.Name(), "ferry-demo") {
			t.Errorf("demo left %s behind in TMPDIR", e.Name())
		}
	}
}

// TestE2EDemoTerminalClosed: closing the terminal under `ferry demo` (the
// tmux pane killed: SIGHUP) stops it as Ctrl-C does, removing the sample
// tree and the key directory it made in TMPDIR.
func TestE2EDemoTerminalClosed(t *testing.T) {
	t.Parallel()
	bin := ferryBinary(t)
	tmp := t.TempDir()
	s := startTmux(t, 120, 30, []string{"HOME=" + t.TempDir(), "TMPDIR=" + tmp, "TERM=xterm-256color"},
		"sh", "-c", "cd "+shq(t.TempDir())+" && exec "+shq(bin)+" demo")
	s.waitFor("README.txt")
	demoDirs := func() []string {
		var names []string
		left, _ := os.ReadDir(tmp)
		for _, e := range left {
			if strings.HasPrefix(e.Name(), "ferry-demo") {
				names = append(names, e.Name())
			}
		}
		return names
	}
	if len(demoDirs()) == 0 {
		t.Fatal("the demo made nothing in TMPDIR: the test would prove nothing")
	}
	s.tmux("kill-session", "-t", s.name)
	deadline := time.Now().Add(20 * time.Second)
	for len(demoDirs()) > 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if left := demoDirs(); len(left) > 0 {
		t.Errorf("after the terminal closed the demo left %v in TMPDIR", left)
	}
}
