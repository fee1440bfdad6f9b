package transfer_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/ferry-tui/ferry/transfer"
)

// lostRenameFS carries out the first renames into place onto name and
// then reports the connection lost, as a server does when the link drops
// after it renamed but before its answer arrived.
type lostRenameFS struct {
	transfer.FS
	name string
	mu   sync.Mutex
	lose int
}

func (f *lostRenameFS) Rename(ctx context.Context, from, to string) error {
	if err := f.FS.Rename(ctx, from, to); err != nil || to != f.name {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.lose > 0 {
		f.lose--
		return errLost{}
	}
	return nil
}

func TestRenameWhoseAnswerWasLostIsNotAskedAbout(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		noPreserve bool
		old        bool // a file was there before, which the copy replaces
	}{{"new file", false, false}, {"replaced file", false, true}, {"replaced, times not preserved", true, true}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			src, dst := filepath.Join(dir, "src"), filepath.Join(dir, "dst")
			writeFile(t, src, []byte("new content"), 0o644, baseTime)
			policy := transfer.Skip
			if tc.old {
				writeFile(t, dst, []byte("old content"), 0o644, baseTime.Add(-1e9*3600))
				policy = transfer.Overwrite
			}
			e, _ := newEngine(t, transfer.Options{})
			fsys := &lostRenameFS{FS: localFS(), name: dst, lose: 1}
			run(t, e, transfer.Request{Src: localFS(), Dst: fsys, Policy: policy, NoPreserve: tc.noPreserve, Items: []transfer.Item{{Src: src, Dst: dst}}})
			j := jobFor(t, e, src)
			if j.State != transfer.Done {
				t.Fatalf("job %v (attempt %d): %v; want done, the rename had happened", j.State, j.Attempt, j.Err)
			}
			if b, _ := os.ReadFile(dst); string(b) != "new content" {
				t.Errorf("destination holds %q", b)
			}
			noTemps(t, dir)
		})
	}
}

func TestLostRenameThatDidNotHappenIsCopiedAgain(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "src"), filepath.Join(dir, "dst")
	writeFile(t, src, []byte("new content"), 0o644, baseTime)
	e, _ := newEngine(t, transfer.Options{})
	fsys := &failRenameFS{FS: localFS(), name: dst, fail: 1}
	run(t, e, transfer.Request{Src: localFS(), Dst: fsys, Policy: transfer.Skip, Items: []transfer.Item{{Src: src, Dst: dst}}})
	if j := jobFor(t, e, src); j.State != transfer.Done || j.Attempt != 1 {
		t.Fatalf("job %v attempt %d: %v; want done on the second try", j.State, j.Attempt, j.Err)
	}
	if b, _ := os.ReadFile(dst); string(b) != "new content" {
		t.Errorf("destination holds %q", b)
	}
	noTemps(t, dir)
}

// failRenameFS reports the connection lost on the first renames onto name
// without carrying them out.
type failRenameFS struct {
	transfer.FS
	name string
	mu   sync.Mutex
	fail int
}

func (f *failRenameFS) Rename(ctx context.Context, from, to string) error {
	f.mu.Lock()
	fail := to == f.name && f.fail > 0
	if fail {
		f.fail--
	}
	f.mu.Unlock()
	if fail {
		return errLost{}
	}
	return f.FS.Rename(ctx, from, to)
}
