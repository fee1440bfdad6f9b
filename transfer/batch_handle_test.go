package transfer_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/transfer"
)

// readUntilFinished reads sub until BatchFinished and returns what came.
func readUntilFinished(t *testing.T, sub *transfer.Subscription) []transfer.Event {
	t.Helper()
	var got []transfer.Event
	timeout := time.After(waitTimeout)
	for {
		select {
		case ev, ok := <-sub.Events():
			if !ok {
				t.Fatalf("subscription closed before BatchFinished; got %+v", got)
			}
			got = append(got, ev)
			if ev.Kind == transfer.BatchFinished {
				return got
			}
		case <-timeout:
			t.Fatalf("no BatchFinished; got %+v", got)
		}
	}
}

// waitBatch waits for b and returns its summary and error.
func waitBatch(t *testing.T, b *transfer.Batch) (transfer.Summary, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	s, err := b.Wait(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("batch %d not finished: %+v", b.ID(), b.Jobs())
	}
	return s, err
}

// TestBatchSubscriptionsEachGetEveryEvent: three readers of one batch, one
// prompt, one that reads nothing until the batch has finished (with a
// channel of one event, so it is full at once), and one that subscribes
// only afterwards, each receive the same events: every job's end, in the
// engine's order, and the batch's own.
func TestBatchSubscriptionsEachGetEveryEvent(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	makeTree(t, src)
	e, rec := newEngine(t, transfer.Options{EventBuffer: 1})
	b, err := e.Submit(transfer.Request{Src: localFS(), Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: filepath.Join(dir, "dst")}}})
	if err != nil {
		t.Fatal(err)
	}
	prompt, slow := b.Subscribe(), b.Subscribe()
	defer prompt.Close()
	defer slow.Close()
	got := make(chan []transfer.Event, 1)
	go func() { got <- readUntilFinished(t, prompt) }()

	// The slow reader holds up nothing: the batch finishes without it.
	s, err := waitBatch(t, b)
	if err != nil {
		t.Fatalf("Wait: %v", err)
	}
	if !s.Finished || !b.Done() {
		t.Error("Wait returned before the batch was done")
	}
	first := <-got
	slowGot := readUntilFinished(t, slow)
	late := b.Subscribe()
	defer late.Close()
	lateGot := readUntilFinished(t, late)

	finished := map[transfer.JobID]bool{}
	for _, ev := range first {
		if ev.Batch != b.ID() {
			t.Errorf("event of batch %d on batch %d's subscription", ev.Batch, b.ID())
		}
		if ev.Kind == transfer.JobFinished {
			finished[ev.Job] = true
		}
	}
	jobs := b.Jobs()
	if len(jobs) == 0 || len(jobs) != s.Jobs {
		t.Fatalf("%d jobs, summary says %d", len(jobs), s.Jobs)
	}
	for _, j := range jobs {
		if !finished[j.ID] {
			t.Errorf("no JobFinished for job %d (%s)", j.ID, j.Src)
		}
	}
	if !reflect.DeepEqual(first, slowGot) {
		t.Errorf("the slow reader got other events:\n%v\nthan the prompt one:\n%v", slowGot, first)
	}
	if !reflect.DeepEqual(first, lateGot) {
		t.Errorf("the late reader got other events:\n%v\nthan the prompt one:\n%v", lateGot, first)
	}
	for _, sub := range []*transfer.Subscription{prompt, slow, late} {
		if n := sub.Dropped(); n != 0 {
			t.Errorf("%d events dropped", n)
		}
	}
	// The engine-wide channel carries the same events.
	var engineWide []transfer.Event
	rec.waitFor(t, "BatchFinished on Events", func(ev transfer.Event) bool { return ev.Kind == transfer.BatchFinished })
	for _, ev := range rec.all() {
		if ev.Batch == b.ID() {
			engineWide = append(engineWide, ev)
		}
	}
	if !reflect.DeepEqual(first, engineWide) {
		t.Errorf("Events carried:\n%v\nthe subscription:\n%v", engineWide, first)
	}
}

// TestBatchWaitIsPerBatch: Wait on one batch returns while another is
// still running, with a summary of its own jobs and an error naming its
// failure; the other batch's Wait goes on until it is done.
func TestBatchWaitIsPerBatch(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := filepath.Join(dir, "good.txt")
	writeFile(t, good, []byte("twelve bytes"), 0o644, baseTime)
	held := filepath.Join(dir, "held.bin")
	writeFile(t, held, randBytes(3, 2<<20), 0o644, baseTime)
	gate := newGate(localFS(), held, 1<<20)
	e, _ := newEngine(t, transfer.Options{})

	slow, err := e.Submit(transfer.Request{Src: gate, Dst: localFS(), Items: []transfer.Item{{Src: held, Dst: filepath.Join(dir, "held copy.bin")}}})
	if err != nil {
		t.Fatal(err)
	}
	gate.waitReached(t)
	quick, err := e.Submit(transfer.Request{Src: localFS(), Dst: localFS(), Items: []transfer.Item{
		{Src: good, Dst: filepath.Join(dir, "copy.txt")},
		{Src: good, Dst: filepath.Join(dir, "missing", "copy.txt")}, // its directory does not exist
	}})
	if err != nil {
		t.Fatal(err)
	}
	s, err := waitBatch(t, quick)
	var be *transfer.BatchError
	if !errors.As(err, &be) || len(be.Errs) != 1 || !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Wait: %v, want a BatchError with the missing directory", err)
	}
	if s.Batch != quick.ID() || s.Jobs != 2 || s.Files[transfer.Done] != 1 || s.Files[transfer.Failed] != 1 || len(s.Failed) != 1 {
		t.Errorf("summary %+v", s)
	}
	if s.Failed[0].Dst != filepath.Join(dir, "missing", "copy.txt") {
		t.Errorf("failed job %+v", s.Failed[0])
	}
	if s.DoneBytes != 12 || s.TotalBytes != 12 || s.MovedBytes != 12 {
		t.Errorf("bytes: done %d, total %d, moved %d; want 12 each", s.DoneBytes, s.TotalBytes, s.MovedBytes)
	}
	if slow.Done() {
		t.Fatal("the held batch counts as done")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := slow.Wait(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Wait on the held batch: %v, want the context's deadline", err)
	}
	gate.open()
	s, err = waitBatch(t, slow)
	if err != nil || s.Files[transfer.Done] != 1 || s.DoneBytes != 2<<20 {
		t.Errorf("held batch: %v, %+v", err, s)
	}
	if got, ok := e.Batch(slow.ID()); !ok || got != slow {
		t.Errorf("Engine.Batch(%d) = %p, %v; want the handle Submit returned", slow.ID(), got, ok)
	}
	if _, ok := e.Batch(99); ok {
		t.Error("Engine.Batch found a batch never submitted")
	}
}

// TestBatchCancelStopsOnlyItsJobs: Cancel ends one batch's jobs, running
// and queued, and its Wait returns; another batch, queued behind them on
// the one worker, is not touched.
func TestBatchCancelStopsOnlyItsJobs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	big := filepath.Join(dir, "big.bin")
	writeFile(t, big, randBytes(4, 2<<20), 0o644, baseTime)
	var items []transfer.Item
	for i := range 5 {
		p := filepath.Join(dir, fmt.Sprintf("f%d.txt", i))
		writeFile(t, p, []byte("x"), 0o644, baseTime)
		items = append(items, transfer.Item{Src: p, Dst: filepath.Join(dir, "out", fmt.Sprintf("f%d.txt", i))})
	}
	gate := newGate(localFS(), big, 1<<20)
	e, _ := newEngine(t, transfer.Options{Workers: 1})
	cancelled, err := e.Submit(transfer.Request{Src: gate, Dst: localFS(), Items: append([]transfer.Item{{Src: big, Dst: filepath.Join(dir, "big copy.bin")}}, items...)})
	if err != nil {
		t.Fatal(err)
	}
	gate.waitReached(t)
	other, err := e.Submit(transfer.Request{Src: localFS(), Dst: localFS(), Items: []transfer.Item{{Src: items[0].Src, Dst: filepath.Join(dir, "other.txt")}}})
	if err != nil {
		t.Fatal(err)
	}
	cancelled.Cancel()
	// The held read notices the cancel once it reads on (a fake's read
	// cannot be interrupted).
	gate.open()
	s, err := waitBatch(t, cancelled)
	if err != nil {
		t.Fatalf("Wait: %v (cancelled jobs are no failures)", err)
	}
	if s.States[transfer.Cancelled] != 6 || s.States[transfer.Done] != 0 {
		t.Errorf("states after Cancel: %v", s.States)
	}
	if s, err := waitBatch(t, other); err != nil || s.Files[transfer.Done] != 1 {
		t.Errorf("the other batch: %v, %+v", err, s)
	}
}

// TestSubscriptionCloseAndEngineClose: a subscription closed by its reader
// ends its channel; Engine.Close ends the others, and a subscription made
// after it still gets the batch's events, then ends.
func TestSubscriptionCloseAndEngineClose(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := filepath.Join(dir, "a.txt")
	writeFile(t, src, []byte("a"), 0o644, baseTime)
	e := transfer.New(transfer.Options{})
	b, err := e.Submit(transfer.Request{Src: localFS(), Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: filepath.Join(dir, "b.txt")}}})
	if err != nil {
		t.Fatal(err)
	}
	closed, open := b.Subscribe(), b.Subscribe()
	closed.Close()
	closed.Close() // harmless
	drain := func(sub *transfer.Subscription) []transfer.Event {
		var got []transfer.Event
		timeout := time.After(waitTimeout)
		for {
			select {
			case ev, ok := <-sub.Events():
				if !ok {
					return got
				}
				got = append(got, ev)
			case <-timeout:
				t.Fatal("the channel was not closed")
			}
		}
	}
	drain(closed)
	waitBatch(t, b)
	e.Close()
	if got := drain(open); len(got) == 0 || got[len(got)-1].Kind != transfer.BatchFinished {
		t.Errorf("before Close the open subscription had %v", got)
	}
	after := b.Subscribe()
	if got := drain(after); len(got) == 0 || got[len(got)-1].Kind != transfer.BatchFinished {
		t.Errorf("a subscription after Close got %v", got)
	}
	after.Close()
}
