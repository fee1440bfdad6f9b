package transfer_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/transfer"
)

// conflictCase prepares a source and an existing destination.
type conflictCase struct {
	name      string
	policy    transfer.Policy
	dstData   string
	dstTime   time.Time
	wantState transfer.State
	wantErr   error
	wantDst   string // the destination's content afterwards
	wantExtra string // content of "a (1).txt", if any
}

func TestConflictPolicies(t *testing.T) {
	t.Parallel()
	srcTime := baseTime
	older, newer := srcTime.Add(-time.Hour), srcTime.Add(time.Hour)
	cases := []conflictCase{
		{name: "overwrite", policy: transfer.Overwrite, dstData: "old", dstTime: newer, wantState: transfer.Done, wantDst: "new data"},
		{name: "skip", policy: transfer.Skip, dstData: "old", dstTime: older, wantState: transfer.Skipped, wantErr: transfer.ErrExists, wantDst: "old"},
		{name: "newer-overwrites-older", policy: transfer.Newer, dstData: "old", dstTime: older, wantState: transfer.Done, wantDst: "new data"},
		{name: "newer-keeps-newer", policy: transfer.Newer, dstData: "old", dstTime: newer, wantState: transfer.Skipped, wantErr: transfer.ErrNotNewer, wantDst: "old"},
		{name: "newer-keeps-same-time", policy: transfer.Newer, dstData: "old", dstTime: srcTime, wantState: transfer.Skipped, wantErr: transfer.ErrNotNewer, wantDst: "old"},
		{name: "resume-skips-complete", policy: transfer.Resume, dstData: "new dat!", dstTime: srcTime, wantState: transfer.Skipped, wantErr: transfer.ErrExists, wantDst: "new dat!"},
		{name: "resume-overwrites-different", policy: transfer.Resume, dstData: "old", dstTime: srcTime, wantState: transfer.Done, wantDst: "new data"},
		{name: "rename-keeps-both", policy: transfer.Rename, dstData: "old", dstTime: older, wantState: transfer.Done, wantDst: "old", wantExtra: "new data"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			src := filepath.Join(dir, "src", "a.txt")
			dst := filepath.Join(dir, "dst", "a.txt")
			writeFile(t, src, []byte("new data"), 0o644, srcTime)
			writeFile(t, dst, []byte(c.dstData), 0o644, c.dstTime)
			e, _ := newEngine(t, transfer.Options{})
			run(t, e, transfer.Request{Src: localFS(), Dst: localFS(), Policy: c.policy, Items: []transfer.Item{{Src: src, Dst: dst}}})
			j := jobFor(t, e, src)
			if j.State != c.wantState || (c.wantErr != nil && !errors.Is(j.Err, c.wantErr)) {
				t.Errorf("job: %v, %v; want %v, %v", j.State, j.Err, c.wantState, c.wantErr)
			}
			if b, _ := os.ReadFile(dst); string(b) != c.wantDst {
				t.Errorf("destination = %q, want %q", b, c.wantDst)
			}
			extra := filepath.Join(dir, "dst", "a (1).txt")
			b, err := os.ReadFile(extra)
			switch {
			case c.wantExtra == "" && err == nil:
				t.Errorf("unexpected %s", extra)
			case c.wantExtra != "" && string(b) != c.wantExtra:
				t.Errorf("%s = %q, %v; want %q", extra, b, err, c.wantExtra)
			}
			if c.wantExtra != "" && j.Dst != extra {
				t.Errorf("job Dst = %s, want %s", j.Dst, extra)
			}
			noTemps(t, dir)
		})
	}
}

func TestConflictRenameCountsUp(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := filepath.Join(dir, "src", ".bashrc")
	writeFile(t, src, []byte("new"), 0o644, baseTime)
	dst := filepath.Join(dir, "dst", ".bashrc")
	writeFile(t, dst, []byte("old"), 0o644, baseTime)
	writeFile(t, filepath.Join(dir, "dst", ".bashrc (1)"), []byte("older"), 0o644, baseTime)
	e, _ := newEngine(t, transfer.Options{})
	run(t, e, transfer.Request{Src: localFS(), Dst: localFS(), Policy: transfer.Rename, Items: []transfer.Item{{Src: src, Dst: dst}}})
	if b, _ := os.ReadFile(filepath.Join(dir, "dst", ".bashrc (2)")); string(b) != "new" {
		t.Errorf(".bashrc (2) = %q", b)
	}
}

func TestConflictAskAndAnswerForAll(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "src"), filepath.Join(dir, "dst")
	names := []string{"a", "b", "c", "d"}
	for _, n := range names {
		writeFile(t, filepath.Join(src, n), []byte("new "+n), 0o644, baseTime)
		writeFile(t, filepath.Join(dst, n), []byte("old"), 0o644, baseTime.Add(-time.Hour))
	}
	writeFile(t, filepath.Join(src, "fresh"), []byte("fresh"), 0o644, baseTime)
	e, rec := newEngine(t, transfer.Options{Workers: 2})
	if _, err := e.Submit(transfer.Request{Src: localFS(), Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: dst}}}); err != nil {
		t.Fatal(err)
	}
	// The file without a conflict goes through; the others wait.
	ev := rec.waitFor(t, "a conflict", func(ev transfer.Event) bool { return ev.Kind == transfer.JobConflict })
	c := ev.Conflict
	if c == nil || c.SrcSize != int64(len("new a")) || c.DstSize != 3 || !c.SrcTime.Equal(baseTime) || !c.DstTime.Equal(baseTime.Add(-time.Hour)) {
		t.Fatalf("conflict %+v", c)
	}
	if err := e.Answer(ev.Job, transfer.Answer{Choice: transfer.Ask}); err == nil {
		t.Error("Ask accepted as an answer")
	}
	if err := e.Answer(ev.Job, transfer.Answer{Choice: transfer.Overwrite}); err != nil {
		t.Fatal(err)
	}
	first := ev.Job
	ev = rec.waitFor(t, "a second conflict", func(ev transfer.Event) bool { return ev.Kind == transfer.JobConflict && ev.Job != first })
	if err := e.Answer(ev.Job, transfer.Answer{Choice: transfer.Skip, ForAll: true}); err != nil {
		t.Fatal(err)
	}
	wait(t, e)
	overwritten := 0
	for _, n := range names {
		b, _ := os.ReadFile(filepath.Join(dst, n))
		if string(b) == "new "+n {
			overwritten++
		} else if string(b) != "old" {
			t.Errorf("%s = %q", n, b)
		}
	}
	if overwritten != 1 {
		t.Errorf("%d files overwritten, want exactly the one answered Overwrite", overwritten)
	}
	if b, _ := os.ReadFile(filepath.Join(dst, "fresh")); string(b) != "fresh" {
		t.Errorf("fresh = %q", b)
	}
	if got := len(jobsIn(e, transfer.Skipped)); got != 3 {
		t.Errorf("%d skipped, want 3", got)
	}
	if s := e.Snapshot(); s.Asking != 0 {
		t.Errorf("still asking: %+v", s)
	}
	// Events arrive on their own channel: the engine being idle does not
	// mean the recorder has seen them all yet.
	rec.waitFor(t, "both ConflictResolved events", func(ev transfer.Event) bool {
		return ev.Kind == transfer.ConflictResolved && ev.Job != first
	})
	rec.waitFor(t, "the first ConflictResolved event", func(ev transfer.Event) bool {
		return ev.Kind == transfer.ConflictResolved && ev.Job == first
	})
}

func TestConflictAskCancel(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	writeFile(t, src, []byte("new"), 0o644, baseTime)
	writeFile(t, dst, []byte("old"), 0o644, baseTime)
	e, rec := newEngine(t, transfer.Options{})
	if _, err := e.Submit(transfer.Request{Src: localFS(), Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: dst}}}); err != nil {
		t.Fatal(err)
	}
	ev := rec.waitFor(t, "a conflict", func(ev transfer.Event) bool { return ev.Kind == transfer.JobConflict })
	if err := e.Cancel(ev.Job); err != nil {
		t.Fatal(err)
	}
	wait(t, e)
	if j, _ := e.Job(ev.Job); j.State != transfer.Cancelled {
		t.Errorf("job %v", j.State)
	}
	if b, _ := os.ReadFile(dst); string(b) != "old" {
		t.Errorf("dst = %q", b)
	}
}
