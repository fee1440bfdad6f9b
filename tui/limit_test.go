package tui

import (
	"strings"
	"testing"

	"github.com/ferry-tui/ferry/local"
)

func TestNextLimit(t *testing.T) {
	t.Parallel()
	const K, M = 1 << 10, 1 << 20
	for _, c := range []struct {
		cur, speed int64
		step       int
		want       int64
	}{
		{0, 0, -1, 10 * M},      // nothing moves: 10M
		{0, 3 * M, -1, 2 * M},   // below the current speed
		{10 * M, 0, -1, 5 * M},  // one step down
		{64 * K, 0, -1, 64 * K}, // the bottom stays
		{5 * M, 0, 1, 10 * M},   // one step up
		{3 * M, 0, 1, 5 * M},    // from a rate between steps
		{500 * M, 0, 1, 0},      // past the top: none
		{0, 3 * M, 1, 0},        // none stays none
	} {
		if got := nextLimit(c.cur, c.speed, c.step); got != c.want {
			t.Errorf("nextLimit(%d, %d, %d) = %d, want %d", c.cur, c.speed, c.step, got, c.want)
		}
	}
}

// TestQueueViewAdjustsLimit: [ and ] in the queue view lower and raise
// the engine's bandwidth limit, and the status line says what it is.
func TestQueueViewAdjustsLimit(t *testing.T) {
	t.Parallel()
	m, r, e := engineModel(t, local.New(), local.New(), numberedFiles(t, 2), t.TempDir(), 100, 24)
	e.Pause()
	copyAll(t, r)
	planned(r, e, 2)
	r.press("w")
	r.press("[")
	if e.Limit() != 10<<20 || !strings.Contains(screen(m), "bandwidth limit 10M/s") {
		t.Errorf("[: limit %d, screen:\n%s", e.Limit(), screen(m))
	}
	r.press("[", "[")
	if e.Limit() != 2<<20 {
		t.Errorf("[[[: limit %d, want 2M", e.Limit())
	}
	r.press("]")
	if e.Limit() != 5<<20 {
		t.Errorf("]: limit %d, want 5M", e.Limit())
	}
	for range 8 {
		r.press("]")
	}
	if e.Limit() != 0 || !strings.Contains(screen(m), "no bandwidth limit") {
		t.Errorf("] past the top: limit %d, screen:\n%s", e.Limit(), screen(m))
	}
}
