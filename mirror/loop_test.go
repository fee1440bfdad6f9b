package mirror

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ferry-tui/ferry/transfer"
)

// symlink makes root/rel a symbolic link to target.
func symlink(t *testing.T, root, rel, target string) {
	t.Helper()
	if err := os.Symlink(target, filepath.Join(root, filepath.FromSlash(rel))); err != nil {
		t.Fatal(err)
	}
}

// TestPlanFollowLinksLoop follows links (-L) in a tree with loops: each
// link that leads back to a directory above it is noted once as a
// symlink loop and skipped, a link to a directory that is not above it is
// followed, and the rest of the tree syncs.
func TestPlanFollowLinksLoop(t *testing.T) {
	t.Parallel()
	src, dst := t.TempDir(), filepath.Join(t.TempDir(), "copy")
	put(t, src, "a.txt", "a")
	put(t, src, "sub/b.txt", "b")
	put(t, src, "other/c.txt", "c")
	symlink(t, src, "self", ".")
	symlink(t, src, "sub/up", "..")
	symlink(t, src, "sub/abs", src)
	symlink(t, src, "sub/other", "../other")

	p := plan(t, src, dst, Options{FollowLinks: true})
	var loops []string
	for _, n := range p.Notes {
		if !errors.Is(n.Err, transfer.ErrLoop) || !strings.Contains(n.Err.Error(), "symlink loop") {
			t.Errorf("note %s: %v", n.Path, n.Err)
		}
		loops = append(loops, n.Path)
	}
	if want := []string{"self", "sub/abs", "sub/up"}; !slices.Equal(loops, want) {
		t.Errorf("loops noted: %q, want %q", loops, want)
	}
	execute(t, p)
	for _, f := range []string{"a.txt", "sub/b.txt", "other/c.txt", "sub/other/c.txt"} {
		if _, err := os.Stat(filepath.Join(dst, filepath.FromSlash(f))); err != nil {
			t.Errorf("not synced: %v", err)
		}
	}
	for _, l := range loops {
		if _, err := os.Lstat(filepath.Join(dst, filepath.FromSlash(l))); err == nil {
			t.Errorf("%s: the loop was copied", l)
		}
	}
	if p := plan(t, src, dst, Options{FollowLinks: true}); len(p.Actions) != 0 {
		t.Errorf("second plan: %q", lines(p))
	}
}

// TestPlanFollowLinksLoopThroughTwoLinks follows x -> y where y/l -> ../x:
// the walk ends, each way in noting a loop, instead of failing at the
// depth limit.
func TestPlanFollowLinksLoopThroughTwoLinks(t *testing.T) {
	t.Parallel()
	src, dst := t.TempDir(), t.TempDir()
	put(t, src, "y/f", "f")
	symlink(t, src, "x", "y")
	symlink(t, src, "y/l", "../x")
	p := plan(t, src, dst, Options{FollowLinks: true})
	if len(p.Notes) == 0 {
		t.Fatal("no loop noted")
	}
	for _, n := range p.Notes {
		if !errors.Is(n.Err, transfer.ErrLoop) {
			t.Errorf("note %s: %v", n.Path, n.Err)
		}
	}
	execute(t, p)
	for _, f := range []string{"y/f", "x/f"} {
		if _, err := os.Stat(filepath.Join(dst, f)); err != nil {
			t.Errorf("not synced: %v", err)
		}
	}
}
