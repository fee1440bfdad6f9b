package tui

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/transfer"
)

// meteredFS lets its files be read only as far as the test allows: each
// value sent on allow lets one Read return up to that many bytes; once
// allow is closed, reads go freely.
type meteredFS struct {
	transfer.FS
	allow chan int
}

func (f *meteredFS) Label() string { return "metered" }

func (f *meteredFS) Open(ctx context.Context, name string) (io.ReadCloser, error) {
	rc, err := f.FS.Open(ctx, name)
	if err != nil {
		return nil, err
	}
	return &meteredReader{rc: rc, allow: f.allow}, nil
}

type meteredReader struct {
	rc    io.ReadCloser
	allow chan int
}

func (r *meteredReader) Read(b []byte) (int, error) {
	n, ok := <-r.allow
	if !ok {
		return r.rc.Read(b)
	}
	return r.rc.Read(b[:min(n, len(b))])
}

func (r *meteredReader) Close() error { return r.rc.Close() }

// TestStripAndRowSpeedsAgree lets a copy move known amounts of bytes at
// known (fake) times: the strip and the job's row then show the same
// speed, over the same window.
func TestStripAndRowSpeedsAgree(t *testing.T) {
	t.Parallel()
	left := makeTree(t, file{name: "big.bin", size: 4 << 20})
	g := &meteredFS{FS: local.New(), allow: make(chan int)}
	m, r, e := engineModel(t, g, local.New(), left, t.TempDir(), 120, 24)
	t.Cleanup(func() { close(g.allow) })
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	m.xfer.clock = func() time.Time { return now }
	copyAll(t, r)
	r.waitFor("the job to run", func() bool { return m.xfer.raw.States[transfer.Running] == 1 })
	r.press("w")
	step := func(chunks int, want string) {
		t.Helper()
		moved := e.Snapshot().MovedBytes + int64(chunks)*(32<<10)
		// The clock moves first: a poll while the bytes arrive then
		// samples the new second, never the last one's final count.
		now = now.Add(time.Second)
		for range chunks {
			g.allow <- 32 << 10
		}
		r.waitFor("the bytes to arrive", func() bool { return e.Snapshot().MovedBytes == moved })
		r.waitFor("a poll", func() bool { return m.xfer.raw.MovedBytes == moved })
		out := screen(m)
		lines := strings.Split(out, "\n")
		row, strip := lines[1], lines[24-3]
		if !strings.Contains(row, "running   big.bin") || !strings.HasSuffix(strings.TrimRight(row, " "), " "+want) ||
			!strings.Contains(strip, " · "+want+" · ") {
			t.Errorf("want %s in the row and the strip:\n%s\n%s", want, row, strip)
		}
	}
	step(4, "128K/s") // 128K in the first second
	step(3, "112K/s") // 224K in two seconds
	step(5, "128K/s") // 384K in three seconds
	step(1, "96K/s")  // 288K in the last three seconds
	r.press("p")
	if out := screen(m); !strings.Contains(out, "paused    big.bin") || strings.Contains(out, "/s") {
		t.Errorf("paused:\n%s", out)
	}
}
