package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestE2EFindBookmarkAndLogInTmux drives the built binary in tmux: a
// search in the demo's pane goes to the match, B bookmarks its directory,
// alt+left goes back, L shows the messages; after quitting, the bookmark
// is in places.json and the messages in messages.log, both private, and
// the next run's host picker offers the bookmark.
func TestE2EFindBookmarkAndLogInTmux(t *testing.T) {
	t.Parallel()
	bin := ferryBinary(t)
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "deep", "er"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "deep", "er", "needle.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	state := t.TempDir()
	env := []string{"HOME=" + t.TempDir(), "XDG_STATE_HOME=" + state, "TERM=xterm-256color"}
	run := "cd " + shq(t.TempDir()) + " && exec " + shq(bin) + " demo " + shq(dir)
	s := startTmux(t, 120, 30, env, "sh", "-c", run)
	s.waitFor("deep/")
	s.keys("Tab", "C-f")
	s.waitFor("Find under demo:/")
	s.keys("NEEDLE", "Enter")
	s.waitFor("done: 1 match in 3 directories")
	s.keys("Enter")
	s.waitFor("demo:/deep/er ")
	s.keys("B")
	s.waitFor("bookmarked demo:/deep/er as er")
	s.keys("M-Left")
	s.waitFor("demo:/ ")
	s.keys("L")
	s.waitFor("Messages of this run")
	s.keys("L") // closes it; Esc then q would read as alt+q
	s.waitFor("name↑")
	s.keys("q")
	if st := s.exitStatus(); st != "0" {
		t.Fatalf("exit status %s; stderr: %s", st, s.stderr())
	}
	for name, want := range map[string]string{"places.json": `"path": "/deep/er"`, "messages.log": "info: bookmarked demo:/deep/er as er"} {
		p := filepath.Join(state, "ferry", name)
		b, err := os.ReadFile(p)
		if err != nil || !strings.Contains(string(b), want) {
			t.Fatalf("%s: %v\n%s", name, err, b)
		}
		if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v", name, fi.Mode().Perm())
		}
	}
	s2 := startTmux(t, 120, 30, env, "sh", "-c", run)
	s2.waitFor("deep/")
	s2.keys("o")
	s2.waitFor("★ er")
	s2.keys("Escape")
	s2.waitFor("name↑")
	s2.keys("q")
	if st := s2.exitStatus(); st != "0" {
		t.Fatalf("second run: exit status %s; stderr: %s", st, s2.stderr())
	}
}
