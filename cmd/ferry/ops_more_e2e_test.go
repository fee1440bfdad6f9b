package main

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/ferry-tui/ferry/remote/sshdtest"
)

// TestE2ESSHDMoreOperationsInTmux drives the built binary against a real
// sshd: directory sizes with ctrl+space (mc's key, as a terminal sends
// it), chmod -R with a symbolic mode, a new empty file, a symbolic link
// and chown by name, each checked on the server's disk.
func TestE2ESSHDMoreOperationsInTmux(t *testing.T) {
	t.Parallel()
	bin := ferryBinary(t)
	srv := sshdtest.Start(t)
	d := srv.Dir
	if err := os.MkdirAll(filepath.Join(d, "proj", "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, n := range map[string]int{"proj/a": 3000, "proj/sub/b": 2000} {
		if err := os.WriteFile(filepath.Join(d, name), make([]byte, n), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg := sshConfigFor(t, "", map[string]*sshdtest.Server{"box": srv})
	s := startTmux(t, 120, 30, []string{"HOME=" + t.TempDir(), "TERM=xterm-256color"},
		"sh", "-c", "cd "+shq(t.TempDir())+" && exec "+shq(bin)+" -F "+shq(cfg)+" box")
	s.waitFor("proj/")
	step := func(want string, keys ...string) {
		t.Helper()
		s.keys(keys...)
		s.waitFor(want)
	}

	// The right pane: sizes of proj (5000 bytes).
	step("1 directory: 4.9K", "Tab", "C-Space")

	// chmod -R go-rx on proj.
	step("Permissions, recursively", "P")
	step("> go-rx", "C-u", "g", "o", "-", "r", "x")
	step("permissions changed on 4 entries", "Enter")
	for rel, want := range map[string]os.FileMode{"proj": 0o700, "proj/sub/b": 0o600} {
		waitDisk(t, func() bool { fi, err := os.Stat(filepath.Join(d, rel)); return err == nil && fi.Mode().Perm() == want })
	}

	// A new empty file, then a link to it beside it.
	step("New empty file in", "t")
	step("> e.txt", "e", ".", "t", "x", "t")
	step("e.txt", "Enter")
	waitDisk(t, func() bool { fi, err := os.Stat(filepath.Join(d, "e.txt")); return err == nil && fi.Size() == 0 })
	step("> e.txt.link", "K")
	step("e.txt.link -> ", "Enter")
	waitDisk(t, func() bool {
		tgt, err := os.Readlink(filepath.Join(d, "e.txt.link"))
		return err == nil && tgt == filepath.Join(d, "e.txt")
	})

	// chown by name: the server's long listing names daemon and bin,
	// the owners of proj.
	if os.Getuid() == 0 {
		if err := os.Chown(filepath.Join(d, "proj"), 1, 2); err != nil {
			t.Fatal(err)
		}
		step("Owner[:group]", "O")
		step("> daemon:bin", "d", "a", "e", "m", "o", "n", ":", "b", "i", "n")
		step("owner changed on 1 entry", "Enter")
		waitDisk(t, func() bool {
			fi, err := os.Stat(filepath.Join(d, "e.txt"))
			st, _ := fi.Sys().(*syscall.Stat_t)
			return err == nil && st != nil && st.Uid == 1 && st.Gid == 2
		})
	}

	s.keys("q")
	if st := s.exitStatus(); st != "0" {
		t.Fatalf("exit status %s; stderr: %s", st, s.stderr())
	}
}
