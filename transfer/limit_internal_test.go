package transfer

import (
	"context"
	"testing"
	"time"
)

// fakeClock is a clock whose sleeps move it forward at once.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func (c *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	c.t = c.t.Add(d)
	return ctx.Err()
}

func fakeLimiter(bps int64) (*limiter, *fakeClock) {
	c := &fakeClock{t: time.Unix(1e9, 0)}
	l := &limiter{now: c.now, sleep: c.sleep}
	l.set(bps)
	return l, c
}

// TestLimiterRateOverTenSeconds moves 100 MiB at 10 MiB/s in SFTP-sized
// chunks on a fake clock: it must take 10 s within 1%.
func TestLimiterRateOverTenSeconds(t *testing.T) {
	t.Parallel()
	for _, chunk := range []int{32 << 10, 255 << 10, 4 << 20} {
		l, c := fakeLimiter(10 << 20)
		start := c.now()
		j := &job{}
		for moved := 0; moved < 100<<20; moved += chunk {
			if err := l.wait(t.Context(), j, chunk); err != nil {
				t.Fatal(err)
			}
		}
		if got := c.now().Sub(start); got < 9900*time.Millisecond || got > 10100*time.Millisecond {
			t.Errorf("chunks of %d: 100 MiB at 10 MiB/s took %v, want 10 s within 1%%", chunk, got)
		}
	}
}

// TestLimiterStartsEmptyAtTheFirstBytes: time between setting the limit
// and the first bytes (connecting, opening files) is no burst. ferry cp
// under load once moved 512 KiB at 256 KiB/s in 1.58 s.
func TestLimiterStartsEmptyAtTheFirstBytes(t *testing.T) {
	t.Parallel()
	l, c := fakeLimiter(256 << 10)
	c.t = c.t.Add(5 * time.Second)
	start := c.now()
	j := &job{}
	for range 8 {
		if err := l.wait(t.Context(), j, 64<<10); err != nil {
			t.Fatal(err)
		}
	}
	if got := c.now().Sub(start); got < 1990*time.Millisecond || got > 2010*time.Millisecond {
		t.Errorf("512 KiB at 256 KiB/s, first bytes 5 s after the limit was set, took %v; want 2 s", got)
	}
}

func TestLimiterChangesAndTurnsOff(t *testing.T) {
	t.Parallel()
	l, c := fakeLimiter(1 << 20)
	j := &job{}
	start := c.now()
	for range 20 {
		l.wait(t.Context(), j, 64<<10) // 1.25 MiB at 1 MiB/s
	}
	l.set(4 << 20)
	mid := c.now()
	for range 80 {
		l.wait(t.Context(), j, 64<<10) // 5 MiB at 4 MiB/s
	}
	if a, b := mid.Sub(start), c.now().Sub(mid); a < 1200*time.Millisecond || a > 1300*time.Millisecond || b < 1200*time.Millisecond || b > 1350*time.Millisecond {
		t.Errorf("1.25 MiB at 1 MiB/s took %v, then 5 MiB at 4 MiB/s %v; want 1.25 s each", a, b)
	}
	if l.get() != 4<<20 {
		t.Errorf("get = %d", l.get())
	}
	l.set(0)
	before := c.now()
	l.wait(t.Context(), j, 100<<20)
	if c.now() != before || l.get() != 0 {
		t.Error("a limit of 0 still waits")
	}
}

// TestLimiterHoldsWhileAsleep checks that a job waiting for the limit is
// known as held back (so the stall watcher leaves it alone) and that a
// cancelled context ends its wait.
func TestLimiterHoldsWhileAsleep(t *testing.T) {
	t.Parallel()
	var l limiter
	l.set(64 << 10) // a 1 MiB wait takes 16 s
	j := &job{}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- l.wait(ctx, j, 1<<20) }()
	deadline := time.Now().Add(10 * time.Second)
	for !l.holds(j) {
		if time.Now().After(deadline) {
			t.Fatal("the waiting job is not held")
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err == nil {
			t.Error("a cancelled wait returned nil")
		}
	case <-time.After(2 * time.Second):
		t.Fatal("cancel did not end the wait within 2 s")
	}
	if l.holds(j) {
		t.Error("the job is still held after its wait ended")
	}
}
