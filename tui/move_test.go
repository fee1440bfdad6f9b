package tui

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/dialog"
)

func TestMoveAcrossFileSystems(t *testing.T) {
	t.Parallel()
	for _, k := range []string{"f6", "m"} {
		t.Run(k, func(t *testing.T) {
			left := makeTree(t,
				file{name: "a.txt", content: "alpha"},
				file{name: "tree/"},
				file{name: "tree/x.txt", content: "ex"},
				file{name: "tree/sub/"},
				file{name: "tree/sub/y.txt", content: "why"},
				file{name: "tree/empty/"},
			)
			right := t.TempDir()
			m, r, _ := engineModel(t, newFlaky(false), local.New(), left, right, 100, 24)
			selectNames(t, r, "a.txt", "tree")
			r.press(k)
			if !strings.Contains(screen(m), "Move 2 entries to local:") {
				t.Fatalf("dialog:\n%s", screen(m))
			}
			submit(t, r, "")
			waitSettled(r)
			for rel, want := range map[string]string{"a.txt": "alpha", "tree/x.txt": "ex", "tree/sub/y.txt": "why"} {
				if got := content(filepath.Join(right, rel)); got != want {
					t.Errorf("%s = %q, want %q", rel, got, want)
				}
			}
			if !exists(filepath.Join(right, "tree", "empty")) {
				t.Error("the empty directory did not arrive")
			}
			if exists(filepath.Join(left, "a.txt")) || exists(filepath.Join(left, "tree")) {
				t.Errorf("sources left behind: %v", names(&m.panes[leftSide]))
			}
			if want := "moved 2 entries to local:" + right; m.status.isErr || m.status.text != want {
				t.Errorf("status %q, want %q", m.status.text, want)
			}
			r.waitFor("both panes to be listed again", func() bool {
				return !listed(m, leftSide, "a.txt") && listed(m, rightSide, "a.txt")
			})
		})
	}
}

func TestMoveKeepsSourcesThatFailed(t *testing.T) {
	t.Parallel()
	left := makeTree(t,
		file{name: "tree/"},
		file{name: "tree/good.txt", content: "good"},
		file{name: "tree/bad.txt", content: "bad"},
		file{name: "tree/sub/"},
		file{name: "tree/sub/fine.txt", content: "fine"},
		file{name: "lone bad.txt", content: "lone"},
	)
	right := t.TempDir()
	m, r, _ := engineModel(t, newFlaky(true), local.New(), left, right, 100, 24)
	selectNames(t, r, "tree", "lone bad.txt")
	r.press("f6")
	submit(t, r, "")
	waitSettled(r)
	if got := content(filepath.Join(right, "tree", "good.txt")); got != "good" {
		t.Errorf("good.txt arrived as %q", got)
	}
	for _, rel := range []string{"tree/bad.txt", "lone bad.txt"} {
		if content(filepath.Join(left, rel)) == "<missing>" {
			t.Errorf("the source of a failed copy, %s, was removed", rel)
		}
		if exists(filepath.Join(right, rel)) {
			t.Errorf("%s arrived although its copy failed", rel)
		}
	}
	if exists(filepath.Join(left, "tree", "good.txt")) || exists(filepath.Join(left, "tree", "sub")) {
		t.Error("moved sources were not removed")
	}
	if !m.status.isErr || !strings.Contains(m.status.text, "2 entries failed") || !strings.Contains(m.status.text, "simulated I/O error") {
		t.Errorf("status %q", m.status.text)
	}
}

// TestMoveWithinOneFileSystemRenames: a move between panes on one file
// system renames, whether both panes hold one value or two values of one
// label (one host alias on two connections).
func TestMoveWithinOneFileSystemRenames(t *testing.T) {
	t.Parallel()
	for name, fss := range map[string][2]transfer.FS{
		"one value": {local.New(), local.New()},
		"one label": {newFlaky(false), newFlaky(false)},
	} {
		t.Run(name, func(t *testing.T) { testMoveRenames(t, fss[0], fss[1]) })
	}
}

func testMoveRenames(t *testing.T, lfs, rfs transfer.FS) {
	left := makeTree(t, file{name: "tree/"}, file{name: "tree/x.txt", content: "ex"}, file{name: "a.txt", content: "alpha"})
	right := t.TempDir()
	before := map[string]os.FileInfo{}
	for _, rel := range []string{"tree/x.txt", "a.txt"} {
		fi, err := os.Stat(filepath.Join(left, rel))
		if err != nil {
			t.Fatal(err)
		}
		before[rel] = fi
	}
	m, r, e := engineModel(t, lfs, rfs, left, right, 100, 24)
	selectNames(t, r, "tree", "a.txt")
	r.press("f6")
	submit(t, r, "")
	r.waitFor("the rename", func() bool { return strings.Contains(m.status.text, "moved 2 entries") })
	// One rename per entry: two jobs, both renames, nothing copied.
	jobs := e.Jobs(0, 100)
	if len(jobs) != 2 {
		t.Errorf("%d jobs for a move that two renames do", len(jobs))
	}
	for _, j := range jobs {
		if !j.Renamed || j.State != transfer.Done || !j.SourceRemoved {
			t.Errorf("job %s: renamed %v, state %v, source removed %v", j.Src, j.Renamed, j.State, j.SourceRemoved)
		}
	}
	if content(filepath.Join(right, "tree", "x.txt")) != "ex" || content(filepath.Join(right, "a.txt")) != "alpha" || exists(filepath.Join(left, "tree")) {
		t.Error("not moved")
	}
	for rel, was := range before {
		if fi, err := os.Stat(filepath.Join(right, rel)); err != nil || !os.SameFile(was, fi) {
			t.Errorf("%s was copied, not renamed (%v)", rel, err)
		}
	}
	r.waitFor("both panes to be listed again", func() bool {
		return !listed(m, leftSide, "tree") && listed(m, rightSide, "tree")
	})
}

func TestMoveOntoExistingAsksAndKeepsSkipped(t *testing.T) {
	t.Parallel()
	left := makeTree(t, file{name: "a.txt", content: "new a"}, file{name: "b.txt", content: "new b"})
	right := makeTree(t, file{name: "a.txt", content: "old a"})
	_, r, _ := engineModel(t, local.New(), local.New(), left, right, 100, 24)
	selectNames(t, r, "a.txt", "b.txt")
	r.press("f6")
	submit(t, r, "")
	d := waitConflict(r)
	if dialog.BaseName(d.cur.c.Dst) != "a.txt" {
		t.Fatalf("conflict about %s", d.cur.c.Dst)
	}
	r.press("s")
	waitSettled(r)
	if content(filepath.Join(left, "a.txt")) != "new a" || content(filepath.Join(right, "a.txt")) != "old a" {
		t.Error("a skipped conflict moved or overwrote something")
	}
	if exists(filepath.Join(left, "b.txt")) || content(filepath.Join(right, "b.txt")) != "new b" {
		t.Error("b.txt was not moved")
	}
}

func TestMoveReportsKeptDirectories(t *testing.T) {
	t.Parallel()
	left := makeTree(t, file{name: "tree/"}, file{name: "tree/a.txt", content: "new a"}, file{name: "tree/b.txt", content: "new b"})
	right := makeTree(t, file{name: "tree/"}, file{name: "tree/a.txt", content: "old a"})
	m, r, _ := engineModel(t, local.New(), local.New(), left, right, 100, 24)
	selectNames(t, r, "tree")
	r.press("f6")
	submit(t, r, "")
	d := waitConflict(r)
	if dialog.BaseName(d.cur.c.Dst) != "a.txt" {
		t.Fatalf("conflict about %s", d.cur.c.Dst)
	}
	r.press("s")
	waitSettled(r)
	if exists(filepath.Join(left, "tree", "b.txt")) || content(filepath.Join(right, "tree", "b.txt")) != "new b" {
		t.Error("b.txt was not moved")
	}
	if content(filepath.Join(left, "tree", "a.txt")) != "new a" || content(filepath.Join(right, "tree", "a.txt")) != "old a" {
		t.Error("a skipped conflict moved or overwrote something")
	}
	want := "move to local:" + right + ": kept 1 source directory that still hold entries not moved"
	if m.status.isErr || m.status.text != want {
		t.Errorf("status %q (error %v), want %q", m.status.text, m.status.isErr, want)
	}
	r.waitFor("the source pane to be listed again", func() bool { return listed(m, leftSide, "tree") && !listed(m, leftSide, "b.txt") })
}

// growingFS is the local file system under another label; a file whose
// name contains "grows" gets longer once its reader reaches the end, as if
// someone wrote to it while it was copied.
type growingFS struct{ transfer.FS }

func (g growingFS) Label() string { return "growing" }

func (g growingFS) Open(ctx context.Context, name string) (io.ReadCloser, error) {
	rc, err := g.FS.Open(ctx, name)
	if err != nil || !strings.Contains(filepath.Base(name), "grows") {
		return rc, err
	}
	return &growAtEOF{ReadCloser: rc, name: name}, nil
}

// growAtEOF appends to the file name when a read first reaches its end.
type growAtEOF struct {
	io.ReadCloser
	name  string
	grown bool
}

func (g *growAtEOF) Read(p []byte) (int, error) {
	n, err := g.ReadCloser.Read(p)
	if errors.Is(err, io.EOF) && !g.grown {
		g.grown = true
		f, oerr := os.OpenFile(g.name, os.O_WRONLY|os.O_APPEND, 0)
		if oerr != nil {
			return n, oerr
		}
		_, werr := f.WriteString(" and more")
		if err := errors.Join(werr, f.Close()); err != nil {
			return n, err
		}
	}
	return n, err
}

func TestMoveKeepsSourcesThatChanged(t *testing.T) {
	t.Parallel()
	left := makeTree(t, file{name: "grows.txt", content: "start"}, file{name: "fine.txt", content: "fine"})
	right := t.TempDir()
	m, r, _ := engineModel(t, growingFS{FS: local.New()}, local.New(), left, right, 100, 24)
	selectNames(t, r, "grows.txt", "fine.txt")
	r.press("f6")
	submit(t, r, "")
	waitSettled(r)
	if exists(filepath.Join(left, "fine.txt")) || content(filepath.Join(right, "fine.txt")) != "fine" {
		t.Error("fine.txt was not moved")
	}
	if content(filepath.Join(left, "grows.txt")) != "start and more" {
		t.Errorf("the source that changed is %q", content(filepath.Join(left, "grows.txt")))
	}
	if content(filepath.Join(right, "grows.txt")) != "start" {
		t.Errorf("the copy is %q", content(filepath.Join(right, "grows.txt")))
	}
	if !m.status.isErr || !strings.Contains(m.status.text, "move: source not removed:") ||
		!strings.Contains(m.status.text, "grows.txt: the source changed while it was copied, so it was kept") {
		t.Errorf("status %q", m.status.text)
	}
}

func TestMoveLinkToDirectoryRemovesOnlyTheLink(t *testing.T) {
	t.Parallel()
	left := makeTree(t, file{name: "target/"}, file{name: "target/x.txt", content: "ex"})
	if err := os.Symlink(filepath.Join(left, "target"), filepath.Join(left, "link")); err != nil {
		t.Fatal(err)
	}
	right := t.TempDir()
	m, r, _ := engineModel(t, newFlaky(false), local.New(), left, right, 100, 24)
	selectNames(t, r, "link")
	r.press("f6")
	submit(t, r, "")
	waitSettled(r)
	if content(filepath.Join(right, "link", "x.txt")) != "ex" {
		t.Error("the directory behind the link did not arrive")
	}
	if _, err := os.Lstat(filepath.Join(left, "link")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the link was not removed: %v", err)
	}
	if content(filepath.Join(left, "target", "x.txt")) != "ex" {
		t.Error("a file behind the link was removed")
	}
	if m.status.isErr {
		t.Errorf("status %q", m.status.text)
	}
	r.waitFor("the source pane to be listed again", func() bool { return !listed(m, leftSide, "link") && listed(m, leftSide, "target") })
}
