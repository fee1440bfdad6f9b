package demo

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// newJail opens a jail on a fresh directory holding a/b/file.txt, beside
// a directory "outside", and the given links (name -> target).
func newJail(t *testing.T, links map[string]string) (j *jail, dir, outside string) {
	t.Helper()
	base := t.TempDir()
	dir, outside = filepath.Join(base, "served"), filepath.Join(base, "outside")
	for _, d := range []string{filepath.Join(dir, "a", "b"), outside} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "a", "b", "file.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(dir, filepath.FromSlash(name))); err != nil {
			t.Fatal(err)
		}
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { root.Close() })
	return &jail{root}, dir, outside
}

func TestJailResolve(t *testing.T) {
	j, _, _ := newJail(t, map[string]string{
		"abs":      "/a/b",
		"rel":      "a/b/file.txt",
		"a/up":     "../../../..",
		"a/b/top":  "/",
		"out":      "../outside",
		"hostpath": "/tmp",
		"loop":     "loop",
		"chain":    "rel",
		"dangling": "nowhere/new.txt",
	})
	cases := []struct {
		name   string
		follow bool
		want   string
		err    error
	}{
		{"/", true, ".", nil},
		{"/a/b/file.txt", true, "a/b/file.txt", nil},
		{"/abs/file.txt", true, "a/b/file.txt", nil},
		{"/abs", true, "a/b", nil},
		{"/abs", false, "abs", nil},
		{"/rel", true, "a/b/file.txt", nil},
		{"/chain", true, "a/b/file.txt", nil},
		{"/chain", false, "chain", nil},
		{"/a/up", true, ".", nil},
		{"/a/up/a/b", true, "a/b", nil},
		{"/a/b/top/a", true, "a", nil},
		{"/out", true, "outside", nil},
		{"/out/secret.txt", true, "", syscall.ENOENT},
		{"/hostpath", true, "tmp", nil},
		{"/new.txt", true, "new.txt", nil},
		{"/missing/new.txt", true, "", syscall.ENOENT},
		{"/a/b/file.txt/x", true, "", syscall.ENOTDIR},
		{"/loop", true, "", syscall.ELOOP},
		{"/loop", false, "loop", nil},
		{"/dangling", true, "", syscall.ENOENT},
		{"/dangling", false, "dangling", nil},
	}
	for _, c := range cases {
		got, err := j.resolve("op", c.name, c.follow)
		if c.err != nil {
			var pe *fs.PathError
			if !errors.Is(err, c.err) || !errors.As(err, &pe) || pe.Path != c.name || pe.Op != "op" {
				t.Errorf("resolve(%q, %v) = %q, %v; want a *fs.PathError for op %q naming it with %v", c.name, c.follow, got, err, "op", c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("resolve(%q, %v) = %q, %v; want %q", c.name, c.follow, got, err, c.want)
		}
	}
}

// TestJailLinkSwappedAfterResolve swaps a directory for a link to the
// outside between resolve and the call that uses its answer: os.Root
// refuses the call, so the outside stays untouched.
func TestJailLinkSwappedAfterResolve(t *testing.T) {
	j, dir, outside := newJail(t, nil)
	p, err := j.resolve("open", "/a/b/new.txt", true)
	if err != nil || p != "a/b/new.txt" {
		t.Fatalf("resolve = %q, %v", p, err)
	}
	if err := os.Rename(filepath.Join(dir, "a", "b"), filepath.Join(dir, "a", "moved")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "a", "b")); err != nil {
		t.Fatal(err)
	}
	if f, err := j.root.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644); err == nil {
		f.Close()
		t.Fatal("a file was created through a link swapped in after resolve")
	}
	if entries, err := os.ReadDir(outside); err != nil || len(entries) != 0 {
		t.Fatalf("outside: %v, %v; want it empty", entries, err)
	}
}
