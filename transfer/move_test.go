package transfer_test

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferry-tui/ferry/transfer"
)

// otherFS is the local disk under another value, so that a move between
// it and localFS() copies and removes instead of renaming.
type otherFS struct{ transfer.FS }

// failOpenFS refuses to open one file, as a server might.
type failOpenFS struct {
	transfer.FS
	name string
}

func (f failOpenFS) Open(ctx context.Context, name string) (io.ReadCloser, error) {
	if name == f.name {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return f.FS.Open(ctx, name)
}

// exists reports whether p exists (as itself, not followed).
func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

// moveEvents returns the paths of b's SourceRemoved events and its
// SourceKept events by path, in order, from a subscription read to the
// end of the batch.
func moveEvents(t *testing.T, sub *transfer.Subscription) (removed []string, kept map[string]error) {
	t.Helper()
	kept = map[string]error{}
	for _, ev := range readUntilFinished(t, sub) {
		switch ev.Kind {
		case transfer.SourceRemoved:
			removed = append(removed, ev.Path)
		case transfer.SourceKept:
			kept[ev.Path] = ev.Err
		}
	}
	return removed, kept
}

// TestMoveTreeRemovesWhatArrivedDeepestFirst moves a tree in which one
// file cannot be read: everything else arrives and its source is removed,
// the directories bottom-up once empty; the unreadable file stays, and so
// do the directories above it, each reported.
func TestMoveTreeRemovesWhatArrivedDeepestFirst(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	for name, data := range map[string]string{
		"top.txt": "top", "a/one.txt": "one", "a/b/c/deep.txt": "deep", "keep/bad.txt": "bad", "keep/good.txt": "good",
	} {
		writeFile(t, filepath.Join(src, name), []byte(data), 0o644, baseTime)
	}
	if err := os.MkdirAll(filepath.Join(src, "a", "empty"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("top.txt", filepath.Join(src, "a", "link")); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(src, "keep", "bad.txt")
	dst := filepath.Join(dir, "dst")
	e, _ := newEngine(t, transfer.Options{})
	b, err := e.Submit(transfer.Request{Src: failOpenFS{otherFS{localFS()}, bad}, Dst: localFS(), Move: true,
		Items: []transfer.Item{{Src: src, Dst: dst}}})
	if err != nil {
		t.Fatal(err)
	}
	sub := b.Subscribe()
	defer sub.Close()
	s, err := waitBatch(t, b)
	if !errors.Is(err, fs.ErrPermission) || len(s.Failed) != 1 || s.Failed[0].Src != bad {
		t.Fatalf("Wait: %v, failed %+v; want the unreadable file only", err, s.Failed)
	}
	removed, kept := moveEvents(t, sub)

	for _, rel := range []string{"top.txt", "a/one.txt", "a/b/c/deep.txt", "keep/good.txt"} {
		if exists(filepath.Join(src, rel)) {
			t.Errorf("source %s was not removed", rel)
		}
		if !exists(filepath.Join(dst, rel)) {
			t.Errorf("%s did not arrive", rel)
		}
	}
	if target, err := os.Readlink(filepath.Join(dst, "a", "link")); err != nil || target != "top.txt" {
		t.Errorf("the link arrived as %q, %v", target, err)
	}
	for _, rel := range []string{"a", "a/b", "a/b/c", "a/empty", "a/link"} {
		if exists(filepath.Join(src, rel)) {
			t.Errorf("source %s was not removed", rel)
		}
	}
	if b, err := os.ReadFile(bad); err != nil || string(b) != "bad" {
		t.Errorf("the source of the failed copy: %q, %v", b, err)
	}
	if exists(filepath.Join(dst, "keep", "bad.txt")) {
		t.Error("the failed copy arrived")
	}
	for _, rel := range []string{"", "keep"} {
		p := filepath.Join(src, rel)
		if !exists(p) {
			t.Errorf("%s, which still holds the failed file, was removed", p)
		}
		if !errors.Is(kept[p], transfer.ErrSourceNotEmpty) {
			t.Errorf("kept %s: %v, want ErrSourceNotEmpty", p, kept[p])
		}
	}
	if len(kept) != 2 {
		t.Errorf("kept %v", kept)
	}
	// Directories go after the files in them, deepest first.
	at := map[string]int{}
	for i, p := range removed {
		at[p] = i
	}
	for _, pair := range [][2]string{{"a/b/c/deep.txt", "a/b/c"}, {"a/b/c", "a/b"}, {"a/b", "a"}, {"a/empty", "a"}, {"a/one.txt", "a"}} {
		before, after := filepath.Join(src, pair[0]), filepath.Join(src, pair[1])
		i, ok1 := at[before]
		k, ok2 := at[after]
		if !ok1 || !ok2 || i > k {
			t.Errorf("removed %s (%v) and %s (%v) out of order: %v", pair[0], ok1, pair[1], ok2, removed)
		}
	}
	if s.Removed != len(removed) || s.Removed != 9 || s.Kept != 2 {
		t.Errorf("summary: removed %d, kept %d; events %d removed", s.Removed, s.Kept, len(removed))
	}
	for _, j := range b.Jobs() {
		if j.Src == bad && (j.SourceRemoved || j.SourceErr != nil) {
			t.Errorf("failed job %+v has a source outcome", j)
		}
	}
}

// TestMoveRemovesSourceOnlyAfterCommit holds a file's copy midway: its
// source is still there, and nothing is at the target; once the copy is
// committed the source goes, and the target is complete by the time
// SourceRemoved says so.
func TestMoveRemovesSourceOnlyAfterCommit(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := filepath.Join(dir, "big.bin")
	data := randBytes(7, 2<<20)
	writeFile(t, src, data, 0o644, baseTime)
	dst := filepath.Join(dir, "out", "big.bin")
	if err := os.Mkdir(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	gate := newGate(otherFS{localFS()}, src, 1<<20)
	e, _ := newEngine(t, transfer.Options{})
	b, err := e.Submit(transfer.Request{Src: gate, Dst: localFS(), Move: true, Items: []transfer.Item{{Src: src, Dst: dst}}})
	if err != nil {
		t.Fatal(err)
	}
	sub := b.Subscribe()
	defer sub.Close()
	gate.waitReached(t)
	if !exists(src) || exists(dst) {
		t.Fatalf("midway: source there %v, target there %v", exists(src), exists(dst))
	}
	gate.open()
	for _, ev := range readUntilFinished(t, sub) {
		if ev.Kind == transfer.SourceRemoved {
			got, err := os.ReadFile(dst)
			if err != nil || len(got) != len(data) {
				t.Fatalf("source removed while the target holds %d bytes (%v)", len(got), err)
			}
		}
	}
	if exists(src) {
		t.Error("the source was not removed")
	}
	if s := b.Summary(); s.Removed != 1 || s.Files[transfer.Done] != 1 {
		t.Errorf("summary %+v", s)
	}
}

// renameFailFS cannot rename into place: every copy to it fails at its
// commit.
type renameFailFS struct{ transfer.FS }

func (renameFailFS) Rename(_ context.Context, oldname, _ string) error {
	return &fs.PathError{Op: "rename", Path: oldname, Err: fs.ErrPermission}
}

// TestMoveKeepsSourcesNotCopied: a copy that fails at its commit, one
// skipped for a conflict, one cancelled, and a source that changed while
// it was copied all keep their source; only the last is reported as kept,
// since its copy is done.
func TestMoveKeepsSourcesNotCopied(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		writeFile(t, p, []byte(data), 0o644, baseTime)
		return p
	}
	e, _ := newEngine(t, transfer.Options{})

	t.Run("commit fails", func(t *testing.T) {
		src := write("commit.txt", "data")
		b, err := e.Submit(transfer.Request{Src: localFS(), Dst: renameFailFS{localFS()}, Move: true,
			Items: []transfer.Item{{Src: src, Dst: filepath.Join(dir, "commit copy.txt")}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := waitBatch(t, b); !errors.Is(err, fs.ErrPermission) {
			t.Errorf("Wait: %v", err)
		}
		if !exists(src) {
			t.Error("the source of a copy that was never committed was removed")
		}
	})
	t.Run("skipped", func(t *testing.T) {
		src := write("skip.txt", "new")
		target := write("skip target.txt", "old")
		b, err := e.Submit(transfer.Request{Src: otherFS{localFS()}, Dst: localFS(), Move: true, Policy: transfer.Skip,
			Items: []transfer.Item{{Src: src, Dst: target}}})
		if err != nil {
			t.Fatal(err)
		}
		if s, err := waitBatch(t, b); err != nil || s.Files[transfer.Skipped] != 1 || s.Removed+s.Kept != 0 {
			t.Errorf("Wait: %v, %+v", err, s)
		}
		if got, _ := os.ReadFile(src); string(got) != "new" {
			t.Error("the source of a skipped file was removed")
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		src := filepath.Join(dir, "cancel.bin")
		writeFile(t, src, randBytes(8, 2<<20), 0o644, baseTime)
		gate := newGate(otherFS{localFS()}, src, 1<<20)
		b, err := e.Submit(transfer.Request{Src: gate, Dst: localFS(), Move: true,
			Items: []transfer.Item{{Src: src, Dst: filepath.Join(dir, "cancel copy.bin")}}})
		if err != nil {
			t.Fatal(err)
		}
		gate.waitReached(t)
		b.Cancel()
		gate.open()
		if s, _ := waitBatch(t, b); s.States[transfer.Cancelled] != 1 || s.Removed != 0 {
			t.Errorf("summary %+v", s)
		}
		if !exists(src) {
			t.Error("the source of a cancelled copy was removed")
		}
	})
	t.Run("changed", func(t *testing.T) {
		src := filepath.Join(dir, "grows.bin")
		writeFile(t, src, randBytes(9, 2<<20), 0o644, baseTime)
		gate := newGate(otherFS{localFS()}, src, 1<<20)
		b, err := e.Submit(transfer.Request{Src: gate, Dst: localFS(), Move: true,
			Items: []transfer.Item{{Src: src, Dst: filepath.Join(dir, "grows copy.bin")}}})
		if err != nil {
			t.Fatal(err)
		}
		sub := b.Subscribe()
		defer sub.Close()
		gate.waitReached(t)
		f, err := os.OpenFile(src, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteString("more"); err != nil {
			t.Fatal(err)
		}
		f.Close()
		gate.open()
		_, kept := moveEvents(t, sub)
		if !errors.Is(kept[src], transfer.ErrSourceChanged) || !strings.Contains(kept[src].Error(), "changed while it was copied") {
			t.Errorf("kept: %v", kept)
		}
		if !exists(src) {
			t.Error("a source that changed during its copy was removed")
		}
		if s := b.Summary(); s.Files[transfer.Done] != 1 || s.Kept != 1 || s.Removed != 0 {
			t.Errorf("summary %+v", s)
		}
	})
}

// TestMoveWithinOneFileSystemRenames: with the same file system on both
// sides, items whose destination is free move by a rename, without a
// byte copied; one whose destination exists is copied over it and then
// removed.
func TestMoveWithinOneFileSystemRenames(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "tree", "x.txt"), []byte("ex"), 0o644, baseTime)
	writeFile(t, filepath.Join(dir, "a.txt"), []byte("alpha"), 0o644, baseTime)
	writeFile(t, filepath.Join(dir, "b.txt"), []byte("new b"), 0o644, baseTime)
	writeFile(t, filepath.Join(dir, "out", "b.txt"), []byte("old b"), 0o644, baseTime)
	out := filepath.Join(dir, "out")
	fsys := localFS()
	e, _ := newEngine(t, transfer.Options{})
	items, err := transfer.Targets(context.Background(), fsys, []string{filepath.Join(dir, "tree"), filepath.Join(dir, "a.txt"), filepath.Join(dir, "b.txt")}, fsys, out, "")
	if err != nil {
		t.Fatal(err)
	}
	b, err := e.Submit(transfer.Request{Src: fsys, Dst: fsys, Move: true, Policy: transfer.Overwrite, Items: items})
	if err != nil {
		t.Fatal(err)
	}
	s, err := waitBatch(t, b)
	if err != nil {
		t.Fatal(err)
	}
	for rel, want := range map[string]string{"tree/x.txt": "ex", "a.txt": "alpha", "b.txt": "new b"} {
		if got, _ := os.ReadFile(filepath.Join(out, rel)); string(got) != want {
			t.Errorf("%s = %q, want %q", rel, got, want)
		}
	}
	for _, rel := range []string{"tree", "a.txt", "b.txt"} {
		if exists(filepath.Join(dir, rel)) {
			t.Errorf("source %s left", rel)
		}
	}
	renamed := 0
	for _, j := range b.Jobs() {
		if j.Renamed {
			renamed++
			if !j.SourceRemoved || j.State != transfer.Done {
				t.Errorf("renamed job %+v", j)
			}
		}
	}
	if renamed != 2 || s.Removed != 3 || s.MovedBytes != int64(len("new b")) {
		t.Errorf("%d renamed, %d removed, %d bytes carried; want 2, 3 and only b.txt's", renamed, s.Removed, s.MovedBytes)
	}
}

// TestMoveThroughLinkToDirectoryRemovesOnlyTheLink: a source that is a
// symbolic link to a directory is copied through the link; the files
// below it are the target's own and stay, and only the link goes.
func TestMoveThroughLinkToDirectoryRemovesOnlyTheLink(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	real := filepath.Join(dir, "real")
	writeFile(t, filepath.Join(real, "f.txt"), []byte("f"), 0o644, baseTime)
	writeFile(t, filepath.Join(real, "sub", "g.txt"), []byte("g"), 0o644, baseTime)
	link := filepath.Join(dir, "link")
	if err := os.Symlink("real", link); err != nil {
		t.Fatal(err)
	}
	e, _ := newEngine(t, transfer.Options{})
	b, err := e.Submit(transfer.Request{Src: otherFS{localFS()}, Dst: localFS(), Move: true, Items: []transfer.Item{{Src: link, Dst: filepath.Join(dir, "copy")}}})
	if err != nil {
		t.Fatal(err)
	}
	s, err := waitBatch(t, b)
	if err != nil {
		t.Fatal(err)
	}
	if exists(link) {
		t.Error("the link was not removed")
	}
	for _, rel := range []string{"f.txt", "sub/g.txt"} {
		if !exists(filepath.Join(real, rel)) {
			t.Errorf("%s below the link's target was removed", rel)
		}
		if !exists(filepath.Join(dir, "copy", rel)) {
			t.Errorf("%s did not arrive", rel)
		}
	}
	if s.Removed != 1 || s.Kept != 0 {
		t.Errorf("summary: removed %d, kept %d", s.Removed, s.Kept)
	}
}
