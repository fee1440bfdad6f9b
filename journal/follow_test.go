package journal_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/journal"
	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/transfer"
)

// slowFS holds back reading the files whose names it is given until
// release is closed.
type slowFS struct {
	*local.FS
	hold    map[string]bool
	reached chan string
	release chan struct{}
}

func (f *slowFS) Open(ctx context.Context, name string) (io.ReadCloser, error) {
	if f.hold[filepath.Base(name)] {
		f.reached <- name
		select {
		case <-f.release:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return f.FS.Open(ctx, name)
}

func inode(t *testing.T, p string) uint64 {
	t.Helper()
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Sys().(*syscall.Stat_t).Ino
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestFollowInterruptedThenContinued runs a tree copy that stops with one
// file held back, as a quitting process would; the journal keeps the batch
// and the files done; a new engine continues it from the record and copies
// only what was left, leaving every finished file untouched.
func TestFollowInterruptedThenContinued(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	for i := range 20 {
		if err := os.WriteFile(filepath.Join(src, "f"+strconv.Itoa(i)), []byte("data "+strconv.Itoa(i)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s, err := journal.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	slow := &slowFS{FS: local.New(), hold: map[string]bool{"f7": true}, reached: make(chan string, 1), release: make(chan struct{})}
	e := transfer.New(transfer.Options{Workers: 1})
	b, err := e.Submit(transfer.Request{Src: slow, Dst: local.New(), Items: []transfer.Item{{Src: src, Dst: filepath.Join(dst, "t")}}})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := s.Follow(b, journal.Batch{Command: "cp"})
	if err != nil {
		t.Fatal(err)
	}
	<-slow.reached
	// Whatever finished before f7 is noted within a note period.
	waitFor(t, "the finished files in the journal", func() bool {
		l, err := s.List()
		return err == nil && len(l) == 1 && l[0].DoneCount == b.Summary().Files[transfer.Done] && l[0].DoneCount > 0
	})
	if err := rec.Stop(); err != nil {
		t.Fatal(err)
	}
	e.Close()
	list, err := s.List()
	if err != nil || len(list) != 1 || list[0].FilesDone == 0 || list[0].FilesDone == 20 || list[0].Files != 20 {
		t.Fatalf("after the interruption: %+v, %v", list, err)
	}
	done, err := s.Done(list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	inodes := map[string]uint64{}
	for p := range done {
		inodes[p] = inode(t, filepath.Join(dst, "t", filepath.Base(p)))
	}

	e2 := transfer.New(transfer.Options{Workers: 2})
	defer e2.Close()
	req, err := list[0].Request(local.New(), local.New(), done)
	if err != nil {
		t.Fatal(err)
	}
	b2, err := e2.Submit(req)
	if err != nil {
		t.Fatal(err)
	}
	rec2, err := s.Follow(b2, journal.Batch{Command: "queue resume", Src: list[0].Src, Dst: list[0].Dst})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := b2.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	rec2.Stop()
	for i := range 20 {
		b, err := os.ReadFile(filepath.Join(dst, "t", "f"+strconv.Itoa(i)))
		if err != nil || string(b) != "data "+strconv.Itoa(i) {
			t.Errorf("f%d: %q, %v", i, b, err)
		}
	}
	for p, ino := range inodes {
		if now := inode(t, filepath.Join(dst, "t", filepath.Base(p))); now != ino {
			t.Errorf("%s was copied again", p)
		}
	}
	if l, err := s.List(); err != nil || len(l) != 0 {
		t.Fatalf("the finished batch is still in the journal: %+v, %v", l, err)
	}
}

// TestFollowFailedBatchStaysWithReason: a batch with a failure stays, and
// says why.
func TestFollowFailedBatchStaysWithReason(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "a"), []byte("a"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := journal.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	e := transfer.New(transfer.Options{Workers: 1})
	defer e.Close()
	// The destination's parent does not exist: the copy fails.
	b, err := e.Submit(transfer.Request{Src: local.New(), Dst: local.New(), Items: []transfer.Item{{Src: filepath.Join(src, "a"), Dst: filepath.Join(dst, "no", "such", "a")}}})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := s.Follow(b, journal.Batch{Command: "cp", Dst: journal.Endpoint{Host: "web1"}})
	if err != nil {
		t.Fatal(err)
	}
	b.Wait(context.Background())
	waitFor(t, "the recording to end", func() bool {
		l, _ := s.List()
		return len(l) == 1 && l[0].Reason != ""
	})
	rec.Stop()
	l, _ := s.List()
	t.Logf("reason: %s", l[0].Reason)
	if err := rec.Forget(); err != nil {
		t.Fatal(err)
	}
	if l, _ := s.List(); len(l) != 0 {
		t.Fatalf("Forget left %+v", l)
	}
}

// TestFollowCancelled: a batch the user cancels is forgotten when asked
// (the UI's queue view), and kept otherwise (ferry cp's Ctrl-C).
func TestFollowCancelled(t *testing.T) {
	for _, forget := range []bool{true, false} {
		src, dst := t.TempDir(), t.TempDir()
		for _, n := range []string{"a", "b"} {
			if err := os.WriteFile(filepath.Join(src, n), []byte(n), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		s, err := journal.Open(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		slow := &slowFS{FS: local.New(), hold: map[string]bool{"b": true}, reached: make(chan string, 1), release: make(chan struct{})}
		e := transfer.New(transfer.Options{Workers: 1})
		b, err := e.Submit(transfer.Request{Src: slow, Dst: local.New(), Items: []transfer.Item{{Src: src, Dst: filepath.Join(dst, "t")}}})
		if err != nil {
			t.Fatal(err)
		}
		rec, err := s.Follow(b, journal.Batch{Command: "ui", ForgetCancelled: forget})
		if err != nil {
			t.Fatal(err)
		}
		<-slow.reached
		b.Cancel()
		b.Wait(context.Background())
		waitFor(t, "the recording to see the end", func() bool {
			l, _ := s.List()
			return (forget && len(l) == 0) || (!forget && len(l) == 1 && l[0].Reason == "cancelled" && l[0].Bytes == 2 && l[0].Files == 2)
		})
		rec.Stop()
		e.Close()
	}
}
