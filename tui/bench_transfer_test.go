package tui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/transfer"
)

// BenchmarkTransferTick measures what the UI costs a running transfer:
// one poll of the engine's counters (Update on a strip tick) plus a frame
// (View), with 2,000 jobs in the engine and the queue view open, the
// heaviest screen. The UI does this about 10 times a second while
// something moves, so the CPU it takes from a transfer is ten times this
// per second.
func BenchmarkTransferTick(b *testing.B) {
	src, dst := b.TempDir(), b.TempDir()
	for i := 0; i < 2000; i++ {
		if err := os.WriteFile(filepath.Join(src, fmt.Sprintf("f%04d", i)), []byte("x"), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	e := transfer.New(transfer.Options{Workers: 1})
	defer e.Close()
	e.Pause() // keep every job queued while measuring
	m := New(Options{Left: local.New(), Right: local.New(), LeftDir: src, RightDir: dst, Engine: e})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	if _, err := e.Submit(transfer.Request{Src: local.New(), Dst: local.New(), Items: []transfer.Item{{Src: src, Dst: filepath.Join(dst, "copy")}}, Policy: transfer.Overwrite}); err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for e.Snapshot().Jobs < 2001 && ctx.Err() == nil {
		time.Sleep(10 * time.Millisecond)
	}
	m.Update(keyMsg("w")) // the queue view
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.Update(stripTickMsg{})
		_ = m.View()
	}
}
