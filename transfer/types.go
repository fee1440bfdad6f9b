package transfer

import (
	"time"
)

// JobID identifies a job for the lifetime of an Engine. IDs start at 1 and
// follow the order in which jobs were planned.
type JobID uint64

// BatchID identifies one Submit call.
type BatchID uint64

// Kind says what a job copies.
type Kind int

// Job kinds.
const (
	// KindFile copies a regular file's contents.
	KindFile Kind = iota + 1
	// KindDir creates a directory; its entries are jobs of their own.
	KindDir
	// KindSymlink recreates a symbolic link.
	KindSymlink
	// KindOther is a device, socket or pipe; such entries are skipped.
	KindOther
)

// String returns "file", "dir", "symlink" or "other".
func (k Kind) String() string {
	switch k {
	case KindFile:
		return "file"
	case KindDir:
		return "dir"
	case KindSymlink:
		return "symlink"
	case KindOther:
		return "other"
	}
	return "unknown"
}

// State is where a job is in its life.
type State int

// Job states. Done, Failed, Cancelled and Skipped are terminal; Retry
// brings a failed or cancelled job back to Queued.
const (
	// Queued jobs wait for a worker, or, when JobStatus.Conflict is set,
	// for an answer through Engine.Answer.
	Queued State = iota
	// Running jobs are being copied.
	Running
	// Done jobs arrived intact.
	Done
	// Failed jobs did not; JobStatus.Err says why.
	Failed
	// Cancelled jobs were stopped by Cancel, CancelBatch, CancelAll or Close.
	Cancelled
	// Skipped jobs were left alone on purpose; JobStatus.Err says why.
	Skipped
	numStates
)

// String returns the state's lower-case name.
func (s State) String() string {
	switch s {
	case Queued:
		return "queued"
	case Running:
		return "running"
	case Done:
		return "done"
	case Failed:
		return "failed"
	case Cancelled:
		return "cancelled"
	case Skipped:
		return "skipped"
	}
	return "unknown"
}

// Terminal reports whether s is Done, Failed, Cancelled or Skipped.
func (s State) Terminal() bool { return s >= Done && s < numStates }

// Conflict describes a destination that already exists, for the question
// the Ask policy puts to the user.
type Conflict struct {
	// Src and Dst are the source and destination paths.
	Src, Dst string
	// SrcSize and DstSize are the sizes in bytes.
	SrcSize, DstSize int64
	// SrcTime and DstTime are the modification times.
	SrcTime, DstTime time.Time
	// Partial is set when Dst does not exist but an interrupted copy left
	// its temporary file (DstSize and DstTime describe that): Resume
	// continues it, Overwrite starts over, Skip leaves both alone.
	Partial bool
}

// JobStatus is a copy of one job's state, safe to keep.
type JobStatus struct {
	// ID identifies the job.
	ID JobID
	// Batch is the Submit call the job came from.
	Batch BatchID
	// Kind says what the job copies.
	Kind Kind
	// Src and Dst are the source and destination paths. Dst changes when
	// a conflict is answered with Rename.
	Src, Dst string
	// SrcLabel and DstLabel name the file systems (FS.Label).
	SrcLabel, DstLabel string
	// Size is the source size in bytes as listed (files only).
	Size int64
	// Done is how many bytes of the file are at the destination,
	// including the part a resume started from.
	Done int64
	// Resumed is the offset a resumed transfer continued from, or 0.
	Resumed int64
	// State is where the job is.
	State State
	// Err says why a job failed or was skipped; nil otherwise.
	Err error
	// Conflict is set while a queued job waits for Engine.Answer.
	Conflict *Conflict
	// Speed is the job's smoothed speed in bytes per second while it runs.
	Speed float64
	// ETA is the job's estimated time left, or -1 when unknown.
	ETA time.Duration
	// Attempt counts the tries of a running or finished job after its
	// first, each made after a lost connection or a stall.
	Attempt int
	// Waiting is set while a running job waits for its connection to
	// come back before it tries again.
	Waiting bool
	// RetryErr is why the job's latest try failed when it was tried again
	// (Attempt > 0); nil otherwise.
	RetryErr error
	// Partial is the temporary file an interrupted or failed copy left
	// behind ("" if none): a large file's, kept with its resume record
	// for a later resume, or one that could not be removed. A later copy
	// to the same target continues or replaces it.
	Partial string

	// Renamed is set when a move within one file system moved the item
	// with one rename, without copying.
	Renamed bool
	// SourceRemoved is set when a move removed the job's source (or
	// renamed it away).
	SourceRemoved bool
	// SourceErr says why a move kept the source of a job that is done
	// (ErrSourceChanged, ErrSourceNotEmpty or the error of the removal);
	// nil otherwise.
	SourceErr error
}
