package journal

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/transfer"
)

// TestNoteFinishedWritesOnlyTheJobsItWasTold: between looks at every job,
// a recording writes only the jobs whose events said they finished (a
// lookup each, whatever the batch's size); the next look at every job
// writes what an event was dropped for.
func TestNoteFinishedWritesOnlyTheJobsItWasTold(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	for i := range 5 {
		if err := os.WriteFile(filepath.Join(src, "f"+strconv.Itoa(i)), []byte("data "+strconv.Itoa(i)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	e := transfer.New(transfer.Options{Workers: 1})
	defer e.Close()
	b, err := e.Submit(transfer.Request{Src: local.New(), Dst: local.New(), Items: []transfer.Item{{Src: src, Dst: filepath.Join(dst, "t")}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Wait(t.Context()); err != nil {
		t.Fatal(err)
	}
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	rec := Record{Version: Version, ID: NewID(time.Now(), b.ID()), Created: time.Now(), Command: "cp"}
	if err := s.Put(rec); err != nil {
		t.Fatal(err)
	}
	sub := b.Subscribe()
	defer sub.Close()
	r := &Recording{s: s, b: b, sub: sub, rec: rec, seen: map[transfer.JobID]bool{}}

	var files []transfer.JobStatus
	var dir transfer.JobID
	for _, j := range b.Jobs() {
		if j.Kind == transfer.KindFile {
			files = append(files, j)
		} else {
			dir = j.ID
		}
	}
	if len(files) != 5 || dir == 0 {
		t.Fatalf("jobs: %d files, directory job %d", len(files), dir)
	}
	// Two files said finished, plus a directory and an id of no job.
	r.finished = []transfer.JobID{files[1].ID, files[3].ID, dir, 1 << 30}
	r.noteFinished()
	done, err := s.Done(rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(done) != 2 || !done[files[1].Src] || !done[files[3].Src] {
		t.Fatalf("after the events' note: %v, want %s and %s", done, files[1].Src, files[3].Src)
	}
	if len(r.finished) != 0 {
		t.Errorf("finished not emptied: %v", r.finished)
	}
	// The look at every job adds the three no event was seen for.
	if clean, _ := r.note(); !clean {
		t.Error("a batch with every file done is not clean")
	}
	if done, err = s.Done(rec.ID); err != nil || len(done) != 5 {
		t.Fatalf("after the full note: %v, %v", done, err)
	}
	if l, err := s.List(); err != nil || len(l) != 1 || l[0].FilesDone != 5 || l[0].Files != 5 {
		t.Fatalf("record after the full note: %+v, %v", l, err)
	}
}
