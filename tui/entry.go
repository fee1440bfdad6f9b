package tui

import (
	"io/fs"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// entry is one row of a listing. The raw name builds paths; only the
// sanitised display form is ever measured or drawn.
type entry struct {
	name    string // as the file system returned it
	display string // Sanitize(name)
	width   int    // cells taken by display
	size    int64
	modTime time.Time
	mode    fs.FileMode
}

// newEntry describes fi for display.
func newEntry(fi fs.FileInfo) entry {
	display := Sanitize(fi.Name())
	return entry{
		name:    fi.Name(),
		display: display,
		width:   ansi.StringWidth(display),
		size:    fi.Size(),
		modTime: fi.ModTime(),
		mode:    fi.Mode(),
	}
}

// isDir reports whether the entry is a directory (not a link to one).
func (e entry) isDir() bool { return e.mode.IsDir() }

// isLink reports whether the entry is a symbolic link.
func (e entry) isLink() bool { return e.mode&fs.ModeSymlink != 0 }

// marker is the suffix drawn after the name: "/" for directories and "@"
// for symbolic links, as ls -F does.
func (e entry) marker() string {
	switch {
	case e.isDir():
		return "/"
	case e.isLink():
		return "@"
	}
	return ""
}

// newEntries converts and sorts a directory listing.
func newEntries(infos []fs.FileInfo) []entry {
	entries := make([]entry, 0, len(infos))
	for _, fi := range infos {
		if fi == nil {
			continue
		}
		entries = append(entries, newEntry(fi))
	}
	sortEntries(entries)
	return entries
}

// sortEntries orders directories first, then files, each by name ignoring
// case, ties broken by the exact bytes so the order is total.
func sortEntries(entries []entry) {
	slices.SortFunc(entries, func(a, b entry) int {
		if ad, bd := a.isDir(), b.isDir(); ad != bd {
			if ad {
				return -1
			}
			return 1
		}
		if c := compareFold(a.name, b.name); c != 0 {
			return c
		}
		return strings.Compare(a.name, b.name)
	})
}

// compareFold compares a and b rune by rune after lower-casing, without
// allocating. Invalid UTF-8 compares by byte value.
func compareFold(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra == utf8.RuneError && na == 1 {
			ra = rune(a[0])
		}
		if rb == utf8.RuneError && nb == 1 {
			rb = rune(b[0])
		}
		if la, lb := unicode.ToLower(ra), unicode.ToLower(rb); la != lb {
			if la < lb {
				return -1
			}
			return 1
		}
		a, b = a[na:], b[nb:]
	}
	switch {
	case a == "" && b == "":
		return 0
	case a == "":
		return -1
	}
	return 1
}
