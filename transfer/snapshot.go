package transfer

import (
	"math"
	"slices"
	"time"
)

// Snapshot is the engine's state at one moment, cheap enough to take ten
// times a second: counts and bytes come from counters, and only running
// jobs are listed.
type Snapshot struct {
	// Workers is how many jobs may run at once.
	Workers int
	// Paused reports whether the queue is paused.
	Paused bool
	// Counting is true while a batch is still being walked: the totals
	// grow until it ends ("counting…").
	Counting bool
	// Jobs is how many jobs exist, of any state and kind.
	Jobs int
	// States counts jobs by state, indexed by State.
	States [numStates]int
	// Asking is how many queued jobs wait for Engine.Answer.
	Asking int
	// TotalBytes is the size of every file planned and not given up
	// (failed, cancelled and skipped files do not count).
	TotalBytes int64
	// DoneBytes is how much of that is at the destination.
	DoneBytes int64
	// MovedBytes is how much was carried in all, counting the bytes of
	// files that failed or were tried again, and not the part a resume
	// found already there.
	MovedBytes int64
	// Speed is the smoothed transfer speed in bytes per second.
	Speed float64
	// ETA is the estimated time left, or -1 when unknown.
	ETA time.Duration
	// Active lists the running jobs, oldest first.
	Active []JobStatus
	// DroppedEvents counts routine events dropped because the consumer
	// fell behind.
	DroppedEvents uint64
}

// Snapshot returns the engine's current state.
func (e *Engine) Snapshot() Snapshot {
	t := time.Now()
	e.mu.Lock()
	defer e.mu.Unlock()
	s := Snapshot{
		Workers:       e.target,
		Paused:        e.gate.paused(),
		Jobs:          len(e.jobs),
		States:        e.counts,
		TotalBytes:    e.totalBytes.Load(),
		DoneBytes:     e.doneBytes.Load(),
		MovedBytes:    e.moved.Load(),
		DroppedEvents: e.events.dropped.Load(),
		ETA:           -1,
	}
	for _, b := range e.batches {
		s.Asking += len(b.parked)
		if b.walks > 0 {
			s.Counting = true
		}
	}
	s.Speed = e.meter.sample(t, e.moved.Load())
	if len(e.running) == 0 {
		s.Speed = 0
	}
	if !s.Counting {
		s.ETA = eta(s.TotalBytes-s.DoneBytes, s.Speed)
	}
	for j := range e.running {
		s.Active = append(s.Active, j.status(t))
	}
	slices.SortFunc(s.Active, func(a, b JobStatus) int { return int(a.ID) - int(b.ID) })
	return s
}

// Jobs returns up to limit jobs starting at offset, in planning order
// (limit <= 0: all from offset).
func (e *Engine) Jobs(offset, limit int) []JobStatus {
	t := time.Now()
	e.mu.Lock()
	defer e.mu.Unlock()
	if offset < 0 {
		offset = 0
	}
	if offset >= len(e.jobs) {
		return nil
	}
	end := len(e.jobs)
	if limit > 0 && offset+limit < end {
		end = offset + limit
	}
	out := make([]JobStatus, 0, end-offset)
	for _, j := range e.jobs[offset:end] {
		out = append(out, j.status(t))
	}
	return out
}

// Job returns job id's status.
func (e *Engine) Job(id JobID) (JobStatus, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	j, err := e.job(id)
	if err != nil {
		return JobStatus{}, false
	}
	return j.status(time.Now()), true
}

// meter smooths a byte counter into a speed: an exponentially weighted
// moving average with a time constant of speedTau, sampled at most every
// minSample.
type meter struct {
	last   time.Time
	bytes  int64
	rate   float64
	primed bool
}

const (
	speedTau  = 3 * time.Second
	minSample = 200 * time.Millisecond
)

// sample feeds the counter's value at t and returns the smoothed rate.
func (m *meter) sample(t time.Time, bytes int64) float64 {
	if !m.primed {
		m.last, m.bytes, m.primed = t, bytes, true
		return 0
	}
	dt := t.Sub(m.last)
	if dt < minSample {
		return m.rate
	}
	inst := float64(bytes-m.bytes) / dt.Seconds()
	if m.rate == 0 {
		m.rate = inst
	} else {
		alpha := 1 - math.Exp(-dt.Seconds()/speedTau.Seconds())
		m.rate += alpha * (inst - m.rate)
	}
	m.last, m.bytes = t, bytes
	return m.rate
}

// eta returns how long remaining bytes take at speed, or -1.
func eta(remaining int64, speed float64) time.Duration {
	if remaining <= 0 {
		return 0
	}
	if speed <= 0 {
		return -1
	}
	return time.Duration(float64(remaining) / speed * float64(time.Second))
}
