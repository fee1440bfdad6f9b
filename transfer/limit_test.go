package transfer_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/transfer"
)

// limitItems writes n files of size bytes and returns their copies' items.
func limitItems(t *testing.T, n, size int) []transfer.Item {
	dir := t.TempDir()
	var items []transfer.Item
	for i := range n {
		src := filepath.Join(dir, string(rune('a'+i)))
		writeFile(t, src, randomBytes(size), 0o644, baseTime)
		items = append(items, transfer.Item{Src: src, Dst: src + ".copy"})
	}
	return items
}

// TestLimitBoundsACopy copies 3 MiB in three files at 1 MiB/s for the
// total of the workers: it takes 3 s, not less than 2.7 (10%) and, with a
// generous margin for a loaded machine, not more than 15.
func TestLimitBoundsACopy(t *testing.T) {
	t.Parallel()
	items := limitItems(t, 3, 1<<20)
	e, _ := newEngine(t, transfer.Options{Workers: 3, Limit: 1 << 20})
	if e.Limit() != 1<<20 {
		t.Fatalf("Limit() = %d", e.Limit())
	}
	start := time.Now()
	run(t, e, transfer.Request{Src: localFS(), Dst: localFS(), Items: items})
	took := time.Since(start)
	onlyDone(t, e)
	if took < 2700*time.Millisecond || took > 15*time.Second {
		t.Errorf("3 MiB at 1 MiB/s took %v, want about 3 s", took)
	}
}

// TestLimitIsNotAStall: four 64 KiB files at 64 KiB/s on four workers; the
// last one waits about 4 s for its turn after counting its bytes, longer
// than the stall timeout, and is not taken for stalled.
func TestLimitIsNotAStall(t *testing.T) {
	t.Parallel()
	items := limitItems(t, 4, 64<<10)
	e, _ := newEngine(t, transfer.Options{Workers: 4, Limit: 64 << 10, StallTimeout: 1500 * time.Millisecond, Retries: -1})
	start := time.Now()
	run(t, e, transfer.Request{Src: localFS(), Dst: localFS(), Items: items})
	onlyDone(t, e)
	if took := time.Since(start); took < 3600*time.Millisecond {
		t.Errorf("256 KiB at 64 KiB/s took %v, want about 4 s", took)
	}
}
