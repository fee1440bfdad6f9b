package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferry-tui/ferry/remote/sshdtest"
)

// TestSSHDSyncFollowLinksLoop syncs with -L a tree holding a link to a
// directory above it, up to a real sshd and down from it: the link is
// reported once as a skipped symlink loop, everything else syncs, and
// the run exits 0.
func TestSSHDSyncFollowLinksLoop(t *testing.T) {
	t.Parallel()
	srv := sshdtest.Start(t)
	cfg := sshConfigFor(t, "", map[string]*sshdtest.Server{"box": srv})
	src := filepath.Join(t.TempDir(), "tree")
	writeAt(t, src, "a.txt", "a", syncTime)
	writeAt(t, src, "sub/b.txt", "b", syncTime)
	if err := os.Symlink("..", filepath.Join(src, "sub", "up")); err != nil {
		t.Fatal(err)
	}
	down := filepath.Join(t.TempDir(), "down")
	for _, c := range [][3]string{{src, "box:tree", filepath.Join(srv.Dir, "tree")}, {"box:tree", down, down}} {
		if c[1] == down { // the server's copy has no loop: give it one
			if err := os.Symlink("..", filepath.Join(srv.Dir, "tree", "sub", "up")); err != nil {
				t.Fatal(err)
			}
		}
		_, errs := syncOK(t, "-F", cfg, "-L", c[0], c[1])
		if strings.Count(errs, "symlink loop") != 1 || !strings.Contains(errs, "skipped:") {
			t.Errorf("%s -> %s: %s", c[0], c[1], errs)
		}
		for _, f := range []string{"a.txt", "sub/b.txt"} {
			if _, err := os.Stat(filepath.Join(c[2], f)); err != nil {
				t.Errorf("%s -> %s: %v", c[0], c[1], err)
			}
		}
		if _, err := os.Lstat(filepath.Join(c[2], "sub", "up")); err == nil {
			t.Errorf("%s -> %s: the loop was copied", c[0], c[1])
		}
	}
}
