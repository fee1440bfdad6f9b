package demo

import (
	"bytes"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestExtensionsAdvertised checks the extensions ferry looks for and that
// each one works.
func TestExtensionsAdvertised(t *testing.T) {
	j := startJailed(t)
	for _, ext := range []string{"posix-rename@openssh.com", "hardlink@openssh.com", "statvfs@openssh.com"} {
		if _, ok := j.sc.HasExtension(ext); !ok {
			t.Errorf("%s is not advertised", ext)
		}
	}
	st, err := j.sc.StatVFS("/")
	if err != nil {
		t.Fatal(err)
	}
	if st.Bsize == 0 || st.Blocks == 0 {
		t.Fatalf("StatVFS: %+v", st)
	}
	if err := j.sc.Link("inside.txt", "hard.txt"); err != nil {
		t.Fatal(err)
	}
	a, _ := os.Stat(filepath.Join(j.s.Dir, "inside.txt"))
	b, err := os.Stat(filepath.Join(j.s.Dir, "hard.txt"))
	if err != nil || !os.SameFile(a, b) {
		t.Fatalf("hard.txt is not a hard link of inside.txt (%v)", err)
	}
}

// TestSetstatAndHandles checks what the engine does to a new file: create
// with O_EXCL, write at offsets, fstat and fchmod on the handle, truncate,
// times, then read it back with a read/write handle.
func TestSetstatAndHandles(t *testing.T) {
	j := startJailed(t)
	disk := filepath.Join(j.s.Dir, "deep", "made.bin")
	f, err := j.sc.OpenFile("/deep/made.bin", os.O_WRONLY|os.O_CREATE|os.O_EXCL)
	if err != nil {
		t.Fatal(err)
	}
	payload := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB, several packets
	if _, err := f.ReadFromWithConcurrency(bytes.NewReader(payload), 8); err != nil {
		t.Fatal(err)
	}
	if fi, err := f.Stat(); err != nil || fi.Size() != int64(len(payload)) {
		t.Fatalf("fstat: %v, %v", fi, err)
	}
	if err := f.Chmod(0o600); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(disk); err != nil || fi.Mode().Perm() != 0o600 || fi.Size() != int64(len(payload)) {
		t.Fatalf("on disk: %v, %v", fi, err)
	}
	mtime := time.Date(2024, 2, 3, 4, 5, 6, 0, time.UTC)
	if err := j.sc.Chtimes("/deep/made.bin", mtime, mtime); err != nil {
		t.Fatal(err)
	}
	if err := j.sc.Truncate("/deep/made.bin", 16); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(disk); err != nil || fi.Size() != 16 {
		t.Fatalf("after Truncate: %v, %v", fi, err)
	}
	if err := j.sc.Chtimes("/deep/made.bin", mtime, mtime); err != nil {
		t.Fatal(err)
	}
	if fi, err := j.sc.Stat("/deep/made.bin"); err != nil || !fi.ModTime().Equal(mtime) {
		t.Fatalf("Stat after Chtimes: %v, %v", fi, err)
	}
	rw, err := j.sc.OpenFile("/deep/made.bin", os.O_RDWR)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rw.WriteAt([]byte("XY"), 4); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, 16)
	if _, err := rw.ReadAt(got, 0); err != nil && err != io.EOF {
		t.Fatal(err)
	}
	rw.Close()
	if string(got) != "0123XY6789abcdef" {
		t.Fatalf("read back %q", got)
	}
	if err := j.sc.Truncate("/deep", 0); err == nil {
		t.Fatal("Truncate of a directory succeeded")
	}
	if err := j.sc.Remove("/deep/made.bin"); err != nil {
		t.Fatal(err)
	}
	if err := j.sc.RemoveDirectory("/deep/up2"); err == nil {
		t.Fatal("RemoveDirectory of a symbolic link succeeded")
	}
	if err := j.sc.Remove("/deep/up2"); err != nil {
		t.Fatal(err)
	}
	if err := j.sc.Remove("/deep"); err != nil {
		t.Fatalf("Remove of an empty directory (pkg/sftp's client falls back to rmdir): %v", err)
	}
	if _, err := os.Lstat(filepath.Join(j.s.Dir, "deep")); !os.IsNotExist(err) {
		t.Fatalf("deep still there: %v", err)
	}
	if _, err := os.Stat(filepath.Join(j.outside, "secret.txt")); err != nil {
		t.Fatalf("removing the link deep/up2 touched its target: %v", err)
	}
}

// TestListing checks that a large directory is listed whole, a batch at a
// time, and that symbolic links are listed as links.
func TestListing(t *testing.T) {
	j := startJailed(t)
	many := filepath.Join(j.s.Dir, "many")
	if err := os.Mkdir(many, 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range 250 {
		if err := os.WriteFile(filepath.Join(many, "f"+string(rune('a'+i%26))+string(rune('0'+i/26))), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fis, err := j.sc.ReadDir("/many")
	if err != nil || len(fis) != 250 {
		t.Fatalf("ReadDir /many: %d entries, %v", len(fis), err)
	}
	fis, err = j.sc.ReadDir("/")
	if err != nil {
		t.Fatal(err)
	}
	for _, fi := range fis {
		if fi.Name() == "up" && fi.Mode()&fs.ModeSymlink == 0 {
			t.Errorf("up listed as %v, want a symbolic link", fi.Mode())
		}
	}
}
