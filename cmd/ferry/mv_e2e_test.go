package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/remote/sshdtest"
)

// runBinary runs the built ferry with args, headless, and returns its
// exit code and stderr.
func runBinary(t *testing.T, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(ferryBinary(t), args...)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode(), errb.String()
		} else if err != nil {
			t.Fatal(err)
		}
		return 0, errb.String()
	case <-time.After(faultTimeout):
		cmd.Process.Kill()
		<-done
		t.Fatalf("ferry %v did not finish; stderr:\n%s", args, errb.String())
	}
	return -1, ""
}

// TestE2ESSHDMoveUpAndDown moves a tree to a real sshd and back with the
// built binary: each time it arrives whole and its source is gone. Then a
// move in which one file cannot be copied (a directory stands at its
// target) moves the rest, keeps that file and the directory holding it,
// and exits 1.
func TestE2ESSHDMoveUpAndDown(t *testing.T) {
	srv := sshdtest.Start(t)
	cfg := sshConfigFor(t, "", map[string]*sshdtest.Server{"box": srv})
	work := t.TempDir()
	src := filepath.Join(work, "tree")
	makeFiles(t, src)
	want := treeSums(t, src)
	same := func(root string) {
		t.Helper()
		got := treeSums(t, root)
		if len(got) != len(want) {
			t.Fatalf("%s: %d entries, want %d:\n%v", root, len(got), len(want), got)
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s/%s: %q, want %q", root, k, got[k], v)
			}
		}
	}

	// local -> remote
	code, errs := runBinary(t, "mv", "-F", cfg, src, "box:")
	if code != 0 {
		t.Fatalf("mv up: exit %d: %s", code, errs)
	}
	same(filepath.Join(srv.Dir, "tree"))
	if _, err := os.Lstat(src); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the local source is still there (%v)", err)
	}
	if !strings.Contains(errs, "ferry mv: 3 files moved (") || !strings.Contains(errs, "7 sources removed") {
		t.Errorf("summary: %q", errs)
	}

	// remote -> local
	down := filepath.Join(work, "down")
	if err := os.Mkdir(down, 0o755); err != nil {
		t.Fatal(err)
	}
	if code, errs := runBinary(t, "mv", "-F", cfg, "box:tree", down+"/"); code != 0 {
		t.Fatalf("mv down: exit %d: %s", code, errs)
	}
	same(filepath.Join(down, "tree"))
	if _, err := os.Lstat(filepath.Join(srv.Dir, "tree")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the remote source is still there (%v)", err)
	}

	// A failed copy keeps its source.
	moved := filepath.Join(down, "tree")
	blocked := filepath.Join(srv.Dir, "tree", "a.txt")
	if err := os.MkdirAll(blocked, 0o755); err != nil {
		t.Fatal(err)
	}
	code, errs = runBinary(t, "mv", "-F", cfg, moved, "box:")
	if code != 1 {
		t.Fatalf("mv onto a directory in the way: exit %d, want 1: %s", code, errs)
	}
	if !strings.Contains(errs, "1 failed") || !strings.Contains(errs, "a.txt") || !strings.Contains(errs, "not removed:") {
		t.Errorf("stderr does not name the failure and the kept directory: %q", errs)
	}
	if b, err := os.ReadFile(filepath.Join(moved, "a.txt")); err != nil || string(b) != "alpha\n" {
		t.Errorf("the source of the failed copy: %q, %v", b, err)
	}
	if fi, err := os.Stat(blocked); err != nil || !fi.IsDir() {
		t.Errorf("the directory in the way was replaced (%v)", err)
	}
	for _, rel := range []string{"sub dir/ünï.txt", "sub dir/deep/more.bin"} {
		if _, err := os.Lstat(filepath.Join(moved, rel)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("the source of %s, which arrived, is still there (%v)", rel, err)
		}
		if got := treeSums(t, filepath.Join(srv.Dir, "tree"))[rel]; got != want[rel] {
			t.Errorf("%s arrived as %q", rel, got)
		}
	}
	for _, rel := range []string{"sub dir", "empty"} {
		if _, err := os.Lstat(filepath.Join(moved, rel)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("the emptied directory %s is still there (%v)", rel, err)
		}
	}
}
