package main

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/transfer"
)

// frozenFS is the local disk labelled "box", whose CreateExcl hangs until
// release is closed, as a server that stopped answering does. It embeds
// the interface, not *local.FS, so that no fast path of the local disk
// goes around CreateExcl.
type frozenFS struct {
	transfer.FS
	release chan struct{}
}

func (f *frozenFS) Label() string { return "box" }

func (f *frozenFS) CreateExcl(ctx context.Context, name string, perm fs.FileMode) (io.WriteCloser, error) {
	<-f.release
	return f.FS.CreateExcl(ctx, name, perm)
}

func TestQuitSummary(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "a.txt")
	if err := os.WriteFile(src, []byte("alpha"), 0o644); err != nil {
		t.Fatal(err)
	}
	dst := &frozenFS{FS: local.New(), release: make(chan struct{})}
	eng := transfer.New(transfer.Options{})
	released := false
	release := func() {
		if !released {
			released = true
			close(dst.release)
		}
	}
	t.Cleanup(func() { release(); eng.Close() })

	var out bytes.Buffer
	if quitSummary(&out, eng, dst); out.Len() != 0 {
		t.Fatalf("summary with no copies: %q", out.String())
	}
	target := filepath.Join(dir, "out", "a.txt")
	if err := os.Mkdir(filepath.Dir(target), 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := eng.Submit(transfer.Request{Src: local.New(), Dst: dst, Items: []transfer.Item{{Src: src, Dst: target}}})
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if js := b.Jobs(); len(js) == 1 && js[0].State == transfer.Running {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the copy never started")
		}
	}
	// The UI quit and the server does not answer: the copy is still
	// stopping when the process gives up on it.
	eng.CancelAll()
	quitSummary(&out, eng, local.New(), dst)
	for _, want := range []string{
		"1 file not copied: quitting cancelled it; its target is as it was:",
		"local:" + src + " -> box:" + target + " (still stopping)",
		"box:" + transfer.TempPath(dst, target) + " (if it was made",
		"copy the same files again to continue them",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary does not say %q:\n%s", want, out.String())
		}
	}
}
