package pane

import (
	"io/fs"
	"time"
)

// Column widths of a pane row.
const (
	timeWidth = 12 // "Jan 02 15:04", "Jan 02  2006"
)

// Time layouts: ls -l style, the year replacing the clock for other years.
const (
	layoutThisYear  = "Jan 02 15:04"
	layoutOtherYear = "Jan 02  2006"
)

// formatTime renders a modification time in now's location: the clock for
// times in now's year, the year otherwise. The zero time renders empty.
func formatTime(t, now time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(now.Location())
	if t.Year() == now.Year() {
		return t.Format(layoutThisYear)
	}
	return t.Format(layoutOtherYear)
}

// formatMode renders permission bits the way ls -l does: a type letter
// (d directory, l link, p pipe, s socket, c and b devices, - file), then
// rwx for owner, group and others with setuid, setgid and sticky shown as
// s/S and t/T.
func formatMode(m fs.FileMode) string {
	var b [10]byte
	switch {
	case m.IsDir():
		b[0] = 'd'
	case m&fs.ModeSymlink != 0:
		b[0] = 'l'
	case m&fs.ModeNamedPipe != 0:
		b[0] = 'p'
	case m&fs.ModeSocket != 0:
		b[0] = 's'
	case m&fs.ModeCharDevice != 0:
		b[0] = 'c'
	case m&fs.ModeDevice != 0:
		b[0] = 'b'
	default:
		b[0] = '-'
	}
	const rwx = "rwxrwxrwx"
	for i := range 9 {
		if m&(1<<uint(8-i)) != 0 {
			b[1+i] = rwx[i]
		} else {
			b[1+i] = '-'
		}
	}
	special := func(pos int, set bool, lower, upper byte) {
		if !set {
			return
		}
		if b[pos] == 'x' {
			b[pos] = lower
		} else {
			b[pos] = upper
		}
	}
	special(3, m&fs.ModeSetuid != 0, 's', 'S')
	special(6, m&fs.ModeSetgid != 0, 's', 'S')
	special(9, m&fs.ModeSticky != 0, 't', 'T')
	return string(b[:])
}
