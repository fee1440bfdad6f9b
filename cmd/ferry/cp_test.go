package main

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/remote/sshdtest"
)

// makeFiles writes a small tree: nested directories, an empty directory,
// a 3 MiB file and names with spaces and non-ASCII letters.
func makeFiles(t *testing.T, root string) {
	t.Helper()
	files := map[string][]byte{
		"a.txt":                 []byte("alpha\n"),
		"sub dir/ünï.txt":       []byte("unicode\n"),
		"sub dir/deep/more.bin": bytes.Repeat([]byte{0, 1, 2, 3, 250}, 3<<20/5),
	}
	for p, b := range files {
		full := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, b, 0o640); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(root, "empty"), 0o755); err != nil {
		t.Fatal(err)
	}
}

// treeSums maps each path below root to a content hash ("dir" for
// directories) and, for files, the mode and mtime to the second.
func treeSums(t *testing.T, root string) map[string]string {
	t.Helper()
	out, err := sumTree(root)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// sumTree maps each entry below root to "dir", or to its file's SHA-256,
// mode and modification time.
func sumTree(root string) (map[string]string, error) {
	out := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() {
			out[rel] = "dir"
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		out[rel] = fmt.Sprintf("%x %v %d", sha256.Sum256(b), fi.Mode().Perm(), fi.ModTime().Unix())
		return nil
	})
	return out, err
}

func sameTree(t *testing.T, a, b string) {
	t.Helper()
	sa, sb := treeSums(t, a), treeSums(t, b)
	if len(sa) != len(sb) {
		t.Fatalf("trees differ in size: %d vs %d entries\n%v\n%v", len(sa), len(sb), sa, sb)
	}
	for k, v := range sa {
		if sb[k] != v {
			t.Errorf("%s: %q vs %q", k, v, sb[k])
		}
	}
}

func TestSSHDCopyUpDownAndBetweenHosts(t *testing.T) {
	t.Parallel()
	a, b := sshdtest.Start(t), sshdtest.Start(t)
	cfg := sshConfigFor(t, "", map[string]*sshdtest.Server{"a": a, "b": b})
	src := filepath.Join(t.TempDir(), "tree")
	makeFiles(t, src)

	// put: local -> a
	if code, _, errs := ferry(t, "put", "-F", cfg, "-r", src, "a:"); code != 0 {
		t.Fatalf("put: exit %d: %s", code, errs)
	}
	sameTree(t, src, filepath.Join(a.Dir, "tree"))

	// cp: a -> b, remote to remote
	if code, _, errs := ferry(t, "cp", "-F", cfg, "-r", "a:tree", "b:copied"); code != 0 {
		t.Fatalf("cp a: b: exit %d: %s", code, errs)
	}
	sameTree(t, src, filepath.Join(b.Dir, "copied"))

	// get: b -> local
	down := t.TempDir()
	code, _, errs := ferry(t, "get", "-F", cfg, "-r", "b:copied", down)
	if code != 0 {
		t.Fatalf("get: exit %d: %s", code, errs)
	}
	sameTree(t, src, filepath.Join(down, "copied"))
	if !strings.Contains(errs, "ferry get: 3 files copied (") {
		t.Errorf("summary line missing: %q", errs)
	}
	for _, dir := range []string{a.Dir, b.Dir, down} {
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && strings.Contains(d.Name(), ".ferry-part") {
				t.Errorf("temp file left behind: %s", p)
			}
			return nil
		})
	}
}

func TestSSHDCopyConflictsNeverSilent(t *testing.T) {
	t.Parallel()
	srv := sshdtest.Start(t)
	cfg := sshConfigFor(t, "", map[string]*sshdtest.Server{"box": srv})
	local := filepath.Join(t.TempDir(), "f.txt")
	if err := os.WriteFile(local, []byte("new content"), 0o644); err != nil {
		t.Fatal(err)
	}
	remote := filepath.Join(srv.Dir, "f.txt")
	reset := func() {
		if err := os.WriteFile(remote, []byte("old"), 0o644); err != nil {
			t.Fatal(err)
		}
		old := time.Now().Add(-time.Hour)
		os.Chtimes(remote, old, old)
	}
	read := func() string { b, _ := os.ReadFile(remote); return string(b) }

	// No terminal to ask on: refused, reported, exit 1, file untouched.
	reset()
	code, _, errs := ferry(t, "put", "-F", cfg, local, "box:")
	if code != 1 || !strings.Contains(errs, "exists; use -f to overwrite") || read() != "old" {
		t.Fatalf("no flag: exit %d, content %q, stderr %q", code, read(), errs)
	}
	// One file, counted once: refused is a failure, not also a skip.
	if !strings.Contains(errs, "ferry put: 0 files copied (") || !strings.Contains(errs, "), 1 failed:") || strings.Contains(errs, "skipped") {
		t.Fatalf("no flag: summary counts the file twice or not in words: %q", errs)
	}
	// -n skips quietly, exit 0.
	reset()
	if code, _, errs := ferry(t, "put", "-F", cfg, "-n", local, "box:"); code != 0 || read() != "old" {
		t.Fatalf("-n: exit %d, content %q: %s", code, read(), errs)
	}
	// --newer: the local file is newer, so it replaces the remote one.
	reset()
	if code, _, errs := ferry(t, "put", "-F", cfg, "--newer", local, "box:"); code != 0 || read() != "new content" {
		t.Fatalf("--newer: exit %d, content %q: %s", code, read(), errs)
	}
	// -f overwrites.
	reset()
	if code, _, errs := ferry(t, "put", "-F", cfg, "-f", local, "box:"); code != 0 || read() != "new content" {
		t.Fatalf("-f: exit %d, content %q: %s", code, read(), errs)
	}
}

func TestCopyExitCodes(t *testing.T) {
	t.Parallel()
	srv := sshdtest.Start(t)
	cfg := sshConfigFor(t, "Host closed\n  HostName 127.0.0.1\n  Port 1\n  BatchMode yes\n", map[string]*sshdtest.Server{"box": srv})
	dir := t.TempDir()
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"cp", dir, "box:"}, 1, "is a directory (use -r)"},
		{[]string{"cp", "box:missing", dir}, 1, "no such file"},
		{[]string{"cp", dir + "/x", "closed:"}, 255, "closed"},
		{[]string{"cp", "onlyone"}, 2, "usage"},
		{[]string{"get", dir, dir}, 2, "get copies HOST:PATH"},
		{[]string{"put", "box:x", "box:y"}, 2, "put copies local files"},
		{[]string{"cp", "-n", "-f", "a", "b"}, 2, "cannot be combined"},
	}
	for _, c := range cases {
		args := append([]string{c.args[0], "-F", cfg}, c.args[1:]...)
		code, _, errs := ferry(t, args...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, errs, c.code, c.want)
		}
	}
}

func TestProgressLine(t *testing.T) {
	line := progressLine(snapshotFor(50<<20, 100<<20, "big \x1b[31mfile.bin"), 80)
	if !strings.Contains(line, " 50%") || !strings.Contains(line, "50M/100M") || strings.ContainsRune(line, 0x1b) {
		t.Fatalf("line %q", line)
	}
	if n := len([]rune(line)); n > 80 {
		t.Fatalf("line is %d runes wide", n)
	}
}

// TestSSHDCopyTildePaths: scp's ~ and ~/x are the login directory.
func TestSSHDCopyTildePaths(t *testing.T) {
	t.Parallel()
	srv := sshdtest.Start(t)
	cfg := sshConfigFor(t, "", map[string]*sshdtest.Server{"box": srv})
	f := filepath.Join(t.TempDir(), "t.txt")
	if err := os.WriteFile(f, []byte("tilde"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := ferry(t, "put", "-F", cfg, f, "box:~"); code != 0 {
		t.Fatalf("put to ~: %d %s", code, errs)
	}
	if b, err := os.ReadFile(filepath.Join(srv.Dir, "t.txt")); err != nil || string(b) != "tilde" {
		t.Fatalf("~ did not mean the login directory: %q %v", b, err)
	}
	down := t.TempDir()
	if code, _, errs := ferry(t, "get", "-F", cfg, "box:~/t.txt", down); code != 0 {
		t.Fatalf("get ~/t.txt: %d %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(srv.Dir, "~")); !os.IsNotExist(err) {
		t.Fatal("a file literally named ~ was created")
	}
	if code, _, errs := ferry(t, "get", "-F", cfg, "box:~bob/x", down); code != 255 && code != 2 || !strings.Contains(errs, "~user") {
		t.Fatalf("~user: exit %d, %q", code, errs)
	}
}
