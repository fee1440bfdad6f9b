package remote

import (
	"testing"
	"time"
)

// A download asks for one channel where the window is no limit and for
// more as the round trip grows, never more than it may have.
func TestWantStreams(t *testing.T) {
	for _, c := range []struct {
		rtt     time.Duration
		n, want int
	}{
		{100 * time.Microsecond, 4, 1},
		{2 * time.Millisecond, 4, 1},
		{10 * time.Millisecond, 4, 3},
		{50 * time.Millisecond, 4, 4},
		{50 * time.Millisecond, 2, 2},
		{0, 4, 1},
	} {
		if got := wantStreams(c.rtt, c.n); got != c.want {
			t.Errorf("wantStreams(%v, %d) = %d, want %d", c.rtt, c.n, got, c.want)
		}
	}
}
