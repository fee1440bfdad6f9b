package transfer

import (
	"fmt"
	"strings"
)

// Fsync is a durability policy: when a finished temporary file is flushed
// to stable storage (fsync, or fsync@openssh.com on a server) before it
// is renamed into place. Whatever the policy, a file is written under a
// temporary name and renamed only once it is complete, so a dropped link
// or a killed process never leaves half a file under the real name; the
// policy only decides what survives an operating system crash or a power
// cut of the destination.
type Fsync int

// Durability policies. The zero value means "not set": in a Request it
// takes the engine's Options.Fsync, in Options it means FsyncAuto.
const (
	// FsyncDefault leaves the choice to the level above (Request to
	// Options, Options to FsyncAuto).
	FsyncDefault Fsync = iota
	// FsyncAuto flushes a file when losing it in a crash would lose
	// data: when it replaces an existing file (a crash right after the
	// rename could leave neither the old content nor the new) and when
	// it is moved (its source is removed afterwards). A new file that is
	// copied is not flushed: its source still exists, and after a crash
	// a copy may be empty or short under its real name until the copy is
	// run again.
	FsyncAuto
	// FsyncAlways flushes every file before it is renamed into place:
	// once a file is reported done it survives a crash.
	FsyncAlways
	// FsyncNever never flushes: the operating system writes the data back
	// when it chooses. Fastest; after a crash, files copied shortly before
	// it, replaced ones included, may be empty or short.
	FsyncNever
)

// String returns "auto", "always" or "never" ("" for FsyncDefault), the
// spelling ParseFsync reads.
func (f Fsync) String() string {
	switch f {
	case FsyncAuto:
		return "auto"
	case FsyncAlways:
		return "always"
	case FsyncNever:
		return "never"
	case FsyncDefault:
		return ""
	}
	return fmt.Sprintf("Fsync(%d)", int(f))
}

// ParseFsync reads a policy name: "auto", "always" or "never".
func ParseFsync(s string) (Fsync, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "auto":
		return FsyncAuto, nil
	case "always":
		return FsyncAlways, nil
	case "never":
		return FsyncNever, nil
	}
	return FsyncDefault, fmt.Errorf("unknown fsync policy %q (want auto, always or never)", s)
}

// fsyncPolicy is the policy batch b's files follow.
func (e *Engine) fsyncPolicy(b *batch) Fsync {
	if f := b.req.Fsync; f > FsyncDefault && f <= FsyncNever {
		return f
	}
	if f := e.opts.Fsync; f > FsyncDefault && f <= FsyncNever {
		return f
	}
	if e.opts.NoSync {
		return FsyncNever
	}
	return FsyncAuto
}

// wantSync reports whether the file being written is to be flushed
// before its rename: replaces says whether it takes the place of an
// existing file.
func (w *safeWrite) wantSync(replaces bool) bool {
	switch w.e.fsyncPolicy(w.j.b) {
	case FsyncAlways:
		return true
	case FsyncNever:
		return false
	}
	return replaces || w.j.b.req.Move
}
