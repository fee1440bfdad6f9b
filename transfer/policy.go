package transfer

import (
	"fmt"
	"io/fs"
	"time"
)

// Policy says what to do when a destination file already exists. It is
// chosen per batch (Request.Policy) and, under Ask, per file.
type Policy int

// Conflict policies.
const (
	// Ask parks the job and emits a JobConflict event; Engine.Answer
	// decides. It is the zero value: ferry never overwrites silently.
	Ask Policy = iota
	// Overwrite replaces the destination (safely: temp file, then rename).
	Overwrite
	// Skip leaves the destination alone.
	Skip
	// Newer overwrites only when the source is newer than the destination.
	Newer
	// Resume continues an interrupted transfer from its temporary file
	// when the source is unchanged and the copy's tail matches; a
	// destination with the source's size and modification time counts as
	// complete and is skipped; anything else is overwritten.
	Resume
	// Rename keeps both: the copy gets a free name such as "a (1).txt".
	Rename
)

// String returns the policy's lower-case name.
func (p Policy) String() string {
	switch p {
	case Ask:
		return "ask"
	case Overwrite:
		return "overwrite"
	case Skip:
		return "skip"
	case Newer:
		return "newer"
	case Resume:
		return "resume"
	case Rename:
		return "rename"
	}
	return fmt.Sprintf("Policy(%d)", int(p))
}

// Answer answers a conflict the Ask policy raised.
type Answer struct {
	// Choice is what to do with this file; it must not be Ask.
	Choice Policy
	// ForAll applies Choice to every other conflict of the same batch,
	// those already waiting and those still to come.
	ForAll bool
}

// sameSecond reports whether a and b fall in the same second; SFTP keeps
// times in whole seconds.
func sameSecond(a, b time.Time) bool { return a.Unix() == b.Unix() }

// newerThan reports whether src is newer than dst, in whole seconds.
func newerThan(src, dst fs.FileInfo) bool { return src.ModTime().Unix() > dst.ModTime().Unix() }

// ParsePolicy returns the policy whose String is name; ok is false for a
// name that is none of them.
func ParsePolicy(name string) (p Policy, ok bool) {
	for p := Ask; p <= Rename; p++ {
		if p.String() == name {
			return p, true
		}
	}
	return Ask, false
}
