package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/tui"
)

func TestEditRefusesWhenFileChangedMeanwhile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := filepath.Join(t.TempDir(), "f.txt")
	if err := os.WriteFile(p, []byte("v1"), 0o644); err != nil {
		t.Fatal(err)
	}
	j, err := startEdit(ctx, local.New(), p)
	if err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(j.dir); fi.Mode().Perm() != 0o700 {
		t.Fatalf("edit directory mode %v, want 0700", fi.Mode().Perm())
	}
	// Someone else changes the file, and the user edits the copy.
	if err := os.WriteFile(p, []byte("someone else's v2"), 0o644); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(time.Minute)
	os.Chtimes(p, later, later)
	if err := os.WriteFile(j.local, []byte("my v2"), 0o644); err != nil {
		t.Fatal(err)
	}
	msg := j.finish(ctx)
	if !strings.Contains(msg.Question, "changed while you edited") || msg.OnYes == nil || msg.OnNo == nil {
		t.Fatalf("finish did not ask: %+v", msg)
	}
	if b, _ := os.ReadFile(p); string(b) != "someone else's v2" {
		t.Fatalf("the other change was overwritten before the answer: %q", b)
	}
	// No: nothing uploaded, the edit kept.
	no := msg.OnNo().(tui.EditDoneMsg)
	if !strings.Contains(no.Message, j.local) {
		t.Fatalf("no: %+v", no)
	}
	if b, _ := os.ReadFile(p); string(b) != "someone else's v2" {
		t.Fatalf("no overwrote the other change: %q", b)
	}
	if b, _ := os.ReadFile(j.local); string(b) != "my v2" {
		t.Fatalf("the user's edit was lost: %q", b)
	}
	// Yes: the edit replaces the file, safely.
	yes := msg.OnYes().(tui.EditDoneMsg)
	if yes.Err != nil {
		t.Fatal(yes.Err)
	}
	if b, _ := os.ReadFile(p); string(b) != "my v2" {
		t.Fatalf("yes did not upload: %q", b)
	}
}

func TestEditUnchangedUploadsNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := filepath.Join(t.TempDir(), "f.txt")
	if err := os.WriteFile(p, []byte("same"), 0o644); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	os.Chtimes(p, old, old)
	j, err := startEdit(ctx, local.New(), p)
	if err != nil {
		t.Fatal(err)
	}
	msg := j.finish(ctx)
	if msg.Err != nil || !strings.Contains(msg.Message, "no changes") {
		t.Fatalf("finish: %+v", msg)
	}
	if fi, _ := os.Stat(p); !fi.ModTime().Equal(old) {
		t.Fatal("an unchanged file was written")
	}
	if _, err := os.Stat(j.dir); !os.IsNotExist(err) {
		t.Fatal("temporary directory left behind")
	}
}

// TestEditThroughSymlinkKeepsTheLink edits a link: the target gets the
// change and the link stays a link.
func TestEditThroughSymlinkKeepsTheLink(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
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
	j, err := startEdit(ctx, local.New(), link)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(j.local, []byte("v2"), 0o600); err != nil {
		t.Fatal(err)
	}
	if msg := j.finish(ctx); msg.Err != nil {
		t.Fatal(msg.Err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link was replaced by a file (%v)", err)
	}
	if b, _ := os.ReadFile(real); string(b) != "v2" {
		t.Fatalf("target = %q, want the edit", b)
	}
	if fi, _ := os.Stat(real); fi.Mode().Perm() != 0o444 {
		t.Fatalf("target mode %v, want the original 0444", fi.Mode().Perm())
	}
}

// TestEditorErrorKeepsChanges: an editor that exits with an error after
// the file was saved leads to a question, not to a deleted edit.
func TestEditorErrorKeepsChanges(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := filepath.Join(t.TempDir(), "f.txt")
	if err := os.WriteFile(p, []byte("v1"), 0o644); err != nil {
		t.Fatal(err)
	}
	j, err := startEdit(ctx, local.New(), p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(j.local, []byte("v2"), 0o644); err != nil {
		t.Fatal(err)
	}
	msg := j.afterEditor(ctx, "vim", errors.New("exit status 1"))
	if msg.Question == "" || msg.OnYes == nil {
		t.Fatalf("no question after a failed editor with changes: %+v", msg)
	}
	if b, _ := os.ReadFile(j.local); string(b) != "v2" {
		t.Fatal("the edit was deleted")
	}
	if done := msg.OnYes().(tui.EditDoneMsg); done.Err != nil {
		t.Fatal(done.Err)
	}
	if b, _ := os.ReadFile(p); string(b) != "v2" {
		t.Fatalf("file = %q after yes", b)
	}
}
