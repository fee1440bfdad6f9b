package transfer_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/ferry-tui/ferry/transfer"
)

// TestSelectLimitsTheWalk copies a tree with Request.Select declining a
// file and a directory: neither arrives, the directory is not even
// created, and everything else is copied as without Select.
func TestSelectLimitsTheWalk(t *testing.T) {
	t.Parallel()
	src := filepath.Join(t.TempDir(), "tree")
	writeFile(t, filepath.Join(src, "keep.txt"), []byte("keep"), 0o644, baseTime)
	writeFile(t, filepath.Join(src, "drop.txt"), []byte("drop"), 0o644, baseTime)
	writeFile(t, filepath.Join(src, "sub", "in.txt"), []byte("in"), 0o644, baseTime)
	writeFile(t, filepath.Join(src, "skipdir", "x.txt"), []byte("x"), 0o644, baseTime)
	dst := filepath.Join(t.TempDir(), "copy")
	var mu sync.Mutex
	var asked []string
	sel := func(p string, fi fs.FileInfo) bool {
		mu.Lock()
		defer mu.Unlock()
		asked = append(asked, p)
		return fi.Name() != "drop.txt" && fi.Name() != "skipdir"
	}
	e, _ := newEngine(t, transfer.Options{Workers: 2})
	run(t, e, transfer.Request{Src: localFS(), Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: dst}}, Select: sel})
	onlyDone(t, e)
	for _, p := range []string{"keep.txt", "sub/in.txt"} {
		if _, err := os.Stat(filepath.Join(dst, p)); err != nil {
			t.Errorf("%s not copied: %v", p, err)
		}
	}
	for _, p := range []string{"drop.txt", "skipdir"} {
		if _, err := os.Lstat(filepath.Join(dst, p)); err == nil {
			t.Errorf("%s copied although Select declined it", p)
		}
	}
	if len(asked) != 5 { // four entries at the top, one in sub
		t.Errorf("Select asked about %q", asked)
	}
}

// TestLinkInsideExported checks the exported form of the link rule.
func TestLinkInsideExported(t *testing.T) {
	t.Parallel()
	if got, ok := transfer.LinkInside("/r/a/l", "/r", "/r/b/f"); !ok || got != "../b/f" {
		t.Errorf("inside: %q %v", got, ok)
	}
	if _, ok := transfer.LinkInside("/r/a/l", "/r", "../../etc"); ok {
		t.Error("outside link accepted")
	}
}
