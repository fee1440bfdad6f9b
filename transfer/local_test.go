package transfer_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/transfer"
)

func TestLocalTreeCopyMatchesByHash(t *testing.T) {
	t.Parallel()
	src := filepath.Join(t.TempDir(), "tree")
	makeTree(t, src)
	out := t.TempDir()
	e, rec := newEngine(t, transfer.Options{Workers: 4})
	dst := filepath.Join(out, "copy")
	id := run(t, e, transfer.Request{Src: localFS(), Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: dst}}})

	compareTrees(t, src, dst)
	checkTreeJobs(t, e, src, filepath.Join)
	noTemps(t, out)
	rec.finished(t, id)
	if len(rec.of(transfer.BatchPlanned)) != 1 {
		t.Errorf("BatchPlanned events: %+v", rec.of(transfer.BatchPlanned))
	}
	s := e.Snapshot()
	if s.Counting || s.TotalBytes != s.DoneBytes || s.TotalBytes == 0 {
		t.Errorf("snapshot after the copy: %+v", s)
	}
}

func TestLocalFileToNewName(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := filepath.Join(dir, "a.txt")
	writeFile(t, src, []byte("hello"), 0o640, baseTime)
	e, _ := newEngine(t, transfer.Options{})
	items, err := transfer.Targets(t.Context(), localFS(), []string{src}, localFS(), filepath.Join(dir, "b.txt"), "")
	if err != nil {
		t.Fatal(err)
	}
	run(t, e, transfer.Request{Src: localFS(), Dst: localFS(), Items: items})
	onlyDone(t, e)
	b, err := os.ReadFile(filepath.Join(dir, "b.txt"))
	if err != nil || string(b) != "hello" {
		t.Fatalf("b.txt = %q, %v", b, err)
	}
	fi, _ := os.Stat(filepath.Join(dir, "b.txt"))
	if fi.Mode().Perm() != 0o640 || !fi.ModTime().Equal(baseTime) {
		t.Errorf("mode %v time %v, want 0640 and %v", fi.Mode().Perm(), fi.ModTime(), baseTime)
	}
}

func TestTargetsLikeCp(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fsys := localFS()
	items, err := transfer.Targets(t.Context(), fsys, []string{"/x/a", "/y/b"}, fsys, dir, "")
	if err != nil || len(items) != 2 || items[1].Dst != filepath.Join(dir, "b") {
		t.Fatalf("into a directory: %+v, %v", items, err)
	}
	if _, err := transfer.Targets(t.Context(), fsys, []string{"/x/a", "/y/b"}, fsys, filepath.Join(dir, "nope"), ""); err == nil {
		t.Error("two sources to a missing directory: no error")
	}
}

func TestCopyIntoItselfRefusedBeforeIO(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := filepath.Join(dir, "tree")
	if err := os.Mkdir(src, 0o755); err != nil {
		t.Fatal(err)
	}
	e, _ := newEngine(t, transfer.Options{})
	for _, dst := range []string{src, filepath.Join(src, "sub"), filepath.Join(src, "a", "b")} {
		_, err := e.Submit(transfer.Request{Src: localFS(), Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: dst}}})
		if !errors.Is(err, transfer.ErrIntoItself) {
			t.Errorf("copy %s to %s: err %v, want ErrIntoItself", src, dst, err)
		}
	}
	// A sibling whose name merely starts the same is fine.
	if _, err := e.Submit(transfer.Request{Src: localFS(), Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: src + "2"}}}); err != nil {
		t.Errorf("copy to a sibling: %v", err)
	}
	wait(t, e)
	ents, _ := os.ReadDir(src)
	if len(ents) != 0 {
		t.Errorf("something was written into the source: %v", ents)
	}
	if e.Snapshot().Jobs != 1 {
		t.Errorf("jobs: %+v", e.Jobs(0, 0))
	}
}

func TestRequestValidation(t *testing.T) {
	t.Parallel()
	e, _ := newEngine(t, transfer.Options{})
	bad := []transfer.Request{
		{Src: localFS(), Dst: localFS()},
		{Src: localFS(), Items: []transfer.Item{{Src: "/a", Dst: "/b"}}},
		{Src: localFS(), Dst: localFS(), Items: []transfer.Item{{Src: "rel", Dst: "/b"}}},
		{Src: localFS(), Dst: localFS(), Items: []transfer.Item{{Src: "/a", Dst: "/"}}},
		{Src: localFS(), Dst: localFS(), Items: []transfer.Item{{Src: "/a", Dst: "/c/x"}, {Src: "/b", Dst: "/c/x"}}},
		{Src: localFS(), Dst: localFS(), Items: []transfer.Item{{Src: "/a", Dst: "/b"}}, Policy: 99},
	}
	for i, r := range bad {
		if _, err := e.Submit(r); err == nil {
			t.Errorf("request %d accepted", i)
		}
	}
}

func TestDepthLimit(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := filepath.Join(dir, "deep")
	p := src
	for range transfer.MaxDepth + 3 {
		p = filepath.Join(p, "d")
	}
	if err := os.MkdirAll(p, 0o755); err != nil {
		t.Fatal(err)
	}
	e, _ := newEngine(t, transfer.Options{})
	run(t, e, transfer.Request{Src: localFS(), Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: filepath.Join(dir, "out")}}})
	failed := jobsIn(e, transfer.Failed)
	if len(failed) != 1 || !errors.Is(failed[0].Err, transfer.ErrTooDeep) {
		t.Fatalf("failed jobs %+v, want one with ErrTooDeep", failed)
	}
	// Levels 0..MaxDepth were created; the next one was refused.
	ok := filepath.Join(dir, "out") + strings.Repeat(string(filepath.Separator)+"d", transfer.MaxDepth)
	if _, err := os.Stat(ok); err != nil {
		t.Errorf("level %d missing: %v", transfer.MaxDepth, err)
	}
	if _, err := os.Stat(filepath.Join(ok, "d")); err == nil {
		t.Errorf("level %d was created", transfer.MaxDepth+1)
	}
}

func TestSpecialFilesSkipped(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	writeFile(t, filepath.Join(src, "f"), []byte("x"), 0o644, baseTime)
	sock := filepath.Join(src, "fifo")
	if err := mkfifo(sock); err != nil {
		t.Skipf("cannot make a fifo: %v", err)
	}
	e, _ := newEngine(t, transfer.Options{})
	run(t, e, transfer.Request{Src: localFS(), Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: filepath.Join(dir, "dst")}}})
	j := jobFor(t, e, sock)
	if j.State != transfer.Skipped || !errors.Is(j.Err, transfer.ErrSpecial) {
		t.Errorf("fifo: %v %v", j.State, j.Err)
	}
	if err := e.Retry(j.ID); err == nil {
		t.Error("a special file could be retried")
	}
}

func TestSymlinkTopLevelIsFollowed(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "real"), []byte("data"), 0o644, baseTime)
	if err := os.Symlink("real", filepath.Join(dir, "ln")); err != nil {
		t.Fatal(err)
	}
	e, _ := newEngine(t, transfer.Options{})
	run(t, e, transfer.Request{Src: localFS(), Dst: localFS(), Items: []transfer.Item{{Src: filepath.Join(dir, "ln"), Dst: filepath.Join(dir, "copy")}}})
	onlyDone(t, e)
	fi, err := os.Lstat(filepath.Join(dir, "copy"))
	if err != nil || !fi.Mode().IsRegular() {
		t.Fatalf("copy of a named link: %v, %v; want a regular file", fi, err)
	}
}

func TestNoPreserve(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := filepath.Join(dir, "a")
	writeFile(t, src, []byte("data"), 0o777, baseTime)
	e, _ := newEngine(t, transfer.Options{})
	before := time.Now().Add(-time.Minute)
	run(t, e, transfer.Request{Src: localFS(), Dst: localFS(), NoPreserve: true, Items: []transfer.Item{{Src: src, Dst: filepath.Join(dir, "b")}}})
	fi, err := os.Stat(filepath.Join(dir, "b"))
	if err != nil {
		t.Fatal(err)
	}
	if fi.ModTime().Before(before) || fi.Mode().Perm()&0o022 != 0 {
		t.Errorf("no-preserve copy: mode %v time %v", fi.Mode().Perm(), fi.ModTime())
	}
}

func TestSetuidNeverCopied(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := filepath.Join(dir, "a")
	writeFile(t, src, []byte("data"), 0o755, baseTime)
	if err := os.Chmod(src, 0o755|os.ModeSetuid|os.ModeSetgid); err != nil {
		t.Fatal(err)
	}
	e, _ := newEngine(t, transfer.Options{})
	run(t, e, transfer.Request{Src: localFS(), Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: filepath.Join(dir, "b")}}})
	fi, err := os.Stat(filepath.Join(dir, "b"))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode()&(os.ModeSetuid|os.ModeSetgid) != 0 {
		t.Errorf("copy mode %v keeps setuid/setgid", fi.Mode())
	}
}

func TestMergeIntoExistingDirectory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	writeFile(t, filepath.Join(src, "new.txt"), []byte("new"), 0o644, baseTime)
	writeFile(t, filepath.Join(src, "same.txt"), []byte("from src"), 0o644, baseTime)
	dst := filepath.Join(dir, "dst")
	writeFile(t, filepath.Join(dst, "keep.txt"), []byte("keep"), 0o644, baseTime)
	writeFile(t, filepath.Join(dst, "same.txt"), []byte("old"), 0o644, baseTime)
	e, _ := newEngine(t, transfer.Options{})
	run(t, e, transfer.Request{Src: localFS(), Dst: localFS(), Policy: transfer.Skip, Items: []transfer.Item{{Src: src, Dst: dst}}})
	for name, want := range map[string]string{"new.txt": "new", "same.txt": "old", "keep.txt": "keep"} {
		if b, _ := os.ReadFile(filepath.Join(dst, name)); string(b) != want {
			t.Errorf("%s = %q, want %q", name, b, want)
		}
	}
}

func TestFileOverDirectoryFails(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := filepath.Join(dir, "a")
	writeFile(t, src, []byte("x"), 0o644, baseTime)
	if err := os.Mkdir(filepath.Join(dir, "b"), 0o755); err != nil {
		t.Fatal(err)
	}
	e, _ := newEngine(t, transfer.Options{})
	run(t, e, transfer.Request{Src: localFS(), Dst: localFS(), Policy: transfer.Overwrite, Items: []transfer.Item{{Src: src, Dst: filepath.Join(dir, "b")}}})
	j := jobFor(t, e, src)
	if j.State != transfer.Failed || !errors.Is(j.Err, transfer.ErrIsDir) {
		t.Errorf("file over a directory: %v %v", j.State, j.Err)
	}
}

func TestSourceMissingFails(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e, _ := newEngine(t, transfer.Options{})
	src := filepath.Join(dir, "nope")
	run(t, e, transfer.Request{Src: localFS(), Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: filepath.Join(dir, "x")}}})
	j := jobFor(t, e, src)
	if j.State != transfer.Failed || !errors.Is(j.Err, os.ErrNotExist) || !strings.Contains(j.Err.Error(), src) {
		t.Errorf("missing source: %v %v", j.State, j.Err)
	}
}

func TestLargeLocalCopyIsExact(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	data := randBytes(7, 20<<20+3)
	src := filepath.Join(dir, "big")
	writeFile(t, src, data, 0o644, baseTime)
	e, _ := newEngine(t, transfer.Options{})
	run(t, e, transfer.Request{Src: localFS(), Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: filepath.Join(dir, "copy")}}})
	onlyDone(t, e)
	got, _ := os.ReadFile(filepath.Join(dir, "copy"))
	if !bytes.Equal(got, data) {
		t.Fatal("large copy differs")
	}
	noTemps(t, dir)
}
