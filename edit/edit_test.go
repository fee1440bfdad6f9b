package edit_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/edit"
	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/transfer"
)

// engine returns an engine closed at the end of t.
func engine(t *testing.T) *transfer.Engine {
	t.Helper()
	e := transfer.New(transfer.Options{})
	t.Cleanup(func() { e.Close() })
	return e
}

// asker answers every question with answer and records them.
type asker struct {
	answer    bool
	err       error
	questions []string
	onAsk     func(question string) // runs before the answer, if set
}

func (a *asker) Confirm(_ context.Context, q string) (bool, error) {
	a.questions = append(a.questions, q)
	if a.onAsk != nil {
		a.onAsk(q)
	}
	return a.answer, a.err
}

// writer is an editor that writes content into the copy.
func writer(content string, then error) edit.EditorFunc {
	return func(_ context.Context, p string) error {
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			return err
		}
		return then
	}
}

func read(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestEditRefusesWhenFileChangedMeanwhile(t *testing.T) {
	for _, yes := range []bool{false, true} {
		t.Run(map[bool]string{false: "no keeps the edit", true: "yes uploads it"}[yes], func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			p := filepath.Join(t.TempDir(), "f.txt")
			if err := os.WriteFile(p, []byte("v1"), 0o644); err != nil {
				t.Fatal(err)
			}
			var copyPath string
			editor := edit.EditorFunc(func(_ context.Context, local string) error {
				copyPath = local
				if fi, _ := os.Stat(filepath.Dir(local)); fi.Mode().Perm() != 0o700 {
					t.Errorf("edit directory mode %v, want 0700", fi.Mode().Perm())
				}
				// Someone else changes the file, and the user edits the copy.
				if err := os.WriteFile(p, []byte("someone else's v2"), 0o644); err != nil {
					return err
				}
				later := time.Now().Add(time.Minute)
				os.Chtimes(p, later, later)
				return os.WriteFile(local, []byte("my v2"), 0o644)
			})
			a := &asker{answer: yes, onAsk: func(string) {
				if got := read(t, p); got != "someone else's v2" {
					t.Errorf("the other change was overwritten before the answer: %q", got)
				}
			}}
			res, err := edit.Edit(ctx, local.New(), p, edit.Options{Engine: engine(t), Editor: editor, Ask: a})
			if err != nil {
				t.Fatal(err)
			}
			if len(a.questions) != 1 || !strings.Contains(a.questions[0], "changed while you edited") {
				t.Fatalf("questions %q", a.questions)
			}
			if !yes {
				if res.Kept != copyPath || !strings.Contains(res.Message, copyPath) {
					t.Errorf("result %+v, want the edit kept at %s", res, copyPath)
				}
				if got := read(t, p); got != "someone else's v2" {
					t.Errorf("no overwrote the other change: %q", got)
				}
				if got := read(t, copyPath); got != "my v2" {
					t.Errorf("the user's edit was lost: %q", got)
				}
				return
			}
			if got := read(t, p); got != "my v2" {
				t.Errorf("yes did not upload: %q", got)
			}
			if res.Kept != "" || !strings.Contains(res.Message, "saved") {
				t.Errorf("result %+v", res)
			}
			if _, err := os.Stat(filepath.Dir(copyPath)); !os.IsNotExist(err) {
				t.Error("temporary directory left behind after the upload")
			}
		})
	}
}

func TestEditUnchangedUploadsNothing(t *testing.T) {
	t.Parallel()
	p := filepath.Join(t.TempDir(), "f.txt")
	if err := os.WriteFile(p, []byte("same"), 0o644); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	os.Chtimes(p, old, old)
	var dir string
	e := engine(t)
	res, err := edit.Edit(context.Background(), local.New(), p, edit.Options{Engine: e, Ask: &asker{},
		Editor: edit.EditorFunc(func(_ context.Context, local string) error { dir = filepath.Dir(local); return nil })})
	if err != nil || !strings.Contains(res.Message, "no changes") {
		t.Fatalf("Edit: %+v, %v", res, err)
	}
	if fi, _ := os.Stat(p); !fi.ModTime().Equal(old) {
		t.Fatal("an unchanged file was written")
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatal("temporary directory left behind")
	}
	if n := e.Snapshot().Jobs; n != 0 {
		t.Errorf("%d jobs for an unchanged file", n)
	}
}

// TestEditThroughSymlinkKeepsTheLink edits a link: the target gets the
// change and the link stays a link.
func TestEditThroughSymlinkKeepsTheLink(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	real := filepath.Join(dir, "real.conf")
	if err := os.WriteFile(real, []byte("v1"), 0o444); err != nil {
		t.Fatal(err)
	}
	os.Chmod(real, 0o444)
	link := filepath.Join(dir, "app.conf")
	if err := os.Symlink("real.conf", link); err != nil {
		t.Fatal(err)
	}
	if _, err := edit.Edit(context.Background(), local.New(), link, edit.Options{Engine: engine(t), Editor: writer("v2", nil), Ask: &asker{}}); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link was replaced by a file (%v)", err)
	}
	if got := read(t, real); got != "v2" {
		t.Fatalf("target = %q, want the edit", got)
	}
	if fi, _ := os.Stat(real); fi.Mode().Perm() != 0o444 {
		t.Fatalf("target mode %v, want the original 0444", fi.Mode().Perm())
	}
}

// TestEditorErrorKeepsChanges: an editor that exits with an error after
// the file was saved leads to a question, not to a deleted edit; yes
// uploads, no keeps the edit.
func TestEditorErrorKeepsChanges(t *testing.T) {
	for _, yes := range []bool{false, true} {
		t.Run(map[bool]string{false: "no", true: "yes"}[yes], func(t *testing.T) {
			t.Parallel()
			p := filepath.Join(t.TempDir(), "f.txt")
			if err := os.WriteFile(p, []byte("v1"), 0o644); err != nil {
				t.Fatal(err)
			}
			a := &asker{answer: yes}
			res, err := edit.Edit(context.Background(), local.New(), p, edit.Options{Engine: engine(t), Editor: writer("v2", errors.New(`"vim": exit status 1`)), Ask: a})
			if err != nil {
				t.Fatal(err)
			}
			if len(a.questions) != 1 || !strings.Contains(a.questions[0], "exit status 1") {
				t.Fatalf("no question after a failed editor with changes: %q", a.questions)
			}
			want := map[bool]string{false: "v1", true: "v2"}[yes]
			if got := read(t, p); got != want {
				t.Errorf("file = %q, want %q", got, want)
			}
			if !yes && read(t, res.Kept) != "v2" {
				t.Error("the edit was deleted")
			}
		})
	}
}

// TestEditorErrorWithoutChangesFails: a failed editor that saved nothing
// is an error, and nothing is left behind.
func TestEditorErrorWithoutChangesFails(t *testing.T) {
	t.Parallel()
	p := filepath.Join(t.TempDir(), "f.txt")
	if err := os.WriteFile(p, []byte("v1"), 0o644); err != nil {
		t.Fatal(err)
	}
	failed := errors.New(`"vim": exit status 1`)
	var dir string
	_, err := edit.Edit(context.Background(), local.New(), p, edit.Options{Engine: engine(t), Ask: &asker{answer: true},
		Editor: edit.EditorFunc(func(_ context.Context, local string) error { dir = filepath.Dir(local); return failed })})
	if !errors.Is(err, failed) || !strings.Contains(err.Error(), p) {
		t.Fatalf("Edit: %v", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Error("temporary directory left behind")
	}
}

// TestEditUploadsThroughTheGivenEngine: the upload is a batch of the
// caller's engine (the UI's queue shows it), and an upload that fails
// keeps the edit and says where.
func TestEditUploadsThroughTheGivenEngine(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := filepath.Join(dir, "f.txt")
	if err := os.WriteFile(p, []byte("v1"), 0o644); err != nil {
		t.Fatal(err)
	}
	e := engine(t)
	if _, err := edit.Edit(context.Background(), local.New(), p, edit.Options{Engine: e, Editor: writer("v2", nil), Ask: &asker{}}); err != nil {
		t.Fatal(err)
	}
	jobs := e.Jobs(0, 0)
	if len(jobs) != 1 || jobs[0].Dst != p || jobs[0].State != transfer.Done {
		t.Fatalf("engine jobs %+v, want the upload of %s", jobs, p)
	}

	// The file's directory vanishes during the edit: the upload fails.
	sub := filepath.Join(dir, "sub")
	q := filepath.Join(sub, "g.txt")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(q, []byte("v1"), 0o644); err != nil {
		t.Fatal(err)
	}
	editor := edit.EditorFunc(func(_ context.Context, local string) error {
		if err := os.RemoveAll(sub); err != nil {
			return err
		}
		return os.WriteFile(local, []byte("v2"), 0o644)
	})
	res, err := edit.Edit(context.Background(), local.New(), q, edit.Options{Engine: e, Editor: editor, Ask: &asker{answer: true}})
	if err == nil || res.Kept == "" || !strings.Contains(err.Error(), res.Kept) {
		t.Fatalf("Edit: %+v, %v; want an error naming the kept copy", res, err)
	}
	if got := read(t, res.Kept); got != "v2" {
		t.Errorf("kept copy %q", got)
	}
	os.RemoveAll(filepath.Dir(res.Kept))
}
