package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferry-tui/ferry/remote/sshdtest"
)

// modeOf returns p's permission bits.
func modeOf(t *testing.T, p string) fs.FileMode {
	t.Helper()
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

// TestSSHDSyncModeOnly changes only a file's permission bits, on each
// side in turn: ferry sync shows a chmod in the plan and makes it, up to a
// real sshd and down from it, without copying the file, and a second run
// finds nothing to do.
func TestSSHDSyncModeOnly(t *testing.T) {
	t.Parallel()
	srv := sshdtest.Start(t)
	cfg := sshConfigFor(t, "", map[string]*sshdtest.Server{"box": srv})
	loc := filepath.Join(t.TempDir(), "tree")
	rem := filepath.Join(srv.Dir, "tree")
	writeAt(t, loc, "bin/run.sh", "#!/bin/sh\necho hi\n", syncTime)
	syncOK(t, "-F", cfg, loc, "box:tree")

	for _, c := range []struct {
		from, to, fromDir, toDir string
		mode                     fs.FileMode
	}{
		{loc, "box:tree", loc, rem, 0o755},
		{"box:tree", loc, rem, loc, 0o700},
	} {
		file := filepath.Join(c.fromDir, "bin", "run.sh")
		if err := os.Chmod(file, c.mode); err != nil {
			t.Fatal(err)
		}
		target := filepath.Join(c.toDir, "bin", "run.sh")
		old := modeOf(t, target)
		out, _ := syncOK(t, "-F", cfg, "-n", c.from, c.to)
		wantPlan(t, out, "~ bin/run.sh (mode "+octal(old)+" -> "+octal(c.mode)+")")
		if got := modeOf(t, target); got != old {
			t.Fatalf("-n changed the mode to %v", got)
		}
		_, errs := syncOK(t, "-F", cfg, c.from, c.to)
		if got := modeOf(t, target); got != c.mode {
			t.Errorf("%s -> %s: mode %v, want %v (%s)", c.from, c.to, got, c.mode, errs)
		}
		if strings.Contains(errs, "copied") || !strings.Contains(errs, "permissions of 1 file set") {
			t.Errorf("%s -> %s: %s", c.from, c.to, errs)
		}
		_, errs = syncOK(t, "-F", cfg, c.from, c.to)
		if !strings.Contains(errs, "up to date") {
			t.Errorf("second run: %s", errs)
		}
	}
}

// octal renders a mode as the plan does: 0755.
func octal(m fs.FileMode) string { return fmt.Sprintf("%04o", uint32(m)) }
