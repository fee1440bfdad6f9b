package transfer_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/ferry-tui/ferry/transfer"
)

// TestEarlierSkipsWhatAnEarlierRunFinished continues a tree copy: a file
// the earlier run noted as done is left alone even though it differs, one
// that landed without being noted (same size and time) is left alone, and
// only the missing one is copied, all under Ask without a question.
func TestEarlierSkipsWhatAnEarlierRunFinished(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	writeFile(t, filepath.Join(src, "d", "noted.txt"), []byte("noted source"), 0o644, baseTime)
	writeFile(t, filepath.Join(src, "d", "landed.txt"), []byte("landed"), 0o644, baseTime)
	writeFile(t, filepath.Join(src, "d", "missing.txt"), []byte("missing"), 0o644, baseTime)
	writeFile(t, filepath.Join(dst, "d", "noted.txt"), []byte("changed since"), 0o644, baseTime)
	writeFile(t, filepath.Join(dst, "d", "landed.txt"), []byte("landed"), 0o644, baseTime)

	e, rec := newEngine(t, transfer.Options{Workers: 2})
	id := run(t, e, transfer.Request{
		Src: localFS(), Dst: localFS(), Policy: transfer.Ask,
		Items:   []transfer.Item{{Src: filepath.Join(src, "d"), Dst: filepath.Join(dst, "d")}},
		Earlier: &transfer.Earlier{Done: map[string]bool{filepath.Join(src, "d", "noted.txt"): true}},
	})
	rec.finished(t, id)
	if c := rec.of(transfer.JobConflict); len(c) != 0 {
		t.Fatalf("asked %d questions: %+v", len(c), c)
	}
	for name, want := range map[string]string{"noted.txt": "changed since", "landed.txt": "landed", "missing.txt": "missing"} {
		b, err := os.ReadFile(filepath.Join(dst, "d", name))
		if err != nil || string(b) != want {
			t.Errorf("%s: %q, %v; want %q", name, b, err, want)
		}
	}
	for name, want := range map[string]transfer.State{"noted.txt": transfer.Skipped, "landed.txt": transfer.Skipped, "missing.txt": transfer.Done} {
		j := jobFor(t, e, filepath.Join(src, "d", name))
		if j.State != want {
			t.Errorf("%s: %v (%v), want %v", name, j.State, j.Err, want)
		}
		if want == transfer.Skipped && !errors.Is(j.Err, transfer.ErrDoneBefore) {
			t.Errorf("%s: skipped with %v, want ErrDoneBefore", name, j.Err)
		}
	}
}

// TestWithoutEarlierSameFileAsks is the control: the same destination
// without Request.Earlier raises the usual question.
func TestWithoutEarlierSameFileAsks(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	writeFile(t, filepath.Join(src, "landed.txt"), []byte("landed"), 0o644, baseTime)
	writeFile(t, filepath.Join(dst, "landed.txt"), []byte("landed"), 0o644, baseTime)
	e, rec := newEngine(t, transfer.Options{Workers: 1})
	if _, err := e.Submit(transfer.Request{Src: localFS(), Dst: localFS(), Policy: transfer.Ask,
		Items: []transfer.Item{{Src: filepath.Join(src, "landed.txt"), Dst: filepath.Join(dst, "landed.txt")}}}); err != nil {
		t.Fatal(err)
	}
	rec.waitFor(t, "the question", func(ev transfer.Event) bool { return ev.Kind == transfer.JobConflict })
}

// TestOnSubmitSeesEveryBatch: Options.OnSubmit gets the handle of each
// accepted batch before Submit returns, and none for a refused one.
func TestOnSubmitSeesEveryBatch(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	writeFile(t, filepath.Join(src, "a"), []byte("a"), 0o644, baseTime)
	var seen []transfer.BatchID
	e, _ := newEngine(t, transfer.Options{Workers: 1, OnSubmit: func(b *transfer.Batch) { seen = append(seen, b.ID()) }})
	b, err := e.Submit(transfer.Request{Src: localFS(), Dst: localFS(), Items: []transfer.Item{{Src: filepath.Join(src, "a"), Dst: filepath.Join(dst, "a")}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != 1 || seen[0] != b.ID() {
		t.Fatalf("OnSubmit saw %v, want [%d]", seen, b.ID())
	}
	if _, err := e.Submit(transfer.Request{Src: localFS(), Dst: localFS()}); err == nil || len(seen) != 1 {
		t.Fatalf("a refused request: %v, OnSubmit saw %v", err, seen)
	}
	wait(t, e)
}
