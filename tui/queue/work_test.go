package queue

import (
	"strings"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/transfer"
)

// snapOf is a snapshot with the given states and bytes.
func snapOf(done, failed, running, queued int, total, doneBytes, moved int64, active ...transfer.JobStatus) transfer.Snapshot {
	var s transfer.Snapshot
	s.States[transfer.Done], s.States[transfer.Failed] = done, failed
	s.States[transfer.Running], s.States[transfer.Queued] = running, queued
	s.Jobs = done + failed + running + queued
	s.TotalBytes, s.DoneBytes, s.MovedBytes, s.Active = total, doneBytes, moved, active
	return s
}

func TestWorkCountsTheCurrentWork(t *testing.T) {
	var w Work
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	// 32 of 33 files done, then the queue goes idle.
	got := StripText(w.Observe(t0, snapOf(32, 0, 1, 0, 7<<30, 6<<30, 6<<30)))
	if !strings.Contains(got, "32/33 files · 6.0G/7.0G") {
		t.Errorf("first work: %q", got)
	}
	got = StripText(w.Observe(t0.Add(time.Second), snapOf(33, 0, 0, 0, 7<<30, 7<<30, 7<<30)))
	if !strings.Contains(got, "33/33 files · 7.0G/7.0G") || !strings.HasSuffix(got, "idle") {
		t.Errorf("first work done: %q", got)
	}
	// A new job after idle starts from 0/1.
	got = StripText(w.Observe(t0.Add(time.Minute), snapOf(33, 0, 1, 0, 7<<30+100, 7<<30, 7<<30)))
	if !strings.Contains(got, "1 active job · 0/1 files · 0/100") {
		t.Errorf("new work: %q", got)
	}
	// A job added while it runs joins it; one that fails stays counted.
	got = StripText(w.Observe(t0.Add(time.Minute+time.Second), snapOf(33, 1, 1, 1, 7<<30+300, 7<<30+50, 7<<30+50)))
	if !strings.Contains(got, "0/3 files · 50/300") || !strings.Contains(got, "1 failed") {
		t.Errorf("growing work: %q", got)
	}
	// A job that finishes between two looks still starts new work.
	w.Observe(t0.Add(2*time.Minute), snapOf(35, 1, 0, 0, 7<<30+300, 7<<30+300, 7<<30+300))
	got = StripText(w.Observe(t0.Add(3*time.Minute), snapOf(36, 1, 0, 0, 7<<30+310, 7<<30+310, 7<<30+310)))
	if !strings.Contains(got, "1/1 files · 10/10") || strings.Contains(got, "failed") {
		t.Errorf("quick work: %q", got)
	}
	// Retrying an earlier failure is new work of one job.
	got = StripText(w.Observe(t0.Add(4*time.Minute), snapOf(36, 0, 1, 0, 7<<30+410, 7<<30+310, 7<<30+310)))
	if !strings.Contains(got, "0/1 files · 0/100") {
		t.Errorf("retry: %q", got)
	}
}

func TestWorkSpeedsAgree(t *testing.T) {
	var w Work
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	job := func(done int64) transfer.JobStatus {
		return transfer.JobStatus{ID: 7, Kind: transfer.KindFile, State: transfer.Running, Size: 1 << 30, Done: done}
	}
	// One job, resumed at 100M: its resumed part is not carried.
	resumed := job(100 << 20)
	resumed.Resumed = 100 << 20
	w.Observe(t0, snapOf(0, 0, 1, 0, 1<<30, 100<<20, 0, resumed))
	for i, carried := range []int64{10, 30, 60, 100, 100, 100, 100, 100} {
		j := job(100<<20 + carried<<20)
		j.Resumed = 100 << 20
		at := t0.Add(time.Duration(i+1) * time.Second)
		s := w.Observe(at, snapOf(0, 0, 1, 0, 1<<30, j.Done, carried<<20, j))
		if s.Speed != w.JobSpeed(7) {
			t.Errorf("after %ds: strip %.0f B/s, row %.0f B/s", i+1, s.Speed, w.JobSpeed(7))
		}
	}
	// Over the last SpeedWindow (3 s) nothing moved.
	if w.JobSpeed(7) != 0 {
		t.Errorf("speed %.0f after 3 s of nothing", w.JobSpeed(7))
	}
	w.Observe(t0.Add(time.Minute), snapOf(1, 0, 0, 0, 1<<30, 1<<30, 924<<20))
	if w.JobSpeed(7) != 0 {
		t.Error("a finished job keeps a speed")
	}
}

func TestWindowSpeed(t *testing.T) {
	var w window
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 50 { // 100 bytes every 100 ms: 1000 B/s
		w.add(t0.Add(time.Duration(i)*100*time.Millisecond), int64(i)*100)
	}
	if got := w.speed(); got != 1000 {
		t.Errorf("steady speed %.1f, want 1000", got)
	}
	if n := len(w.samples); n > 32 {
		t.Errorf("%d samples kept for a 3 s window", n)
	}
	w.add(t0.Add(5*time.Second), 10) // the counter went back: a new try
	if got := w.speed(); got != 0 {
		t.Errorf("speed %.1f after the counter went back", got)
	}
}
