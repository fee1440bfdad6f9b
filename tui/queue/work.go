package queue

import (
	"time"

	"github.com/ferry-tui/ferry/transfer"
)

// SpeedWindow is how far back the speeds of the strip and of the queue
// view's rows look: each is the bytes carried over the last SpeedWindow
// divided by the time they took.
const SpeedWindow = 3 * time.Second

// sample is a byte counter's value at one moment.
type sample struct {
	at    time.Time
	bytes int64
}

// window keeps the samples of one byte counter over SpeedWindow.
type window struct{ samples []sample }

// add records the counter's value at t. A counter that went back (a job
// tried again from the start) starts over.
func (w *window) add(t time.Time, bytes int64) {
	if n := len(w.samples); n > 0 {
		last := &w.samples[n-1]
		switch {
		case bytes < last.bytes || t.Before(last.at):
			w.samples = w.samples[:0]
		case t.Equal(last.at):
			last.bytes = bytes
			return
		}
	}
	w.samples = append(w.samples, sample{at: t, bytes: bytes})
	// Keep one sample at or before the window's start, so the speed
	// always spans the whole window once there is that much history.
	cut := 0
	for cut+1 < len(w.samples) && !w.samples[cut+1].at.After(t.Add(-SpeedWindow)) {
		cut++
	}
	if cut > 0 {
		w.samples = append(w.samples[:0], w.samples[cut:]...)
	}
}

// speed is the bytes per second between the oldest sample kept and the
// newest, or 0 with fewer than two.
func (w *window) speed() float64 {
	n := len(w.samples)
	if n < 2 {
		return 0
	}
	first, last := w.samples[0], w.samples[n-1]
	dt := last.at.Sub(first.at).Seconds()
	if dt <= 0 {
		return 0
	}
	return float64(last.bytes-first.bytes) / dt
}

// Work follows the engine's snapshots for the strip and the queue view.
// It narrows the totals to the current work: the jobs since the queue was
// last idle, so a copy started after earlier ones finished counts from
// 0/1. And it measures the speeds of the strip and of the running jobs
// from the same samples over the same SpeedWindow, so that with one job
// running both show the same speed. The zero Work has seen an idle,
// empty engine.
type Work struct {
	busy  bool              // the current work is under way
	last  transfer.Snapshot // the last idle snapshot
	base  transfer.Snapshot // where the current work started
	moved window
	jobs  map[transfer.JobID]*window
}

// Observe takes the engine's snapshot s, taken at now, and returns the
// snapshot the strip shows: counts, bytes and speed of the current work.
func (w *Work) Observe(now time.Time, s transfer.Snapshot) transfer.Snapshot {
	if !w.busy && (Busy(s) || s.Jobs != w.last.Jobs || s.States != w.last.States) {
		w.base, w.busy = w.last, true
	}
	if !Busy(s) {
		w.busy, w.last = false, s
	}
	// Only retries lower these: the retried jobs join the current work.
	for _, st := range []transfer.State{transfer.Failed, transfer.Cancelled} {
		w.base.States[st] = min(w.base.States[st], s.States[st])
	}
	w.measure(now, s)

	n := s
	n.Jobs = 0
	for st := transfer.Done; st.Terminal(); st++ {
		n.States[st] = max(s.States[st]-w.base.States[st], 0)
	}
	for _, c := range n.States {
		n.Jobs += c
	}
	n.TotalBytes = max(s.TotalBytes-w.base.TotalBytes, 0)
	n.DoneBytes = min(max(s.DoneBytes-w.base.DoneBytes, 0), n.TotalBytes)
	n.MovedBytes = max(s.MovedBytes-w.base.MovedBytes, 0)
	n.Speed = 0
	if s.States[transfer.Running] > 0 && !s.Paused {
		n.Speed = w.moved.speed()
	}
	n.ETA = -1
	if left := n.TotalBytes - n.DoneBytes; left <= 0 {
		n.ETA = 0
	} else if n.Speed > 0 {
		n.ETA = time.Duration(float64(left) / n.Speed * float64(time.Second))
	}
	return n
}

// measure samples the bytes carried in all and by each running job.
func (w *Work) measure(now time.Time, s transfer.Snapshot) {
	w.moved.add(now, s.MovedBytes)
	if w.jobs == nil {
		w.jobs = map[transfer.JobID]*window{}
	}
	seen := make(map[transfer.JobID]bool, len(s.Active))
	for i := range s.Active {
		j := &s.Active[i]
		seen[j.ID] = true
		win := w.jobs[j.ID]
		if win == nil {
			win = &window{}
			w.jobs[j.ID] = win
		}
		// The part a resume found at the destination was not carried.
		win.add(now, j.Done-j.Resumed)
	}
	for id := range w.jobs {
		if !seen[id] {
			delete(w.jobs, id)
		}
	}
}

// JobSpeed returns the speed of running job id over SpeedWindow, as the
// strip measures it, or 0 when id was not running at the last snapshot.
func (w *Work) JobSpeed(id transfer.JobID) float64 {
	if win := w.jobs[id]; win != nil {
		return win.speed()
	}
	return 0
}
