package main

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
	"github.com/ferry-tui/ferry/mirror"
)

// failOpenFS is the local file system, except that opening bad fails.
type failOpenFS struct {
	*local.FS
	bad string
}

func (f failOpenFS) Open(ctx context.Context, name string) (io.ReadCloser, error) {
	if filepath.Base(name) == f.bad {
		return nil, &fs.PathError{Op: "open", Path: name, Err: errors.New("injected failure")}
	}
	return f.FS.Open(ctx, name)
}

// TestSyncDeletesOnlyAfterEveryCopySucceeded fails one copy of a sync
// with --delete: the other copies are made, but nothing is deleted, and
// the exit status is 1. Once the copy succeeds, the deletion happens.
func TestSyncDeletesOnlyAfterEveryCopySucceeded(t *testing.T) {
	t.Parallel()
	src, dst := t.TempDir(), t.TempDir()
	writeAt(t, src, "good.txt", "good", syncTime)
	writeAt(t, src, "bad.txt", "bad", syncTime)
	writeAt(t, dst, "extra.txt", "extra", syncTime)
	a, _, errb := testApp(t)
	s, err := a.newSession(connFlags{})
	if err != nil {
		t.Fatal(err)
	}
	plan := func(srcFS failOpenFS) *mirror.Plan {
		p, err := mirror.MakePlan(t.Context(), srcFS, src, local.New(), dst, mirror.Options{Delete: true})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	f := syncFlags{workers: 2, retries: -1, stall: -1}
	if code := s.applySync(t.Context(), f, plan(failOpenFS{local.New(), "bad.txt"}), 0, &syncRun{}); code != exitFailed {
		t.Fatalf("exit %d with a failed copy; stderr: %s", code, errb)
	}
	if _, err := os.Stat(filepath.Join(dst, "extra.txt")); err != nil {
		t.Fatal("deleted although a copy failed")
	}
	if _, err := os.Stat(filepath.Join(dst, "good.txt")); err != nil {
		t.Error("the copy that could be made was not")
	}
	if !strings.Contains(errb.String(), "nothing was deleted (1 deletion planned)") {
		t.Errorf("stderr: %s", errb)
	}
	if code := s.applySync(t.Context(), f, plan(failOpenFS{local.New(), ""}), 0, &syncRun{}); code != exitOK {
		t.Fatalf("exit %d; stderr: %s", code, errb)
	}
	if _, err := os.Stat(filepath.Join(dst, "extra.txt")); err == nil {
		t.Error("not deleted once every copy succeeded")
	}
}

func TestSyncOutputHelpers(t *testing.T) {
	t.Parallel()
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 8412: "8,412", 1234567: "1,234,567"} {
		if got := grouped(n); got != want {
			t.Errorf("grouped(%d) = %q, want %q", n, got, want)
		}
	}
	if got := planProgress(mirror.Progress{Entries: 8412}); got != "comparing: 8,412 entries" {
		t.Errorf("progress: %q", got)
	}
	a := mirror.Action{Kind: mirror.Changed, Path: "x\x1b[2Jy", Type: 1, Size: 2048, Reason: "replaces a directory", Replace: true}
	if got := actionLine(a, false); strings.ContainsRune(got, 0x1b) || !strings.HasSuffix(got, "(2.0K, replaces a directory; needs --delete)") {
		t.Errorf("action line: %q", got)
	}
}

// TestSyncRefusesOverlapAndFiles refuses a destination inside the source
// (or the other way round) before anything happens, and a file as SRC.
func TestSyncRefusesOverlapAndFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeAt(t, dir, "f.txt", "x", syncTime)
	for _, args := range [][]string{{dir, filepath.Join(dir, "sub")}, {filepath.Join(dir, "sub"), dir}, {dir, dir}} {
		code, _, errs := ferry(t, append([]string{"sync"}, args...)...)
		if code != exitUsage || !strings.Contains(errs, "overlap") {
			t.Errorf("sync %v: exit %d: %s", args, code, errs)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "sub")); err == nil {
		t.Error("an overlapping sync created its destination")
	}
	code, _, errs := ferry(t, "sync", filepath.Join(dir, "f.txt"), filepath.Join(dir, "out"))
	if code != exitFailed || !strings.Contains(errs, "not a directory") {
		t.Errorf("file as SRC: exit %d: %s", code, errs)
	}
	if code, _, _ := ferry(t, "sync", dir); code != exitUsage {
		t.Errorf("one operand: exit %d", code)
	}
	if code, _, errs := ferry(t, "sync", "--delete", "--max-delete", "-1", dir, filepath.Join(dir, "..", "out")); code != exitUsage || !strings.Contains(errs, "not a count") {
		t.Errorf("--max-delete -1: exit %d: %s", code, errs)
	}
}
