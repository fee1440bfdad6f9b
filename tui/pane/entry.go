package pane

import (
	"io/fs"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/ferry-tui/ferry/text"
)

// Entry is one row of a listing. The raw name builds paths; only the
// sanitised display form is ever measured or drawn. Entries are immutable
// once a listing has been built, so a sort running in a Cmd may read them
// while the model keeps using them.
type Entry struct {
	name    string // as the file system returned it
	display string // text.Sanitize(name)
	lower   string // strings.ToLower(display), for the filter
	target  string // text.Sanitize(link target); empty unless a symbolic link
	size    int64
	mtime   int64 // Unix nanoseconds; 0 when unknown
	width   int32 // cells taken by display
	mode    fs.FileMode
	linkDir bool // a symbolic link that resolves to a directory
	broken  bool // a symbolic link whose target cannot be stat-ed
	temp    bool // one of ferry's own temporary files (see isTempName)
}

// newEntry describes fi for display.
func newEntry(fi fs.FileInfo) Entry {
	display := text.Sanitize(fi.Name())
	var mtime int64
	if t := fi.ModTime(); !t.IsZero() {
		mtime = t.UnixNano()
	}
	width := len(display) // one cell per byte for printable ASCII
	if !text.PlainASCII(display) {
		width = ansi.StringWidth(display)
	}
	return Entry{
		name:    fi.Name(),
		display: display,
		lower:   strings.ToLower(display),
		width:   int32(width),
		size:    fi.Size(),
		mtime:   mtime,
		mode:    fi.Mode(),
		temp:    isTempName(fi.Name()),
	}
}

// IsDir reports whether the entry is a directory (not a link to one).
func (e *Entry) IsDir() bool { return e.mode.IsDir() }

// IsLink reports whether the entry is a symbolic link.
func (e *Entry) IsLink() bool { return e.mode&fs.ModeSymlink != 0 }

// Opens reports whether Enter goes into the entry: a directory or a link
// to one.
func (e *Entry) Opens() bool { return e.IsDir() || e.linkDir }

// isHidden reports whether the entry is a dot file.
func (e *Entry) isHidden() bool { return strings.HasPrefix(e.name, ".") }

// modTime returns the modification time; the zero time when unknown.
func (e *Entry) modTime() time.Time {
	if e.mtime == 0 {
		return time.Time{}
	}
	return time.Unix(0, e.mtime)
}

// Broken reports whether the entry is a symbolic link whose target could
// not be stat-ed when it was listed: a dangling link, a loop, or a target
// the user may not reach.
func (e *Entry) Broken() bool { return e.broken }

// Temp reports whether the entry is one of the files a copy by ferry
// leaves beside its target while it runs (see isTempName).
func (e *Entry) Temp() bool { return e.temp }

// marker is the suffix drawn after the name: "/" for directories, "!" for
// broken symbolic links, as mc marks them. Symbolic links show their
// target instead when there is room (see nameCell).
func (e *Entry) marker() string {
	switch {
	case e.IsDir():
		return "/"
	case e.broken:
		return "!"
	}
	return ""
}

// Suffixes of the files the transfer engine leaves beside a target while
// it writes it (transfer/names.go): ".NAME.ferry-part", its resume record
// ".NAME.ferry-part.meta", and ".NAME.ferry-old", the old target during a
// replace that cannot rename over it.
const (
	tempPartSuffix = ".ferry-part"
	tempMetaSuffix = ".ferry-part.meta"
	tempOldSuffix  = ".ferry-old"
)

// isTempName reports whether name is one of ferry's temporary files: a dot
// file ending in one of the engine's suffixes, with a name before it.
func isTempName(name string) bool {
	if !strings.HasPrefix(name, ".") {
		return false
	}
	for _, suf := range []string{tempPartSuffix, tempMetaSuffix, tempOldSuffix} {
		if len(name) > len(suf)+1 && strings.HasSuffix(name, suf) {
			return true
		}
	}
	return false
}

// newEntries converts a directory listing, skipping nil infos and names
// that are not a single path element ("", ".", "..", "a/b"): acting on
// them would reach outside the directory.
func newEntries(infos []fs.FileInfo) []Entry {
	entries := make([]Entry, 0, len(infos))
	for _, fi := range infos {
		if fi == nil || ValidateName(fi.Name()) != nil {
			continue
		}
		entries = append(entries, newEntry(fi))
	}
	return entries
}
