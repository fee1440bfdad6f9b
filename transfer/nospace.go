package transfer

import (
	"errors"
	"io/fs"
	"syscall"
)

// sftpStatuser is implemented by errors that carry an SFTP status code
// (remote.StatusError).
type sftpStatuser interface{ SFTPStatus() uint32 }

// sftpFailure is SSH_FX_FAILURE, what OpenSSH's sftp-server and most
// others answer a write with when the disk is full or the quota spent
// (SFTP version 3 has no code of its own for it).
const sftpFailure = 4

// isNoSpace reports whether err says the destination is full: ENOSPC or
// EDQUOT from a local disk, or an SFTP failure status to a write, fsync
// or close.
func isNoSpace(err error) bool {
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return true
	}
	var pe *fs.PathError
	var st sftpStatuser
	if !errors.As(err, &pe) || !errors.As(pe.Err, &st) {
		return false
	}
	switch pe.Op {
	case "write", "fsync", "close":
		return st.SFTPStatus() == sftpFailure
	}
	return false
}

// noSpace is the error of a copy that ran out of room at the destination.
// The partial copy is removed: it cannot be finished there, and it would
// keep the disk full.
type noSpace struct{ err error }

func (e *noSpace) Error() string {
	return e.err.Error() + " (the destination is full; the partial copy was removed)"
}

// Unwrap returns ErrNoSpace and the cause.
func (e *noSpace) Unwrap() []error { return []error{ErrNoSpace, e.err} }
