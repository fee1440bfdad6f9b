package transfer_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/ferry-tui/ferry/transfer"
)

// linkTree makes dir/tree with links of every kind, and dir/outside with
// what some of them point to.
func linkTree(t *testing.T, dir string) string {
	t.Helper()
	tree := filepath.Join(dir, "tree")
	writeFile(t, filepath.Join(tree, "real.txt"), []byte("inside"), 0o644, baseTime)
	writeFile(t, filepath.Join(dir, "outside", "secret.txt"), []byte("outside"), 0o600, baseTime)
	for name, target := range map[string]string{
		"in.lnk":      "real.txt",
		"out.lnk":     "../outside/secret.txt",
		"outdir.lnk":  filepath.Join(dir, "outside"),
		"loop.lnk":    "..",
		"broken.lnk":  "no-such-file",
		"sub/up.lnk":  "../real.txt",
		"sub/dot.lnk": ".",
	} {
		p := filepath.Join(tree, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
	}
	return tree
}

func TestLinksOutsideAreSkippedWithAReason(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tree := linkTree(t, dir)
	e, _ := newEngine(t, transfer.Options{})
	run(t, e, transfer.Request{Src: localFS(), Dst: localFS(), Items: []transfer.Item{{Src: tree, Dst: filepath.Join(dir, "copy")}}})
	for _, name := range []string{"out.lnk", "outdir.lnk", "loop.lnk"} {
		j := jobFor(t, e, filepath.Join(tree, name))
		if j.State != transfer.Skipped || !errors.Is(j.Err, transfer.ErrLinkOutside) {
			t.Errorf("%s: %v, %v; want skipped as outside", name, j.State, j.Err)
		}
	}
	if fi, err := os.Lstat(filepath.Join(dir, "copy", "in.lnk")); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("a link inside the tree is not recreated as a link: %v, %v", fi, err)
	}
}

func TestFollowLinksCopiesWhatLinksPointTo(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tree := linkTree(t, dir)
	copyDir := filepath.Join(dir, "copy")
	e, _ := newEngine(t, transfer.Options{})
	run(t, e, transfer.Request{Src: localFS(), Dst: localFS(), FollowLinks: true, Items: []transfer.Item{{Src: tree, Dst: copyDir}}})

	for name, want := range map[string]string{"in.lnk": "inside", "out.lnk": "outside", "outdir.lnk/secret.txt": "outside", "sub/up.lnk": "inside"} {
		p := filepath.Join(copyDir, filepath.FromSlash(name))
		fi, err := os.Lstat(p)
		if err != nil || !fi.Mode().IsRegular() {
			t.Errorf("%s: %v, %v; want a regular file", name, fi, err)
			continue
		}
		if b, _ := os.ReadFile(p); string(b) != want {
			t.Errorf("%s holds %q, want %q", name, b, want)
		}
	}
	if fi, err := os.Lstat(filepath.Join(copyDir, "outdir.lnk")); err != nil || !fi.IsDir() {
		t.Errorf("a link to a directory is not copied as a directory: %v, %v", fi, err)
	}
	if j := jobFor(t, e, filepath.Join(tree, "broken.lnk")); j.State != transfer.Failed || !errors.Is(j.Err, os.ErrNotExist) {
		t.Errorf("broken link: %v, %v; want failed, not found", j.State, j.Err)
	}
	for _, name := range []string{"loop.lnk", "sub/dot.lnk"} {
		j := jobFor(t, e, filepath.Join(tree, filepath.FromSlash(name)))
		if j.State != transfer.Failed || !errors.Is(j.Err, transfer.ErrLoop) {
			t.Errorf("%s: %v, %v; want refused as a loop", name, j.State, j.Err)
		}
	}
	noTemps(t, copyDir)
}

func TestMoveCannotFollowLinks(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e, _ := newEngine(t, transfer.Options{})
	_, err := e.Submit(transfer.Request{Src: localFS(), Dst: localFS(), Move: true, FollowLinks: true, Items: []transfer.Item{{Src: filepath.Join(dir, "a"), Dst: filepath.Join(dir, "b")}}})
	if err == nil {
		t.Fatal("a move following links was accepted")
	}
}
