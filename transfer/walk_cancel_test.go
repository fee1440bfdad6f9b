package transfer_test

import (
	"context"
	"io/fs"
	"path/filepath"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/transfer"
)

// statBlocks is a file system whose Stat waits for its context to end.
type statBlocks struct {
	transfer.FS
	entered chan struct{}
}

func (s statBlocks) Stat(ctx context.Context, name string) (fs.FileInfo, error) {
	close(s.entered)
	<-ctx.Done()
	return nil, &fs.PathError{Op: "stat", Path: name, Err: ctx.Err()}
}

// TestCancelWhileLookingAtAnItem: a batch cancelled while the walk looks
// at one of its items ends with that item cancelled, not failed (ferry
// sync cancels a walk that turns out to have nothing to copy).
func TestCancelWhileLookingAtAnItem(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := statBlocks{FS: localFS(), entered: make(chan struct{})}
	e, _ := newEngine(t, transfer.Options{})
	b, err := e.Submit(transfer.Request{Src: src, Dst: localFS(), Items: []transfer.Item{{Src: filepath.Join(dir, "a"), Dst: filepath.Join(dir, "b")}}})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-src.entered:
	case <-time.After(10 * time.Second):
		t.Fatal("the walk never looked at the item")
	}
	if err := e.CancelBatch(b.ID()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := b.Wait(ctx); err != nil {
		t.Fatalf("Wait after the cancel: %v, want no failure", err)
	}
	if j := jobFor(t, e, filepath.Join(dir, "a")); j.State != transfer.Cancelled {
		t.Errorf("the item is %v (%v), want cancelled", j.State, j.Err)
	}
}
