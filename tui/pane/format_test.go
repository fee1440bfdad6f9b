package pane

import (
	"io/fs"
	"testing"
	"time"
)

func TestFormatTime(t *testing.T) {
	now := time.Date(2025, time.June, 15, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Date(2025, time.January, 2, 15, 4, 0, 0, time.UTC), "Jan 02 15:04"},
		{time.Date(2024, time.December, 31, 23, 59, 0, 0, time.UTC), "Dec 31  2024"},
		{time.Date(2006, time.January, 2, 15, 4, 0, 0, time.UTC), "Jan 02  2006"},
		// Shown in now's zone: 23:30 in UTC-5 is the next day in UTC.
		{time.Date(2025, time.March, 1, 23, 30, 0, 0, time.FixedZone("EST", -5*3600)), "Mar 02 04:30"},
		{time.Time{}, ""},
	}
	for _, tt := range tests {
		got := formatTime(tt.in, now)
		if got != tt.want {
			t.Errorf("formatTime(%v) = %q, want %q", tt.in, got, tt.want)
		}
		if len(got) != 0 && len(got) != timeWidth {
			t.Errorf("formatTime(%v) = %q is not %d wide", tt.in, got, timeWidth)
		}
	}
}

func TestNameCellKeepsMarker(t *testing.T) {
	e := newEntry(fakeInfo{name: "a rather long directory name", dir: true})
	if got, want := nameCell(&e, 10), "a rather…/"; got != want {
		t.Errorf("nameCell = %q, want %q", got, want)
	}
	e = newEntry(fakeInfo{name: "日本語日本語"})
	if got, want := nameCell(&e, 7), "日本語…"; got != want {
		t.Errorf("nameCell = %q, want %q", got, want)
	}
}

func TestLayoutColumnsDropsPermsThenTimeThenSize(t *testing.T) {
	for _, tt := range []struct {
		width             int
		size, time, perms bool
		name              int
	}{
		{59, true, true, true, 24}, {51, true, true, true, 16}, {50, true, true, false, 27},
		{39, true, true, false, 16}, {38, true, false, false, 29}, {25, true, false, false, 16},
		{24, false, false, false, 22}, {5, false, false, false, 3},
	} {
		c := layoutColumns(tt.width)
		if c.size != tt.size || c.time != tt.time || c.perms != tt.perms || c.name != tt.name {
			t.Errorf("width %d: %+v, want name %d size %v time %v perms %v", tt.width, c, tt.name, tt.size, tt.time, tt.perms)
		}
	}
}

func TestFormatMode(t *testing.T) {
	for _, tt := range []struct {
		mode fs.FileMode
		want string
	}{
		{fs.ModeDir | 0o755, "drwxr-xr-x"},
		{0o644, "-rw-r--r--"},
		{fs.ModeSymlink | 0o777, "lrwxrwxrwx"},
		{fs.ModeSetuid | 0o4755&0o777, "-rwsr-xr-x"},
		{fs.ModeSetgid | 0o640, "-rw-r-S---"},
		{fs.ModeDir | fs.ModeSticky | 0o777, "drwxrwxrwt"},
		{fs.ModeDir | fs.ModeSticky | 0o776, "drwxrwxrwT"},
		{fs.ModeNamedPipe | 0o600, "prw-------"},
		{fs.ModeSocket | 0o600, "srw-------"},
		{fs.ModeDevice | fs.ModeCharDevice | 0o666, "crw-rw-rw-"},
		{fs.ModeDevice | 0o660, "brw-rw----"},
	} {
		if got := formatMode(tt.mode); got != tt.want {
			t.Errorf("formatMode(%v) = %q, want %q", tt.mode, got, tt.want)
		}
	}
}
