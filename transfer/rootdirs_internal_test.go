package transfer

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// newTestRootFS opens a rootFS on a fresh directory.
func newTestRootFS(t *testing.T) *rootFS {
	t.Helper()
	dir := t.TempDir()
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	r := &rootFS{label: "local", dir: dir, root: root}
	t.Cleanup(func() { r.close() })
	return r
}

func (r *rootFS) kept() int {
	r.dirs.mu.Lock()
	defer r.dirs.mu.Unlock()
	return len(r.dirs.m)
}

func writeVia(t *testing.T, r *rootFS, name, content string) {
	t.Helper()
	ctx := context.Background()
	tmp := filepath.Join(filepath.Dir(name), ".tmp-"+filepath.Base(name))
	f, err := r.CreateExcl(ctx, tmp, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte(content)); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	mt := time.Unix(1_600_000_000, 0)
	if err := r.Chtimes(ctx, tmp, mt, mt); err != nil {
		t.Fatal(err)
	}
	if err := r.Rename(ctx, tmp, name); err != nil {
		t.Fatal(err)
	}
}

func TestRootDirsKeepsDirectoriesAndForgetsRenamedOnes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := newTestRootFS(t)
	a := filepath.Join(r.dir, "a")
	if err := r.Mkdir(ctx, a, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := r.Mkdir(ctx, filepath.Join(a, "b"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeVia(t, r, filepath.Join(a, "b", "one"), "1")
	if r.kept() == 0 {
		t.Fatal("no directory kept open after writing a file two levels down")
	}
	// ferry renames a/b away and makes a new a/b: the next file must go
	// into the new one, not the kept handle of the old.
	if err := r.Rename(ctx, filepath.Join(a, "b"), filepath.Join(a, "old")); err != nil {
		t.Fatal(err)
	}
	if err := r.Mkdir(ctx, filepath.Join(a, "b"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeVia(t, r, filepath.Join(a, "b", "two"), "2")
	if _, err := os.Stat(filepath.Join(a, "b", "two")); err != nil {
		t.Fatalf("file written after the rename: %v", err)
	}
	if _, err := os.Stat(filepath.Join(a, "old", "two")); err == nil {
		t.Fatal("file went into the renamed directory through a stale handle")
	}
	fi, err := r.Lstat(ctx, filepath.Join(a, "b", "two"))
	if err != nil || !fi.ModTime().Equal(time.Unix(1_600_000_000, 0)) {
		t.Fatalf("Lstat = %v, %v; want the time set", fi, err)
	}
	// Removed and made again: the same.
	if err := r.Remove(ctx, filepath.Join(a, "b", "two")); err != nil {
		t.Fatal(err)
	}
	if err := r.Remove(ctx, filepath.Join(a, "b")); err != nil {
		t.Fatal(err)
	}
	if err := r.Mkdir(ctx, filepath.Join(a, "b"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeVia(t, r, filepath.Join(a, "b", "three"), "3")
	if _, err := os.Stat(filepath.Join(a, "b", "three")); err != nil {
		t.Fatalf("file written after remove and mkdir: %v", err)
	}
}

// A directory replaced by another program under a kept handle: an
// operation that fails in the kept one is repeated by the full path.
func TestRootDirsErrorFallsBackToTheFullPath(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := newTestRootFS(t)
	d := filepath.Join(r.dir, "d")
	if err := os.MkdirAll(d, 0o755); err != nil {
		t.Fatal(err)
	}
	writeVia(t, r, filepath.Join(d, "f"), "x")
	if err := os.Rename(d, filepath.Join(r.dir, "moved")); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(d, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(d, "g"), []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Lstat(ctx, filepath.Join(d, "g")); err != nil {
		t.Fatalf("Lstat of a file in the new directory: %v", err)
	}
	// A symbolic link that leaves its directory but not the root is
	// followed as the top root follows it.
	if err := os.Symlink("../moved/f", filepath.Join(d, "link")); err != nil {
		t.Fatal(err)
	}
	fi, err := r.Stat(ctx, filepath.Join(d, "link"))
	if err != nil || fi.Size() != 1 {
		t.Fatalf("Stat through ../ link = %v, %v", fi, err)
	}
	// One that leaves the root is still refused.
	if err := os.Symlink("../../", filepath.Join(d, "out")); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Stat(ctx, filepath.Join(d, "out")); err == nil {
		t.Fatal("Stat through a link out of the root succeeded")
	}
	// Errors read as the full path's; a missing name keeps the
	// directory open.
	_, err = r.Lstat(ctx, filepath.Join(d, "missing"))
	if r.kept() == 0 {
		t.Error("an Lstat of a missing file forgot its directory")
	}
	var pe *fs.PathError
	if !errors.Is(err, fs.ErrNotExist) || !errors.As(err, &pe) || pe.Path != filepath.Join("d", "missing") {
		t.Fatalf("Lstat of a missing file = %#v", err)
	}
}

func TestRootDirsBoundsOpenDirectories(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := newTestRootFS(t)
	for i := range 3 * maxDirs {
		d := filepath.Join(r.dir, "d"+strconv.Itoa(i))
		if err := r.Mkdir(ctx, d, 0o755); err != nil {
			t.Fatal(err)
		}
		writeVia(t, r, filepath.Join(d, "f"), "x")
	}
	if n := r.kept(); n > maxDirs || n == 0 {
		t.Fatalf("%d directories kept open, want 1 to %d", n, maxDirs)
	}
	for i := range 3 * maxDirs {
		b, err := os.ReadFile(filepath.Join(r.dir, "d"+strconv.Itoa(i), "f"))
		if err != nil || string(b) != "x" {
			t.Fatalf("d%d/f = %q, %v", i, b, err)
		}
	}
}
