package places

import (
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestSaveLoadRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state", "ferry")
	s := NewStore(dir)
	if p, err := s.Load(); err != nil || len(p.Bookmarks) != 0 {
		t.Fatalf("Load of nothing = %+v, %v", p, err)
	}
	want := Places{Bookmarks: []Bookmark{{Name: "www", Host: "web1", Path: "/srv/www"}, {Name: "tmp", Host: "local", Local: true, Path: "/tmp"}}}
	want.Remember("a")
	want.Remember("b")
	want.Remember("a")
	if !reflect.DeepEqual(want.Recent, []string{"a", "b"}) {
		t.Fatalf("Recent = %v", want.Recent)
	}
	if err := s.Save(want); err != nil {
		t.Fatal(err)
	}
	got, err := NewStore(dir).Load()
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("Load = %+v, %v; want %+v", got, err, want)
	}
	for _, p := range []string{dir, filepath.Join(dir, fileName)} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		wantMode := os.FileMode(0o600)
		if fi.IsDir() {
			wantMode = 0o700
		}
		if fi.Mode().Perm() != wantMode {
			t.Errorf("%s mode %v, want %v", p, fi.Mode().Perm(), wantMode)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
}

func TestRememberKeepsAtMostMaxRecent(t *testing.T) {
	var p Places
	for i := range MaxRecent + 5 {
		p.Remember(strings.Repeat("h", i+1))
	}
	if len(p.Recent) != MaxRecent || p.Recent[0] != strings.Repeat("h", MaxRecent+5) {
		t.Fatalf("Recent = %v", p.Recent)
	}
}

func TestSymlinksAreNotFollowed(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(t.TempDir(), "victim")
	if err := os.WriteFile(victim, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{fileName, logName} {
		if err := os.Symlink(victim, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	s := NewStore(dir)
	if err := s.Save(Places{Recent: []string{"x"}}); err == nil {
		t.Error("Save over a symbolic link succeeded")
	}
	if _, err := s.Load(); err == nil {
		t.Error("Load through a symbolic link succeeded")
	}
	if _, _, err := OpenLog(dir); err == nil {
		t.Error("OpenLog through a symbolic link succeeded")
	}
	if b, _ := os.ReadFile(victim); string(b) != "keep" {
		t.Errorf("victim changed: %q", b)
	}
	// A symbolic link as the directory itself is refused too.
	link := filepath.Join(t.TempDir(), "state")
	if err := os.Symlink(dir, link); err != nil {
		t.Fatal(err)
	}
	if err := NewStore(link).Save(Places{}); err == nil {
		t.Error("Save into a symbolic-linked directory succeeded")
	}
	if _, err := NewStore(link).Load(); err == nil {
		t.Error("Load from a symbolic-linked directory succeeded")
	}
}

func TestOpenLogAppendsAndRotates(t *testing.T) {
	dir := t.TempDir()
	w, path, err := OpenLog(dir)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, "one\n")
	w.Close()
	w, _, err = OpenLog(dir)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, "two\n")
	w.Close()
	if b, _ := os.ReadFile(path); string(b) != "one\ntwo\n" {
		t.Fatalf("log = %q", b)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("log mode %v", fi.Mode().Perm())
	}
	if err := os.WriteFile(path, make([]byte, maxLog+1), 0o600); err != nil {
		t.Fatal(err)
	}
	w, _, err = OpenLog(dir)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, "fresh\n")
	w.Close()
	if b, _ := os.ReadFile(path); string(b) != "fresh\n" {
		t.Errorf("after rotation log = %q", b)
	}
	if fi, err := os.Stat(path + ".old"); err != nil || fi.Size() != maxLog+1 {
		t.Errorf("old log: %v %v", fi, err)
	}
}

func TestUpdateKeepsWhatAnotherRunSaved(t *testing.T) {
	dir := t.TempDir()
	a, b := NewStore(dir), NewStore(dir) // two ferries
	if _, err := a.Update(func(p *Places) { p.Add(Bookmark{Name: "x", Host: "h", Path: "/x"}) }); err != nil {
		t.Fatal(err)
	}
	got, err := b.Update(func(p *Places) {
		p.Add(Bookmark{Name: "y", Host: "h", Path: "/y"})
		p.Remember("h")
	})
	if err != nil || len(got.Bookmarks) != 2 || got.Recent[0] != "h" {
		t.Fatalf("got %+v, %v", got, err)
	}
	got, _ = a.Update(func(p *Places) {
		p.Rename("h", "/y", "why")
		p.Delete("h", "/x")
		if p.Add(Bookmark{Name: "again", Host: "h", Path: "/y"}) {
			t.Error("a second bookmark of h:/y was added")
		}
	})
	if len(got.Bookmarks) != 1 || got.Bookmarks[0].Name != "why" {
		t.Fatalf("got %+v", got)
	}
}
