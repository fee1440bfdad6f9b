package transfer

import (
	"testing"
	"time"
)

func TestEventQueueNeverBlocksAndKeepsEssentials(t *testing.T) {
	t.Parallel()
	q := newEventQueue(1)
	// Nobody reads: pushing far more than the buffer must not block.
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 3 * maxBacklog {
			q.push(Event{Kind: JobStarted, Job: JobID(i + 1)})
		}
		for i := range 100 {
			q.push(Event{Kind: JobFinished, State: Failed, Job: JobID(i + 1)})
		}
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("push blocked")
	}
	if q.dropped.Load() == 0 {
		t.Error("no routine event was dropped")
	}
	failed := 0
	timeout := time.After(10 * time.Second)
	for failed < 100 {
		select {
		case ev := <-q.out:
			if ev.Kind == JobFinished {
				if int(ev.Job) != failed+1 {
					t.Fatalf("essential events out of order: got job %d, want %d", ev.Job, failed+1)
				}
				failed++
			}
		case <-timeout:
			t.Fatalf("only %d of 100 essential events arrived", failed)
		}
	}
	q.close()
	if _, ok := <-q.out; ok {
		// Buffered leftovers are fine; the channel must end closed.
		for range q.out {
		}
	}
}

func TestMeterSmoothsAndEta(t *testing.T) {
	t.Parallel()
	var m meter
	t0 := time.Unix(0, 0)
	m.sample(t0, 0)
	if r := m.sample(t0.Add(time.Second), 1000); r != 1000 {
		t.Errorf("first rate %v", r)
	}
	if r := m.sample(t0.Add(1100*time.Millisecond), 5000); r != 1000 {
		t.Errorf("a sample sooner than minSample changed the rate to %v", r)
	}
	r := m.sample(t0.Add(2*time.Second), 1000)
	if r <= 0 || r >= 1000 {
		t.Errorf("rate after a stall %v, want between 0 and 1000", r)
	}
	if eta(1000, 0) != -1 || eta(0, 5) != 0 || eta(1000, 500) != 2*time.Second {
		t.Error("eta")
	}
}
