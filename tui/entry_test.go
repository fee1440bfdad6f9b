package tui

import (
	"io/fs"
	"slices"
	"testing"
	"time"
)

// fakeInfo is an fs.FileInfo built in memory.
type fakeInfo struct {
	name string
	size int64
	dir  bool
	link bool
}

func (f fakeInfo) Name() string { return f.name }
func (f fakeInfo) Size() int64  { return f.size }
func (f fakeInfo) Mode() fs.FileMode {
	switch {
	case f.dir:
		return fs.ModeDir | 0o755
	case f.link:
		return fs.ModeSymlink | 0o777
	}
	return 0o644
}
func (f fakeInfo) ModTime() time.Time { return time.Time{} }
func (f fakeInfo) IsDir() bool        { return f.dir }
func (f fakeInfo) Sys() any           { return nil }

func TestNewEntriesSortsDirsFirstByName(t *testing.T) {
	infos := []fs.FileInfo{
		fakeInfo{name: "b.txt"},
		fakeInfo{name: "Zdir", dir: true},
		fakeInfo{name: "a.txt"},
		fakeInfo{name: "adir", dir: true},
		fakeInfo{name: "B.txt"},
		fakeInfo{name: "link", link: true},
		fakeInfo{name: "Ärger"},
		nil,
	}
	var got []string
	for _, e := range newEntries(infos) {
		got = append(got, e.name+e.marker())
	}
	want := []string{"adir/", "Zdir/", "a.txt", "B.txt", "b.txt", "link@", "Ärger"}
	if !slices.Equal(got, want) {
		t.Errorf("order = %q, want %q", got, want)
	}
}

func TestNewEntrySanitisesDisplayOnly(t *testing.T) {
	e := newEntry(fakeInfo{name: "x\x1b[2Jy"})
	if e.name != "x\x1b[2Jy" {
		t.Errorf("raw name changed to %q", e.name)
	}
	if e.display != `x\x1b[2Jy` || e.width != 9 {
		t.Errorf("display %q width %d", e.display, e.width)
	}
}

func TestCompareFold(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"a", "B", -1}, {"B", "a", 1}, {"abc", "ABC", 0}, {"ab", "abc", -1}, {"é", "É", 0}, {"\xff", "a", 1}, {"", "", 0},
	} {
		if got := compareFold(tt.a, tt.b); got != tt.want {
			t.Errorf("compareFold(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
