package demo

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/pkg/sftp"
)

// TestConfineLinksInside follows links whose targets are inside the
// served directory, relative and absolute (absolute ones start from the
// client's "/"), including one that climbs to the top and past it.
func TestConfineLinksInside(t *testing.T) {
	j := startJailed(t)
	dir := j.s.Dir
	if err := os.MkdirAll(filepath.Join(dir, "a", "b"), 0o755); err != nil {
		t.Fatal(err)
	}
	links := map[string]string{
		"rel":       "inside.txt",
		"a/b/up":    "../../inside.txt",
		"a/b/top":   "../../../../../inside.txt",
		"abs":       "/inside.txt",
		"a/absdir":  "/a/b",
		"chain":     "rel",
		"a/b/dotty": "./../b/../../a/../inside.txt",
	}
	for name, target := range links {
		if err := j.sc.Symlink(target, name); err != nil {
			t.Fatalf("Symlink(%q, %q): %v", target, name, err)
		}
		if got, err := os.Readlink(filepath.Join(dir, filepath.FromSlash(name))); err != nil || got != target {
			t.Fatalf("link %s on disk points to %q (%v); want %q, as given", name, got, err, target)
		}
		if got, err := j.sc.ReadLink(name); err != nil || got != target {
			t.Fatalf("ReadLink %q = %q, %v; want %q", name, got, err, target)
		}
	}
	for _, p := range []string{"rel", "a/b/up", "a/b/top", "abs", "chain", "a/b/dotty", "a/absdir/../../inside.txt"} {
		f, err := j.sc.Open(p)
		if err != nil {
			t.Fatalf("Open %q: %v", p, err)
		}
		b, err := io.ReadAll(f)
		f.Close()
		if err != nil || string(b) != "inside\n" {
			t.Fatalf("read %q through links: %q, %v", p, b, err)
		}
	}
	if err := createErr(j.sc, "a/absdir/made.txt"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "a", "b", "made.txt")); err != nil {
		t.Fatalf("a file made through a link to /a/b is not in a/b: %v", err)
	}
	// A link to itself fails instead of looping.
	if err := j.sc.Symlink("loop", "loop"); err != nil {
		t.Fatal(err)
	}
	if _, err := j.sc.Stat("loop"); err == nil {
		t.Fatal("Stat of a link to itself succeeded")
	}
}

// TestRenameDoesNotReplace checks SSH_FXP_RENAME as OpenSSH answers it:
// onto an existing file or directory it fails with SSH_FX_FAILURE and
// changes nothing; posix-rename@openssh.com replaces a file.
func TestRenameDoesNotReplace(t *testing.T) {
	j := startJailed(t)
	dir := j.s.Dir
	write := func(name, body string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	read := func(name string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	write("old.txt", "old")
	write("new.txt", "new")
	for _, target := range []string{"new.txt", "deep", "up-secret"} {
		err := j.sc.Rename("old.txt", target)
		var se *sftp.StatusError
		if !errors.As(err, &se) || se.FxCode() != sftp.ErrSSHFxFailure {
			t.Fatalf("Rename onto the existing %s: %v; want SSH_FX_FAILURE", target, err)
		}
	}
	if read("old.txt") != "old" || read("new.txt") != "new" {
		t.Fatal("a refused rename changed the files")
	}
	if err := os.Mkdir(filepath.Join(dir, "d1"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := j.sc.Rename("d1", "deep"); err == nil {
		t.Fatal("Rename of a directory onto an existing one succeeded")
	}
	if err := j.sc.Rename("old.txt", "fresh.txt"); err != nil {
		t.Fatal(err)
	}
	if read("fresh.txt") != "old" {
		t.Fatal("renamed file lost its content")
	}
	if _, err := os.Stat(filepath.Join(dir, "old.txt")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("old name still there after Rename: %v", err)
	}
	if err := j.sc.Rename("d1", "d2"); err != nil {
		t.Fatal(err)
	}
	if err := j.sc.PosixRename("fresh.txt", "new.txt"); err != nil {
		t.Fatal(err)
	}
	if read("new.txt") != "old" {
		t.Fatal("PosixRename did not replace new.txt")
	}
	if _, err := os.Stat(filepath.Join(dir, "fresh.txt")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("old name still there after PosixRename: %v", err)
	}
}
