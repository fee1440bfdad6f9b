package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/remote/sshdtest"
)

// syncTime is a whole-second modification time for the trees below.
var syncTime = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)

// writeAt writes data to root/rel with mtime, creating parents.
func writeAt(t *testing.T, root, rel, data string, mtime time.Time) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(p, mtime, mtime); err != nil {
		t.Fatal(err)
	}
}

// syncOK runs ferry sync and fails t unless it exits 0.
func syncOK(t *testing.T, args ...string) (stdout, stderr string) {
	t.Helper()
	code, out, errs := ferry(t, append([]string{"sync"}, args...)...)
	if code != 0 {
		t.Fatalf("ferry sync %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, out, errs)
	}
	return out, errs
}

// planLines returns the action lines of a dry run's output.
func planLines(out string) []string {
	var lines []string
	for l := range strings.Lines(out) {
		if !strings.HasPrefix(l, "dry run:") {
			lines = append(lines, strings.TrimSuffix(l, "\n"))
		}
	}
	return lines
}

func wantPlan(t *testing.T, out string, want ...string) {
	t.Helper()
	got := planLines(out)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("plan:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// TestSSHDSyncUpThenDown syncs a tree to a real sshd and back: the first
// sync copies everything, a second finds nothing to do, -n lists the
// changes without making them, and --delete makes the copy exact. Then
// the same from the server to a local directory.
func TestSSHDSyncUpThenDown(t *testing.T) {
	t.Parallel()
	srv := sshdtest.Start(t)
	cfg := sshConfigFor(t, "", map[string]*sshdtest.Server{"box": srv})
	src := filepath.Join(t.TempDir(), "tree")
	makeFiles(t, src)
	remoteTree := filepath.Join(srv.Dir, "mirror")

	_, errs := syncOK(t, "-F", cfg, src, "box:mirror")
	sameTree(t, src, remoteTree)
	if !strings.Contains(errs, "3 files copied") {
		t.Errorf("first sync: %s", errs)
	}
	_, errs = syncOK(t, "-F", cfg, "--delete", src, "box:mirror")
	if !strings.Contains(errs, "up to date") || strings.Contains(errs, "copied") {
		t.Errorf("unchanged tree: %s", errs)
	}

	// Change the source: a new file, a longer one, a touched one, one gone.
	writeAt(t, src, "new.txt", "new", syncTime)
	writeAt(t, src, "a.txt", "alpha, longer\n", syncTime)
	writeAt(t, src, "sub dir/ünï.txt", "unicode\n", time.Now().Add(time.Hour))
	if err := os.RemoveAll(filepath.Join(src, "empty")); err != nil {
		t.Fatal(err)
	}
	out, _ := syncOK(t, "-F", cfg, "-n", "--delete", src, "box:mirror")
	wantPlan(t, out,
		"~ a.txt (14 bytes, size 6 -> 14)",
		"- empty/ (not in source)",
		"+ new.txt (3 bytes, new)",
		"~ sub dir/ünï.txt (8 bytes, newer)")
	if !strings.Contains(out, "dry run: 1 new (3 bytes), 2 changed (22 bytes), 1 to delete (0 bytes)") {
		t.Errorf("totals: %s", out)
	}
	if _, err := os.Stat(filepath.Join(remoteTree, "new.txt")); err == nil {
		t.Fatal("-n copied a file")
	}
	if _, err := os.Stat(filepath.Join(remoteTree, "empty")); err != nil {
		t.Fatal("-n deleted a directory")
	}

	// Without --delete the extra directory stays; with it, it goes.
	syncOK(t, "-F", cfg, src, "box:mirror")
	if _, err := os.Stat(filepath.Join(remoteTree, "empty")); err != nil {
		t.Fatal("deleted without --delete")
	}
	_, errs = syncOK(t, "-F", cfg, "--delete", src, "box:mirror")
	if !strings.Contains(errs, "1 entry deleted") {
		t.Errorf("--delete: %s", errs)
	}
	sameTree(t, src, remoteTree)

	// Down: the server's tree to a new local directory, then a change.
	down := filepath.Join(t.TempDir(), "down")
	syncOK(t, "-F", cfg, "box:mirror", down)
	sameTree(t, remoteTree, down)
	writeAt(t, remoteTree, "sub dir/deep/server.txt", "from the server", syncTime)
	writeAt(t, down, "local only.txt", "x", syncTime)
	out, _ = syncOK(t, "-F", cfg, "-n", "--delete", "box:mirror", down)
	wantPlan(t, out, "- local only.txt (1 byte, not in source)", "+ sub dir/deep/server.txt (15 bytes, new)")
	syncOK(t, "-F", cfg, "--delete", "box:mirror", down)
	sameTree(t, remoteTree, down)
	_, errs = syncOK(t, "-F", cfg, "--delete", "box:mirror", down)
	if !strings.Contains(errs, "up to date") {
		t.Errorf("unchanged download: %s", errs)
	}
	leftovers(t, srv.Dir)
	leftovers(t, down)
}

// TestSSHDSyncMaxDeleteRefusesTheRun plans three deletions: --max-delete
// 2 refuses the whole run (nothing copied, nothing deleted), 3 allows it.
func TestSSHDSyncMaxDeleteRefusesTheRun(t *testing.T) {
	t.Parallel()
	srv := sshdtest.Start(t)
	cfg := sshConfigFor(t, "", map[string]*sshdtest.Server{"box": srv})
	src := t.TempDir()
	writeAt(t, src, "keep.txt", "keep", syncTime)
	dst := filepath.Join(srv.Dir, "dst")
	for _, n := range []string{"x1", "x2", "x3"} {
		writeAt(t, dst, n, n, syncTime)
	}
	code, _, errs := ferry(t, "sync", "-F", cfg, "--delete", "--max-delete", "2", src, "box:dst")
	if code != 1 || !strings.Contains(errs, "would delete 3 entries, more than --max-delete 2") {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(dst, "keep.txt")); err == nil {
		t.Error("a refused run copied a file")
	}
	if _, err := os.Stat(filepath.Join(dst, "x1")); err != nil {
		t.Error("a refused run deleted a file")
	}
	if code, _, errs := ferry(t, "sync", "-F", cfg, "--max-delete", "2", src, "box:dst"); code != 2 || !strings.Contains(errs, "--max-delete needs --delete") {
		t.Errorf("--max-delete alone: exit %d: %s", code, errs)
	}
	syncOK(t, "-F", cfg, "--delete", "--max-delete", "3", src, "box:dst")
	sameTree(t, src, dst)
}

// TestSSHDSyncExcludes leaves excluded entries alone on both sides: not
// copied, not deleted; --include before a broader --exclude wins.
func TestSSHDSyncExcludes(t *testing.T) {
	t.Parallel()
	srv := sshdtest.Start(t)
	cfg := sshConfigFor(t, "", map[string]*sshdtest.Server{"box": srv})
	src := t.TempDir()
	writeAt(t, src, "main.go", "package main", syncTime)
	writeAt(t, src, "debug.log", "noise", syncTime)
	writeAt(t, src, "keep.log", "wanted", syncTime)
	writeAt(t, src, "build/out.bin", "binary", syncTime)
	writeAt(t, src, "docs/build/page.html", "nested build dir", syncTime)
	writeAt(t, src, "a/b/c/cache.tmp", "tmp", syncTime)
	dst := filepath.Join(srv.Dir, "dst")
	writeAt(t, dst, "server.log", "the server's own log", syncTime)
	patterns := filepath.Join(t.TempDir(), "patterns")
	if err := os.WriteFile(patterns, []byte("# temporary files\n**/*.tmp\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	args := []string{"-F", cfg, "--delete", "--include", "keep.log", "--exclude", "*.log", "--exclude", "/build/", "--exclude-from", patterns, src, "box:dst"}
	out, _ := syncOK(t, append([]string{"-n"}, args...)...)
	wantPlan(t, out,
		"+ a/ (new)", "+ a/b/ (new)", "+ a/b/c/ (new)",
		"+ docs/ (new)", "+ docs/build/ (new)", "+ docs/build/page.html (16 bytes, new)",
		"+ keep.log (6 bytes, new)", "+ main.go (12 bytes, new)")
	syncOK(t, args...)
	for _, p := range []string{"main.go", "keep.log", "docs/build/page.html", "server.log", "a/b/c"} {
		if _, err := os.Stat(filepath.Join(dst, p)); err != nil {
			t.Errorf("%s missing: %v", p, err)
		}
	}
	for _, p := range []string{"debug.log", "build", "a/b/c/cache.tmp"} {
		if _, err := os.Stat(filepath.Join(dst, p)); err == nil {
			t.Errorf("excluded %s copied", p)
		}
	}
	if code, _, errs := ferry(t, "sync", "-F", cfg, "--exclude", "[a-", src, "box:dst"); code != 2 || !strings.Contains(errs, "bad pattern") {
		t.Errorf("bad pattern: exit %d: %s", code, errs)
	}
}

// TestSSHDSyncChecksum finds a file changed in place with the same size
// and time only with --checksum, and copies it.
func TestSSHDSyncChecksum(t *testing.T) {
	t.Parallel()
	srv := sshdtest.Start(t)
	cfg := sshConfigFor(t, "", map[string]*sshdtest.Server{"box": srv})
	src := t.TempDir()
	writeAt(t, src, "d/same.txt", "same contents", syncTime)
	writeAt(t, src, "d/edited.txt", "version 2", syncTime)
	dst := filepath.Join(srv.Dir, "dst")
	writeAt(t, dst, "d/same.txt", "same contents", syncTime)
	writeAt(t, dst, "d/edited.txt", "version 1", syncTime)

	_, errs := syncOK(t, "-F", cfg, src, "box:dst")
	if !strings.Contains(errs, "up to date") {
		t.Fatalf("by size and time: %s", errs)
	}
	out, _ := syncOK(t, "-F", cfg, "-n", "--checksum", src, "box:dst")
	wantPlan(t, out, "~ d/edited.txt (9 bytes, contents differ)")
	// Downwards too: the server's file is hashed as a stream.
	out, _ = syncOK(t, "-F", cfg, "-n", "-c", "box:dst", src)
	wantPlan(t, out, "~ d/edited.txt (9 bytes, contents differ)")
	syncOK(t, "-F", cfg, "--checksum", src, "box:dst")
	if b, _ := os.ReadFile(filepath.Join(dst, "d", "edited.txt")); string(b) != "version 2" {
		t.Errorf("edited.txt = %q", b)
	}
	_, errs = syncOK(t, "-F", cfg, "-c", src, "box:dst")
	if !strings.Contains(errs, "up to date") {
		t.Errorf("after the checksum sync: %s", errs)
	}
}

// TestSSHDSyncModifyWindow checks the edges of time precision: SFTP keeps
// whole seconds, so a local 9.9 s past the second arrives as the second
// and is still up to date; a second later is a change; --modify-window 2s
// tolerates that.
func TestSSHDSyncModifyWindow(t *testing.T) {
	t.Parallel()
	srv := sshdtest.Start(t)
	cfg := sshConfigFor(t, "", map[string]*sshdtest.Server{"box": srv})
	src := t.TempDir()
	writeAt(t, src, "f.txt", "data", syncTime.Add(900*time.Millisecond))
	syncOK(t, "-F", cfg, src, "box:dst")
	fi, err := os.Stat(filepath.Join(srv.Dir, "dst", "f.txt"))
	if err != nil || !fi.ModTime().Equal(syncTime) {
		t.Fatalf("the server keeps %v (%v), want the whole second %v", fi.ModTime(), err, syncTime)
	}
	_, errs := syncOK(t, "-F", cfg, src, "box:dst")
	if !strings.Contains(errs, "up to date") {
		t.Fatalf("a sub-second difference counted as a change: %s", errs)
	}
	// And back: the whole second against the local fraction.
	_, errs = syncOK(t, "-F", cfg, "box:dst", src)
	if !strings.Contains(errs, "up to date") {
		t.Fatalf("downwards, a sub-second difference counted as a change: %s", errs)
	}
	if err := os.Chtimes(filepath.Join(src, "f.txt"), syncTime.Add(time.Second), syncTime.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	out, _ := syncOK(t, "-F", cfg, "-n", src, "box:dst")
	wantPlan(t, out, "~ f.txt (4 bytes, newer)")
	out, _ = syncOK(t, "-F", cfg, "-n", "--modify-window", "2s", src, "box:dst")
	wantPlan(t, out)
	if code, _, _ := ferry(t, "sync", "-F", cfg, "--modify-window", "500ms", src, "box:dst"); code != 2 {
		t.Errorf("--modify-window 500ms: exit %d, want 2", code)
	}
}

// TestSSHDSyncBetweenHostsAndLinks syncs from one server to another, and
// checks the link rules of cp: links inside the tree are recreated (an
// absolute one made relative) and compare by target, so a second sync
// has nothing to do; a link pointing outside is reported and skipped,
// and -L copies what it points to.
func TestSSHDSyncBetweenHostsAndLinks(t *testing.T) {
	t.Parallel()
	a, b := sshdtest.Start(t), sshdtest.Start(t)
	cfg := sshConfigFor(t, "", map[string]*sshdtest.Server{"a": a, "b": b})
	tree := filepath.Join(a.Dir, "tree")
	makeFiles(t, tree)
	writeAt(t, a.Dir, "secret.txt", "outside", syncTime)
	for target, name := range map[string]string{"a.txt": "rel.lnk", filepath.Join(tree, "sub dir"): "abs.lnk", "../secret.txt": "out.lnk"} {
		if err := os.Symlink(target, filepath.Join(tree, name)); err != nil {
			t.Fatal(err)
		}
	}
	copyDir := filepath.Join(b.Dir, "copy")
	_, errs := syncOK(t, "-F", cfg, "a:tree", "b:copy")
	if !strings.Contains(errs, "skipped:") || !strings.Contains(errs, "out.lnk") || !strings.Contains(errs, "-L copies what it points to") {
		t.Errorf("the outside link is not reported: %s", errs)
	}
	if got, err := os.Readlink(filepath.Join(copyDir, "abs.lnk")); err != nil || got != "sub dir" {
		t.Errorf("abs.lnk -> %q (%v), want the relative \"sub dir\"", got, err)
	}
	if got, _ := os.Readlink(filepath.Join(copyDir, "rel.lnk")); got != "a.txt" {
		t.Errorf("rel.lnk -> %q", got)
	}
	if _, err := os.Lstat(filepath.Join(copyDir, "out.lnk")); err == nil {
		t.Error("the outside link was copied")
	}
	_, errs = syncOK(t, "-F", cfg, "a:tree", "b:copy")
	if !strings.Contains(errs, "up to date") {
		t.Errorf("second sync between hosts: %s", errs)
	}
	// A link whose target changed is replaced.
	os.Remove(filepath.Join(tree, "rel.lnk"))
	if err := os.Symlink("empty", filepath.Join(tree, "rel.lnk")); err != nil {
		t.Fatal(err)
	}
	out, _ := syncOK(t, "-F", cfg, "-n", "a:tree", "b:copy")
	wantPlan(t, out, "~ rel.lnk (link, link target differs)")

	followed := t.TempDir()
	syncOK(t, "-F", cfg, "-L", "a:tree", followed)
	if b, err := os.ReadFile(filepath.Join(followed, "out.lnk")); err != nil || string(b) != "outside" {
		t.Errorf("-L: out.lnk holds %q (%v)", b, err)
	}
}
