package transfer_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/modes"
	"github.com/ferry-tui/ferry/transfer"
)

// opsTreeOn makes a small tree in root: d/a (100 bytes), d/s/b (23), d/s/t/
// (empty), d/link -> a, and returns the size DirSize must find for d.
func opsTreeOn(t *testing.T, root string) int64 {
	t.Helper()
	for _, d := range []string{"d", "d/s", "d/s/t"} {
		if err := os.Mkdir(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for name, n := range map[string]int{"d/a": 100, "d/s/b": 23} {
		if err := os.WriteFile(filepath.Join(root, name), make([]byte, n), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("a", filepath.Join(root, "d", "link")); err != nil {
		t.Fatal(err)
	}
	return 100 + 23 + int64(len("a"))
}

// testTreeOps runs every operation on fsys, whose root is the local
// directory root as the server sees it.
func testTreeOps(t *testing.T, fsys transfer.FS, root string) {
	ctx := context.Background()
	want := opsTreeOn(t, root)
	d := fsys.Join(root, "d")

	if got, err := transfer.DirSize(ctx, fsys, d, 0); err != nil || got != want {
		t.Errorf("DirSize = %d, %v; want %d", got, err, want)
	}
	if got, err := transfer.DirSize(ctx, fsys, d, 1); err != nil || got != want {
		t.Errorf("DirSize with one worker = %d, %v; want %d", got, err, want)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := transfer.DirSize(cctx, fsys, d, 0); !errors.Is(err, context.Canceled) {
		t.Errorf("DirSize after cancel: %v, want context.Canceled", err)
	}
	if _, err := transfer.DirSize(ctx, fsys, fsys.Join(root, "missing"), 0); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("DirSize of a missing directory: %v", err)
	}

	// chmod -R with a symbolic mode, relative to each entry's mode.
	ch, err := modes.Parse("g-r,u+x")
	if err != nil {
		t.Fatal(err)
	}
	n, err := transfer.ChmodAll(ctx, fsys, d, true, ch.Apply)
	if err != nil || n != 5 {
		t.Fatalf("ChmodAll = %d, %v; want 5 entries", n, err)
	}
	for name, want := range map[string]fs.FileMode{"d": 0o715, "d/s": 0o715, "d/s/t": 0o715, "d/a": 0o704, "d/s/b": 0o704} {
		fi, err := os.Lstat(filepath.Join(root, name))
		if err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v, %v; want %v", name, fi.Mode().Perm(), err, want)
		}
	}
	if fi, _ := os.Lstat(filepath.Join(root, "d", "link")); fi.Mode()&fs.ModeSymlink == 0 {
		t.Error("the link was replaced")
	}
	// Octal, not recursive: only d changes.
	oct, _ := modes.Parse("750")
	if _, err := transfer.ChmodAll(ctx, fsys, d, false, oct.Apply); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(filepath.Join(root, "d")); fi.Mode().Perm() != 0o750 {
		t.Errorf("d: %v, want 0750", fi.Mode().Perm())
	}
	if fi, _ := os.Stat(filepath.Join(root, "d", "s")); fi.Mode().Perm() != 0o715 {
		t.Errorf("d/s changed without -R: %v", fi.Mode().Perm())
	}

	// A new empty file; a second one of the same name is refused.
	nf := fsys.Join(root, "new file ü")
	if err := transfer.CreateEmpty(ctx, fsys, nf); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(filepath.Join(root, "new file ü")); err != nil || fi.Size() != 0 || !fi.Mode().IsRegular() {
		t.Fatalf("new file: %v %v", fi, err)
	}
	if err := transfer.CreateEmpty(ctx, fsys, nf); !errors.Is(err, fs.ErrExist) {
		t.Errorf("CreateEmpty over an existing file: %v, want ErrExist", err)
	}

	// A symbolic link with an absolute target.
	ln := fsys.Join(root, "to-a")
	if err := fsys.Symlink(ctx, fsys.Join(d, "a"), ln); err != nil {
		t.Fatal(err)
	}
	if tgt, err := os.Readlink(filepath.Join(root, "to-a")); err != nil || tgt != filepath.Join(root, "d", "a") {
		t.Errorf("link target %q, %v", tgt, err)
	}

	// chown -R to numeric ids (the tests run as root where they can).
	if os.Getuid() != 0 {
		t.Log("not root: chown to other ids skipped")
		return
	}
	if err := transfer.ChownAll(ctx, fsys, d, 1234, 5678, true); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"d", "d/a", "d/s", "d/s/b", "d/s/t"} {
		fi, _ := os.Lstat(filepath.Join(root, name))
		st := fi.Sys().(*syscall.Stat_t)
		if st.Uid != 1234 || st.Gid != 5678 {
			t.Errorf("%s owned by %d:%d, want 1234:5678", name, st.Uid, st.Gid)
		}
	}
	if st, _ := os.Lstat(filepath.Join(root, "d", "link")); st.Sys().(*syscall.Stat_t).Uid == 1234 {
		t.Error("chown -R changed the link itself")
	}
	// Only the group; the owner stays.
	if err := transfer.ChownAll(ctx, fsys, nf, -1, 42, false); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Lstat(filepath.Join(root, "new file ü"))
	if st := fi.Sys().(*syscall.Stat_t); st.Uid != 0 || st.Gid != 42 {
		t.Errorf("chgrp: %d:%d, want 0:42", st.Uid, st.Gid)
	}
}

func TestTreeOpsLocal(t *testing.T) {
	testTreeOps(t, local.New(), t.TempDir())
}

func TestTreeOpsSSHD(t *testing.T) {
	t.Parallel()
	s := startSSHD(t)
	fsys, _ := dialFS(t, s)
	testTreeOps(t, fsys, s.Dir)
}

func TestDirSizeManyDirs(t *testing.T) {
	t.Parallel()
	s := startSSHD(t)
	fsys, _ := dialFS(t, s)
	var want int64
	for i := range 40 {
		d := filepath.Join(s.Dir, "big", string(rune('a'+i%26))+string(rune('a'+i/26)), "x")
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, "f"), make([]byte, i), 0o644); err != nil {
			t.Fatal(err)
		}
		want += int64(i)
	}
	start := time.Now()
	got, err := transfer.DirSize(context.Background(), fsys, fsys.Join(s.Dir, "big"), 0)
	if err != nil || got != want {
		t.Fatalf("DirSize = %d, %v; want %d", got, err, want)
	}
	t.Logf("81 directories in %v", time.Since(start))
}
