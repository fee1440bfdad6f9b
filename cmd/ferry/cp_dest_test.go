package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferry-tui/ferry/remote/sshdtest"
)

// TestSSHDTrailingSlashNeedsADirectory: as in cp and scp, a destination
// ending in / must be an existing directory; "newdir/" never becomes a
// file named newdir, locally or remotely.
func TestSSHDTrailingSlashNeedsADirectory(t *testing.T) {
	t.Parallel()
	srv := sshdtest.Start(t)
	cfg := sshConfigFor(t, "", map[string]*sshdtest.Server{"box": srv})
	local := t.TempDir()
	src := filepath.Join(local, "f.txt")
	if err := os.WriteFile(src, []byte("data"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := ferry(t, "cp", "-F", cfg, src, "box:"+srv.Dir+"/newdir/")
	if code != 1 || !strings.Contains(errs, "newdir/: no such directory") {
		t.Fatalf("cp to a missing dir/: exit %d, stderr %q", code, errs)
	}
	if _, err := os.Lstat(filepath.Join(srv.Dir, "newdir")); err == nil {
		t.Fatal("a file named newdir was created")
	}
	code, _, errs = ferry(t, "get", "-F", cfg, "box:"+srv.Dir+"/newdir/x", filepath.Join(local, "missing")+"/")
	if code != 1 || !strings.Contains(errs, "no such directory") {
		t.Fatalf("get to a missing local dir/: exit %d, stderr %q", code, errs)
	}
	// A missing parent is named by the destination, never by the
	// temporary file.
	code, _, errs = ferry(t, "cp", "-F", cfg, src, "box:"+srv.Dir+"/no/such/f.txt")
	if code != 1 || !strings.Contains(errs, "directory "+srv.Dir+"/no/such does not exist") || strings.Contains(errs, "ferry-part") {
		t.Fatalf("cp under a missing parent: exit %d, stderr %q", code, errs)
	}
	// An existing directory with the slash works as before.
	if err := os.Mkdir(filepath.Join(srv.Dir, "there"), 0o755); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := ferry(t, "cp", "-F", cfg, src, "box:"+srv.Dir+"/there/"); code != 0 {
		t.Fatalf("cp to an existing dir/: exit %d, stderr %q", code, errs)
	}
	if b, err := os.ReadFile(filepath.Join(srv.Dir, "there", "f.txt")); err != nil || string(b) != "data" {
		t.Fatalf("copied file: %q, %v", b, err)
	}
}
