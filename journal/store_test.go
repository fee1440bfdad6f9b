package journal_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/journal"
	"github.com/ferry-tui/ferry/transfer"
)

func record(id string) journal.Record {
	return journal.Record{
		Version: journal.Version, ID: id, Created: time.Now(), Command: "cp",
		Src: journal.Endpoint{}, Dst: journal.Endpoint{Host: "ann@web1", Port: 2222, ConfigFile: "/cfg"},
		Items:  []transfer.Item{{Src: "/home/ann/a b", Dst: "/srv/a b"}},
		Policy: "ask",
	}
}

func TestStoreRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state", "ferry")
	s, err := journal.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("state dir: %v %v", fi.Mode(), err)
	}
	if err := s.Put(record("1")); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(s.Path()); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("journal file: %v %v", fi.Mode(), err)
	}
	if err := s.AddDone("1", []string{"/home/ann/a b/x", "/home/ann/a b/y"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Put(record("2")); err != nil {
		t.Fatal(err)
	}
	list, err := s.List()
	if err != nil || len(list) != 2 || list[0].ID != "1" || list[0].DoneCount != 2 || list[0].Dst.Port != 2222 {
		t.Fatalf("List: %+v, %v", list, err)
	}
	done, err := s.Done("1")
	if err != nil || !done["/home/ann/a b/y"] || len(done) != 2 {
		t.Fatalf("Done: %v, %v", done, err)
	}
	req, err := list[0].Request(nil, nil, done)
	if err != nil || req.Policy != transfer.Ask || req.Earlier == nil || len(req.Items) != 1 {
		t.Fatalf("Request: %+v, %v", req, err)
	}
	if err := s.Delete("1", "nonesuch"); err != nil {
		t.Fatal(err)
	}
	if list, _ := s.List(); len(list) != 1 || list[0].ID != "2" {
		t.Fatalf("after Delete: %+v", list)
	}
}

func TestStoreKeepsAtMostMaxBatches(t *testing.T) {
	s, err := journal.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for i := range journal.MaxBatches + 3 {
		if err := s.Put(record("b" + strconv.Itoa(1000+i))); err != nil {
			t.Fatal(err)
		}
	}
	list, err := s.List()
	if err != nil || len(list) != journal.MaxBatches || list[0].ID != "b1003" {
		t.Fatalf("%d records, first %v, %v", len(list), list[0].ID, err)
	}
}

func TestCorruptJournalIsSetAside(t *testing.T) {
	dir := t.TempDir()
	garbage := []byte("this is not a bbolt file, but it is long enough to look like one was meant to be here")
	for len(garbage) < 8192 {
		garbage = append(garbage, garbage...)
	}
	if err := os.WriteFile(filepath.Join(dir, journal.FileName), garbage, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := journal.Open(dir)
	var ce *journal.CorruptError
	if !errors.As(err, &ce) || s == nil {
		t.Fatalf("Open: %v (store %v), want a CorruptError and a store", err, s)
	}
	if b, err := os.ReadFile(ce.Aside); err != nil || string(b) != string(garbage) {
		t.Fatalf("the unreadable journal was not kept at %s: %v", ce.Aside, err)
	}
	if err := s.Put(record("1")); err != nil {
		t.Fatalf("the new journal does not work: %v", err)
	}
}

func TestJournalSymlinkNotFollowed(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(t.TempDir(), "victim")
	if err := os.WriteFile(victim, []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(victim, filepath.Join(dir, journal.FileName)); err != nil {
		t.Fatal(err)
	}
	s, err := journal.Open(dir)
	if err == nil {
		err = s.Put(record("1"))
	}
	if b, _ := os.ReadFile(victim); string(b) != "keep" {
		t.Fatalf("wrote through the link: %q", b)
	}
	var ce *journal.CorruptError
	if !errors.As(err, &ce) {
		t.Logf("Open: %v", err)
	}
}

// TestJournalSurvivesSIGKILL kills a process that writes the journal as
// fast as it can, several times, mid-write; every time the journal
// opens and reads back whole.
func TestJournalSurvivesSIGKILL(t *testing.T) {
	if os.Getenv("FERRY_JOURNAL_WRITER") != "" {
		writeForever(os.Getenv("FERRY_JOURNAL_WRITER"))
		return
	}
	dir := t.TempDir()
	for round := range 5 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestJournalSurvivesSIGKILL$")
		cmd.Env = append(os.Environ(), "FERRY_JOURNAL_WRITER="+dir)
		ready := filepath.Join(dir, "ready")
		os.Remove(ready)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(30 * time.Second)
		for {
			if _, err := os.Stat(ready); err == nil {
				break
			}
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				t.Fatal("the writer never started writing")
			}
			time.Sleep(5 * time.Millisecond)
		}
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		s, err := journal.Open(dir)
		if err != nil {
			t.Fatalf("round %d: Open after SIGKILL: %v", round, err)
		}
		list, err := s.List()
		if err != nil || len(list) == 0 {
			t.Fatalf("round %d: List: %d records, %v", round, len(list), err)
		}
		for _, r := range list {
			if _, err := s.Done(r.ID); err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
	}
}

func writeForever(dir string) {
	s, err := journal.Open(dir)
	if err != nil {
		os.Exit(3)
	}
	for i := 0; ; i++ {
		id := "w" + strconv.Itoa(os.Getpid()) + "-" + strconv.Itoa(i)
		if s.Put(record(id)) != nil || s.AddDone(id, []string{"/a/" + strconv.Itoa(i), "/b/" + strconv.Itoa(i)}) != nil {
			os.Exit(4)
		}
		if i == 3 {
			os.WriteFile(filepath.Join(dir, "ready"), nil, 0o600)
		}
		if i%5 == 4 {
			s.Delete(id)
		}
	}
}
