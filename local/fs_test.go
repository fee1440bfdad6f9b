package local

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"
)

func TestFSBasics(t *testing.T) {
	ctx := context.Background()
	l := New()
	dir := t.TempDir()
	p := filepath.Join(dir, "a file ü.txt")

	w, err := l.CreateExcl(ctx, p, 0o640)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(w, "hello"); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := l.CreateExcl(ctx, p, 0o640); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("CreateExcl over an existing file: %v, want ErrExist", err)
	}
	if err := l.Mkdir(ctx, filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := l.Symlink(ctx, "a file ü.txt", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	fis, err := l.ReadDir(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, fi := range fis {
		names = append(names, fi.Name())
		if fi.Name() == "link" && fi.Mode()&fs.ModeSymlink == 0 {
			t.Error("ReadDir followed the symlink; it must describe the link itself")
		}
	}
	sort.Strings(names)
	if want := []string{"a file ü.txt", "link", "sub"}; len(names) != 3 || names[0] != want[0] || names[1] != want[1] || names[2] != want[2] {
		t.Fatalf("ReadDir = %q, want %q", names, want)
	}
	if target, err := l.Readlink(ctx, filepath.Join(dir, "link")); err != nil || target != "a file ü.txt" {
		t.Fatalf("Readlink = %q, %v", target, err)
	}
	mt := time.Date(2020, 5, 6, 7, 8, 9, 0, time.UTC)
	if err := l.Chtimes(ctx, p, mt, mt); err != nil {
		t.Fatal(err)
	}
	if err := l.Chmod(ctx, p, 0o600); err != nil {
		t.Fatal(err)
	}
	fi, err := l.Stat(ctx, p)
	if err != nil || !fi.ModTime().Equal(mt) || fi.Mode().Perm() != 0o600 || fi.Size() != 5 {
		t.Fatalf("Stat after Chtimes/Chmod: %v %v %v %v", fi.ModTime(), fi.Mode(), fi.Size(), err)
	}
	q := filepath.Join(dir, "sub", "moved.txt")
	if err := l.Rename(ctx, p, q); err != nil {
		t.Fatal(err)
	}
	r, err := l.Open(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r)
	r.Close()
	if string(b) != "hello" {
		t.Fatalf("read back %q", b)
	}
	if err := l.Remove(ctx, filepath.Join(dir, "sub")); err == nil {
		t.Fatal("Remove of a non-empty directory succeeded")
	}
	if _, err := l.ReadDir(ctx, filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("ReadDir of a missing directory: %v", err)
	}
	wd, _ := os.Getwd()
	if h, err := l.Home(ctx); err != nil || h != wd {
		t.Fatalf("Home = %q, %v; want the working directory %q", h, err, wd)
	}
	if l.Label() != "local" || l.Join("a", "b") != filepath.Join("a", "b") || l.Base("/x/y") != "y" || l.Dir("/x/y") != "/x" {
		t.Fatal("Label/Join/Base/Dir")
	}
}
