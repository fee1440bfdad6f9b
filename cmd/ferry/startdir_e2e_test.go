package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferry-tui/ferry/remote/sshdtest"
)

// startDirServer starts sshd with some/dir/from-server.txt under the login
// directory, and returns it with an ssh config naming it "box".
func startDirServer(t *testing.T) (*sshdtest.Server, string) {
	t.Helper()
	srv := sshdtest.Start(t)
	if err := os.MkdirAll(filepath.Join(srv.Dir, "some", "dir"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(srv.Dir, "some", "dir", "from-server.txt"), []byte("remote bytes"), 0o644); err != nil {
		t.Fatal(err)
	}
	return srv, sshConfigFor(t, "", map[string]*sshdtest.Server{"box": srv})
}

// TestE2ESSHDRelativeStartPathCopies opens `ferry box:some/dir` and
// `ferry sftp://box/some/dir`: the right pane starts in the login
// directory's some/dir, named absolutely, and F5 copies from it.
func TestE2ESSHDRelativeStartPathCopies(t *testing.T) {
	t.Parallel()
	bin := ferryBinary(t)
	srv, cfg := startDirServer(t)
	for _, dest := range []string{"box:some/dir", "sftp://box/some/dir"} {
		work := t.TempDir()
		s := startTmux(t, 220, 30, []string{"HOME=" + t.TempDir(), "TERM=xterm-256color"},
			"sh", "-c", "cd "+shq(work)+" && exec "+shq(bin)+" -F "+shq(cfg)+" "+shq(dest))
		scr := s.waitFor("from-server.txt")
		if !strings.Contains(scr, "box:"+filepath.Join(srv.Dir, "some", "dir")) {
			t.Fatalf("%s: right header should read box:%s/some/dir; screen:\n%s", dest, srv.Dir, scr)
		}
		s.keys("Tab", "F5")
		s.waitFor("Copy from-server.txt to local:")
		s.keys("Enter")
		waitDisk(t, func() bool {
			b, err := os.ReadFile(filepath.Join(work, "from-server.txt"))
			return err == nil && string(b) == "remote bytes"
		})
		if scr := s.screen(); strings.Contains(scr, "absolute") {
			t.Fatalf("%s: screen:\n%s", dest, scr)
		}
		s.keys("q")
		if st := s.exitStatus(); st != "0" {
			t.Fatalf("%s: exit status %s; stderr: %s", dest, st, s.stderr())
		}
	}
}

// TestE2ESSHDMissingStartPathOpensLoginDir opens `ferry box:nope`: the
// right pane shows the login directory and the status line says why.
func TestE2ESSHDMissingStartPathOpensLoginDir(t *testing.T) {
	t.Parallel()
	bin := ferryBinary(t)
	srv, cfg := startDirServer(t)
	s := startTmux(t, 220, 30, []string{"HOME=" + t.TempDir(), "TERM=xterm-256color"},
		"sh", "-c", "cd "+shq(t.TempDir())+" && exec "+shq(bin)+" -F "+shq(cfg)+" box:nope")
	scr := s.waitFor("some/")
	want := "cannot list " + filepath.Join(srv.Dir, "nope") + ": "
	if !strings.Contains(scr, want) || !strings.Contains(scr, "showing "+srv.Dir+" instead") || !strings.Contains(scr, "box:"+srv.Dir) {
		t.Fatalf("want the login directory and %q…; screen:\n%s", want, scr)
	}
	s.keys("q")
	if st := s.exitStatus(); st != "0" {
		t.Fatalf("exit status %s; stderr: %s", st, s.stderr())
	}
}

// TestE2ESSHDPickerOpensTypedPath types box:some/dir in the host picker
// of `ferry -F CFG`: the right pane opens there.
func TestE2ESSHDPickerOpensTypedPath(t *testing.T) {
	t.Parallel()
	bin := ferryBinary(t)
	srv, cfg := startDirServer(t)
	s := startTmux(t, 220, 30, []string{"HOME=" + t.TempDir(), "TERM=xterm-256color"},
		"sh", "-c", "cd "+shq(t.TempDir())+" && exec "+shq(bin)+" -F "+shq(cfg))
	s.waitFor("box")
	s.keys("box:some/dir")
	s.waitFor("host: box:some/dir")
	s.keys("Enter")
	scr := s.waitFor("from-server.txt")
	if !strings.Contains(scr, "box:"+filepath.Join(srv.Dir, "some", "dir")) {
		t.Fatalf("right header should read box:%s/some/dir; screen:\n%s", srv.Dir, scr)
	}
	s.keys("q")
	if st := s.exitStatus(); st != "0" {
		t.Fatalf("exit status %s; stderr: %s", st, s.stderr())
	}
}
