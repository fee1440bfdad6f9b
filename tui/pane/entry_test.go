package pane

import (
	"io/fs"
	"slices"
	"testing"
	"time"
)

// fakeInfo is an fs.FileInfo built in memory.
type fakeInfo struct {
	name  string
	size  int64
	dir   bool
	link  bool
	mtime time.Time
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
func (f fakeInfo) ModTime() time.Time { return f.mtime }
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
		fakeInfo{name: ".."},
		fakeInfo{name: "."},
		fakeInfo{name: "a/b"},
		fakeInfo{name: ""},
	}
	entries := newEntries(infos)
	var got []string
	for _, i := range sortOrder(entries, sortSpec{}, nil) {
		got = append(got, entries[i].name+entries[i].marker())
	}
	want := []string{"adir/", "Zdir/", "a.txt", "B.txt", "b.txt", "link", "Ärger"}
	if !slices.Equal(got, want) {
		t.Errorf("order = %q, want %q", got, want)
	}
}

func TestSortOrders(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2025, 1, d, 0, 0, 0, 0, time.UTC) }
	entries := newEntries([]fs.FileInfo{
		fakeInfo{name: "small", size: 1, mtime: day(3)},
		fakeInfo{name: "big", size: 300, mtime: day(1)},
		fakeInfo{name: "mid", size: 20, mtime: day(2)},
		fakeInfo{name: "zdir", dir: true, mtime: day(1)},
		fakeInfo{name: "adir", dir: true, mtime: day(9)},
	})
	for _, tt := range []struct {
		spec  sortSpec
		label string
		want  []string
	}{
		{sortSpec{key: byName}, "name↑", []string{"adir", "zdir", "big", "mid", "small"}},
		{sortSpec{key: byName, reverse: true}, "name↓", []string{"zdir", "adir", "small", "mid", "big"}},
		{sortSpec{key: bySize}, "size↓", []string{"adir", "zdir", "big", "mid", "small"}},
		{sortSpec{key: bySize, reverse: true}, "size↑", []string{"zdir", "adir", "small", "mid", "big"}},
		{sortSpec{key: byTime}, "time↓", []string{"adir", "zdir", "small", "mid", "big"}},
		{sortSpec{key: byTime, reverse: true}, "time↑", []string{"zdir", "adir", "big", "mid", "small"}},
	} {
		var got []string
		for _, i := range sortOrder(entries, tt.spec, nil) {
			got = append(got, entries[i].name)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%+v: order = %q, want %q", tt.spec, got, tt.want)
		}
		if l := tt.spec.label(); l != tt.label {
			t.Errorf("%+v: label %q, want %q", tt.spec, l, tt.label)
		}
	}
	// By size, directories count with their computed sizes; one not
	// computed with its listed size (0 here).
	dirs := newEntries([]fs.FileInfo{
		fakeInfo{name: "a", dir: true}, fakeInfo{name: "b", dir: true},
		fakeInfo{name: "c", dir: true}, fakeInfo{name: "d", dir: true},
		fakeInfo{name: "f", size: 5},
	})
	sizes := map[string]int64{"a": 10, "b": 1000, "c": 100}
	for _, tt := range []struct {
		reverse bool
		want    []string
	}{{false, []string{"b", "c", "a", "d", "f"}}, {true, []string{"d", "a", "c", "b", "f"}}} {
		var got []string
		for _, i := range sortOrder(dirs, sortSpec{key: bySize, reverse: tt.reverse}, sizes) {
			got = append(got, dirs[i].name)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("by size with directory sizes, reverse %v: %q, want %q", tt.reverse, got, tt.want)
		}
	}
	if got := (sortSpec{key: byTime}).next(); got.key != byName {
		t.Errorf("next after time = %v, want name", got.key)
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
