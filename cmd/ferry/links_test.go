package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferry-tui/ferry/remote/sshdtest"
)

func TestSSHDCopyReportsSkippedLinksAndLFollowsThem(t *testing.T) {
	t.Parallel()
	srv := sshdtest.Start(t)
	cfg := sshConfigFor(t, "", map[string]*sshdtest.Server{"box": srv})
	dir := t.TempDir()
	tree := filepath.Join(dir, "tree")
	if err := os.MkdirAll(tree, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "secret.txt"), []byte("outside"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tree, "a.txt"), []byte("inside"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../secret.txt", filepath.Join(tree, "out.lnk")); err != nil {
		t.Fatal(err)
	}

	code, _, errs := ferry(t, "put", "-F", cfg, "-r", tree, "box:plain")
	if code != 0 || !strings.Contains(errs, "skipped:") || !strings.Contains(errs, "out.lnk") || !strings.Contains(errs, "-L copies what it points to") {
		t.Fatalf("put -r: exit %d; the skipped link is not reported: %s", code, errs)
	}
	if _, err := os.Lstat(filepath.Join(srv.Dir, "plain", "out.lnk")); err == nil {
		t.Error("a link pointing outside the tree was copied")
	}

	code, _, errs = ferry(t, "put", "-F", cfg, "-r", "--copy-links", tree, "box:followed")
	if code != 0 || strings.Contains(errs, "skipped") {
		t.Fatalf("put -r --copy-links: exit %d: %s", code, errs)
	}
	fi, err := os.Lstat(filepath.Join(srv.Dir, "followed", "out.lnk"))
	b, _ := os.ReadFile(filepath.Join(srv.Dir, "followed", "out.lnk"))
	if err != nil || !fi.Mode().IsRegular() || string(b) != "outside" {
		t.Fatalf("-L: out.lnk is %v (%v), holding %q; want the file it points to", fi, err, b)
	}

	if code, _, errs := ferry(t, "mv", "-F", cfg, "-L", tree, "box:moved"); code != 2 || !strings.Contains(errs, "-L cannot be used with mv") {
		t.Fatalf("mv -L: exit %d: %s", code, errs)
	}
}
