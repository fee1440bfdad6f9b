package transfer_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/transfer"
)

// silentTimes is a destination whose Chtimes does not answer until its
// context ends: a server that froze once the copies had stopped.
type silentTimes struct{ transfer.FS }

func (silentTimes) Chtimes(ctx context.Context, _ string, _, _ time.Time) error {
	<-ctx.Done()
	return ctx.Err()
}

// TestCancelledBatchDoesNotWaitOnDirectoryTimes: a cancelled batch still
// gives its directories their times, but a destination that does not
// answer no longer holds the batch (and a stopping ferry) open: it
// finishes anyway.
func TestCancelledBatchDoesNotWaitOnDirectoryTimes(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	big := filepath.Join(src, "d", "big.bin")
	if err := os.MkdirAll(filepath.Dir(big), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, big, randBytes(3, 2<<20), 0o644, baseTime)
	gate := newGate(localFS(), big, 1<<20)
	e, _ := newEngine(t, transfer.Options{Workers: 1})
	b, err := e.Submit(transfer.Request{Src: gate, Dst: silentTimes{localFS()}, Items: []transfer.Item{{Src: filepath.Join(src, "d"), Dst: filepath.Join(dst, "d")}}})
	if err != nil {
		t.Fatal(err)
	}
	<-gate.reached
	b.Cancel()
	close(gate.release)
	wait(t, e) // without the bound, the batch waits on Chtimes for good
	if !b.Done() {
		t.Fatal("the cancelled batch did not finish")
	}
}
