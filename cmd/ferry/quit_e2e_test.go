package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/remote/sshdtest"
)

// TestE2ESSHDQuitDuringCopyNamesPartials quits the UI (q, y) while a
// large upload runs: ferry is gone promptly and says
// on its way out what it cancelled, which partial file remains on which
// host, and how to continue it.
func TestE2ESSHDQuitDuringCopyNamesPartials(t *testing.T) {
	t.Parallel()
	bin := ferryBinary(t)
	srv := sshdtest.Start(t)
	cfg := sshConfigFor(t, "", map[string]*sshdtest.Server{"box": srv})
	work := t.TempDir()
	// Sparse: nothing to read from disk, and far more than the test waits for.
	if err := os.Truncate(createEmpty(t, filepath.Join(work, "huge.bin")), 4<<30); err != nil {
		t.Fatal(err)
	}
	createEmpty(t, filepath.Join(srv.Dir, "on the server"))
	home := t.TempDir()
	s := startTmux(t, 120, 30, []string{"HOME=" + home, "TERM=xterm-256color"},
		"sh", "-c", "cd "+shq(work)+" && exec "+shq(bin)+" -F "+shq(cfg)+" box")
	s.waitFor("huge.bin")
	s.waitFor("on the server") // the right pane has listed
	s.keys("F5")
	s.waitFor("Copy huge.bin to box:")
	s.keys("Enter")
	part := filepath.Join(srv.Dir, ".huge.bin.ferry-part")
	waitDisk(t, func() bool {
		fi, err := os.Stat(part)
		_, merr := os.Stat(part + ".meta")
		return err == nil && fi.Size() > 0 && merr == nil
	})
	s.keys("q")
	s.waitFor("Quit ferry?")
	start := time.Now()
	s.keys("y")
	st := s.exitStatus()
	took := time.Since(start)
	stderr := s.stderr()
	t.Logf("quit in %v; stderr:\n%s", took.Round(time.Millisecond), stderr)
	if st != "0" {
		t.Errorf("exit status %s", st)
	}
	// 2 s for the engine and the session to stop (stopDeadline), plus
	// the UI's own end and the exit, as TestE2ESSHDQuitWhileServerFrozen.
	if took > 4*time.Second {
		t.Errorf("quitting took %v", took)
	}
	for _, want := range []string{
		"1 file not copied: quitting cancelled it",
		"local:" + filepath.Join(work, "huge.bin") + " -> box:" + filepath.Join(srv.Dir, "huge.bin"),
		"box:" + part,
		"copy the same files again to continue",
		"1 unfinished transfer in the queue: ferry queue resume continues them",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr does not say %q", want)
		}
	}
	if _, err := os.Stat(part); err != nil {
		t.Errorf("the partial file named is not there: %v", err)
	}
	if _, err := os.Stat(filepath.Join(srv.Dir, "huge.bin")); err == nil {
		t.Error("the target exists after a cancelled copy")
	}
	// The journal kept it for the next run.
	code, out, _ := ferryIn(t, home, "queue")
	if code != 0 || !strings.Contains(out, "copy local:"+filepath.Join(work, "huge.bin")+" to ") || !strings.Contains(out, "box:"+filepath.Join(srv.Dir, "huge.bin")) || !strings.Contains(out, "interrupted") {
		t.Errorf("ferry queue after the quit: exit %d\n%s", code, out)
	}
}

// createEmpty creates an empty file at path and returns path.
func createEmpty(t *testing.T, path string) string {
	t.Helper()
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
