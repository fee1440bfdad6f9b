package transfer

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// minBurst is the smallest burst a bandwidth limit allows: enough for one
// SFTP packet, so that a slow limit still moves whole packets.
const minBurst = 64 << 10

// limiter bounds the bytes per second of every job of an engine together
// (Options.Limit, SetLimit). A worker counts its bytes first and then
// waits until the limit allows them. The bucket starts empty when the
// first bytes come (not when the limit is set: the time spent connecting
// and opening files must not become a burst), so from the start the
// average never exceeds the limit; it holds half a second
// of bytes, so that a server that stops taking data for a moment (its
// disk is busy) is caught up with, and no 10 s span moves more than 5%
// over the limit. The zero value limits nothing.
type limiter struct {
	// now and sleep are the clock; nil means the real one. Tests set a
	// fake clock.
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error

	mu      sync.Mutex
	bps     int64 // bytes per second; 0: no limit
	lim     *rate.Limiter
	primed  bool         // lim's bucket was emptied at the first bytes
	waiting map[*job]int // jobs asleep in wait, which are not stalled
}

// SetLimit sets the bandwidth limit of all transfers together, in bytes
// per second; 0 or less removes it. It takes effect at once for new
// bytes; a worker already asleep finishes the wait it was given.
func (e *Engine) SetLimit(bytesPerSecond int64) { e.limit.set(bytesPerSecond) }

// Limit returns the bandwidth limit in bytes per second; 0 means none.
func (e *Engine) Limit() int64 { return e.limit.get() }

// set changes the limit.
func (l *limiter) set(bps int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if bps <= 0 {
		l.bps, l.lim = 0, nil
		return
	}
	burst := int(min(max(bps/2, minBurst), 1<<30)) // half a second
	if l.lim == nil {
		// wait empties the bucket at the first bytes: the first second
		// is no faster than the rest.
		l.lim, l.primed = rate.NewLimiter(rate.Limit(bps), burst), false
	} else {
		l.lim.SetLimitAt(l.clock(), rate.Limit(bps))
		l.lim.SetBurstAt(l.clock(), burst)
	}
	l.bps = bps
}

// get returns the limit.
func (l *limiter) get() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.bps
}

// clock returns the time now.
func (l *limiter) clock() time.Time {
	if l.now != nil {
		return l.now()
	}
	return time.Now()
}

// wait blocks j until the limit allows n more bytes, or ctx ends.
func (l *limiter) wait(ctx context.Context, j *job, n int) error {
	for n > 0 {
		l.mu.Lock()
		if l.lim == nil {
			l.mu.Unlock()
			return nil
		}
		k := min(n, l.lim.Burst())
		now := l.clock()
		if !l.primed {
			l.lim.ReserveN(now, l.lim.Burst())
			l.primed = true
		}
		d := l.lim.ReserveN(now, k).DelayFrom(now)
		if d > 0 {
			if l.waiting == nil {
				l.waiting = map[*job]int{}
			}
			l.waiting[j]++
		}
		l.mu.Unlock()
		n -= k
		if d <= 0 {
			continue
		}
		err := l.pause(ctx, d)
		l.mu.Lock()
		if l.waiting[j]--; l.waiting[j] <= 0 {
			delete(l.waiting, j)
		}
		l.mu.Unlock()
		if err != nil {
			return err
		}
	}
	return nil
}

// holds reports whether j is asleep in wait: a job held back by the limit
// is not stalled.
func (l *limiter) holds(j *job) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.waiting[j] > 0
}

// pause sleeps d or until ctx ends.
func (l *limiter) pause(ctx context.Context, d time.Duration) error {
	if l.sleep != nil {
		return l.sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
