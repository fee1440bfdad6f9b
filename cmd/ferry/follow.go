package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/transfer"
)

// follow waits for batch b of eng, drawing progress on a terminal and
// answering conflicts, then prints the summary. It returns the exit
// status: 1 when any file failed or was refused, or a move kept a source
// it should have removed; 255 when a connection could not be restored.
func (s *session) follow(ctx context.Context, eng *transfer.Engine, b *transfer.Batch, name string, dstFS transfer.FS) int {
	start := time.Now()
	bar := newProgressBar(s.stderr, s.isTerminal)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	sub := b.Subscribe()
	defer sub.Close()
	lost := false // a connection could not be restored: exit 255, as ssh
	refused := map[transfer.JobID]error{}
	for done := false; !done; {
		select {
		case <-ctx.Done():
			bar.clear()
			s.interrupted(eng, b, name, dstFS)
			return exitFailed
		case ev, ok := <-sub.Events():
			if !ok {
				done = true
				break
			}
			switch ev.Kind {
			case transfer.JobConflict:
				bar.clear()
				if !s.answerConflict(ctx, eng, ev) {
					refused[ev.Job] = errRefused
					if ev.Conflict.Partial {
						refused[ev.Job] = errPartialRefused
					}
				}
			case transfer.JobFinished:
				if ev.State == transfer.Failed && !lost && errors.Is(ev.Err, transfer.ErrNotRestored) {
					// Every other file needs that connection too: stop
					// rather than wait through more rounds of reconnect
					// attempts, and exit 255 as ssh does.
					lost = true
					bar.clear()
					fmt.Fprintln(s.stderr, "ferry "+name+": the connection could not be restored; stopping")
					b.Cancel()
				}
			case transfer.Notice:
				bar.clear()
				fmt.Fprintln(s.stderr, "ferry:", text.Sanitize(ev.Message))
			case transfer.BatchFinished:
				done = true
			}
		case <-tick.C:
			bar.draw(eng.Snapshot())
		}
	}
	bar.clear()
	return s.report(b, name, refused, lost, time.Since(start))
}

// report prints the summary of finished batch b and returns the exit
// status. refused are the conflicts skipped because nobody could be asked.
func (s *session) report(b *transfer.Batch, name string, refused map[transfer.JobID]error, lost bool, elapsed time.Duration) int {
	sum := b.Summary()
	var failed, kept, passed []string
	keptFails := false
	refusedSkips := 0 // skipped because nobody could be asked: failures
	otherSkips := 0
	earlier := 0 // done by the run a queue resume continues
	for _, j := range b.Jobs() {
		switch {
		case j.State == transfer.Failed:
			failed = append(failed, oneLine(j.Err))
		case j.State == transfer.Skipped && refused[j.ID] != nil:
			failed = append(failed, errText(&fs.PathError{Op: "copy", Path: j.Dst, Err: refused[j.ID]}))
			refusedSkips++
		case j.State == transfer.Skipped && errors.Is(j.Err, transfer.ErrLinkOutside):
			passed = append(passed, oneLine(j.Err)+" (-L copies what it points to)")
		case j.State == transfer.Skipped && errors.Is(j.Err, transfer.ErrSpecial):
			passed = append(passed, oneLine(j.Err))
		}
		if j.State == transfer.Skipped && j.Kind == transfer.KindFile && errors.Is(j.Err, transfer.ErrDoneBefore) {
			earlier++
		}
		if j.State == transfer.Skipped && j.Kind != transfer.KindFile {
			otherSkips++ // links and special files: Summary counts files
		}
		if j.SourceErr != nil {
			kept = append(kept, oneLine(j.SourceErr))
			// A directory that still holds what was not moved (skipped or
			// failed, and reported as such) is no failure of its own.
			keptFails = keptFails || !errors.Is(j.SourceErr, transfer.ErrSourceNotEmpty)
		}
	}
	// The bytes that really moved, failed and retried files included.
	moved := sum.MovedBytes
	verb := "copied"
	if b.Request().Move {
		verb = "moved"
	}
	fmt.Fprintf(s.stderr, "ferry %s: %s %s (%s in %s, %s/s)", name, text.Plural(sum.Files[transfer.Done], "file"), verb,
		text.Bytes(moved), elapsed.Round(time.Millisecond), text.Size(int64(float64(moved)/max(elapsed.Seconds(), 0.001))))
	if b.Request().Move {
		fmt.Fprintf(s.stderr, ", %s removed", text.Plural(sum.Removed, "source"))
	}
	// A conflict refused for want of a terminal is a failure, listed
	// below; each file is counted once.
	if earlier > 0 {
		fmt.Fprintf(s.stderr, ", %d done before", earlier)
	}
	if n := sum.Files[transfer.Skipped] - refusedSkips - earlier + otherSkips; n > 0 {
		fmt.Fprintf(s.stderr, ", %d skipped", n)
	}
	if n := sum.Files[transfer.Cancelled]; n > 0 {
		fmt.Fprintf(s.stderr, ", %d not copied", n)
	}
	if len(failed) > 0 {
		fmt.Fprintf(s.stderr, ", %d failed:\n", len(failed))
		for _, f := range failed {
			fmt.Fprintln(s.stderr, "  "+f)
		}
	} else {
		fmt.Fprintln(s.stderr)
	}
	if len(passed) > 0 {
		fmt.Fprintf(s.stderr, "ferry %s: skipped:\n", name)
		for _, p := range passed {
			fmt.Fprintln(s.stderr, "  "+p)
		}
	}
	if len(kept) > 0 {
		fmt.Fprintf(s.stderr, "ferry %s: %s not removed:\n", name, text.Plural(len(kept), "source"))
		for _, k := range kept {
			fmt.Fprintln(s.stderr, "  "+k)
		}
	}
	switch {
	case len(failed) > 0 && lost:
		return exitConnFail
	case len(failed) > 0 || keptFails:
		return exitFailed
	}
	return exitOK
}

// errRefused marks a conflict refused because nobody could be asked.
var errRefused = errors.New("exists; use -f to overwrite, -n to skip, --newer or --resume")

// errPartialRefused marks a file not copied because an interrupted copy
// left a partial file and nobody could be asked whether to continue it.
var errPartialRefused = errors.New("a partial copy from an interrupted transfer exists; use --resume to continue it or -f to start over")

// answerConflict asks on the terminal what to do with an existing
// destination. Without a terminal the file is skipped, and it returns
// false so the file is reported as failed: never a silent overwrite, never
// a silent skip.
func (s *session) answerConflict(ctx context.Context, eng *transfer.Engine, ev transfer.Event) bool {
	ans, err := s.askConflict(ctx, ev.Conflict)
	if err != nil {
		_ = eng.Answer(ev.Job, transfer.Answer{Choice: transfer.Skip})
		return false
	}
	_ = eng.Answer(ev.Job, ans)
	return true
}
