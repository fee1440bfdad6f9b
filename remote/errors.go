package remote

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/pkg/sftp"
)

// SFTP status codes (draft-ietf-secsh-filexfer-02, section 7), as
// pkg/sftp names them.
const (
	codeEOF              = uint32(sftp.ErrSSHFxEOF)
	codeNoSuchFile       = uint32(sftp.ErrSSHFxNoSuchFile)
	codePermissionDenied = uint32(sftp.ErrSSHFxPermissionDenied)
	codeFailure          = uint32(sftp.ErrSSHFxFailure)
	codeBadMessage       = uint32(sftp.ErrSSHFxBadMessage)
	codeNoConnection     = uint32(sftp.ErrSSHFxNoConnection)
	codeConnectionLost   = uint32(sftp.ErrSSHFxConnectionLost)
	codeOpUnsupported    = uint32(sftp.ErrSSHFxOpUnsupported)
)

// StatusError is an SFTP status from the server, explained for a person.
// It is the one error remote gives for a status, whichever client
// received it (pkg/sftp, or the stream reader of large downloads), and for
// a call whose connection was lost (code 7). It always comes inside an
// *fs.PathError that names the operation and the path.
type StatusError struct {
	// Code is the SFTP status code.
	Code uint32
	// Meaning says what the code means for the operation that failed.
	Meaning string
}

// newStatusError explains code for the operation op.
func newStatusError(op string, code uint32) *StatusError {
	return &StatusError{Code: code, Meaning: meaning(op, code)}
}

// Error returns the meaning and the status code.
func (e *StatusError) Error() string {
	return fmt.Sprintf("%s (SFTP status %d)", e.Meaning, e.Code)
}

// Is lets errors.Is match the standard library's sentinel errors.
func (e *StatusError) Is(target error) bool {
	switch e.Code {
	case codeNoSuchFile:
		return target == fs.ErrNotExist
	case codePermissionDenied:
		return target == fs.ErrPermission
	}
	return false
}

// meaning explains an SFTP status code for the operation op. Status 4
// (SSH_FX_FAILURE) carries no reason, so it is explained by what it most
// likely is for that operation.
func meaning(op string, code uint32) string {
	switch code {
	case codeEOF:
		return "unexpected end of file"
	case codeNoSuchFile:
		return "no such file or directory"
	case codePermissionDenied:
		return "permission denied"
	case codeFailure:
		switch op {
		case "mkdir", "symlink", "create":
			return "server refused (does it already exist?)"
		case "rmdir", "remove":
			return "server refused (directory not empty?)"
		case "rename":
			return "server refused (does the target already exist?)"
		case "write", "close", "upload", "fsync":
			return "server refused (disk full?)"
		}
		return "server refused the operation"
	case codeBadMessage:
		return "bad message (protocol error between client and server)"
	case codeNoConnection:
		return "no connection to the server"
	case codeConnectionLost:
		return "connection lost"
	case codeOpUnsupported:
		return "operation not supported by the server"
	}
	return "unknown SFTP status"
}

// wrapErr names the operation and path in err and explains SFTP status
// codes: a *sftp.StatusError, and the errors pkg/sftp turns some statuses
// into (fs.ErrNotExist, fs.ErrPermission, sftp.ErrSSHFxConnectionLost),
// become a *StatusError. errors.Is(err, fs.ErrNotExist) and
// fs.ErrPermission keep working. The server's own text of a status is
// left out: pkg/sftp keeps it only inside its error's message, and a
// status is explained by its code.
func wrapErr(op, path string, err error) error {
	if err == nil {
		return nil
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	var se *sftp.StatusError
	switch {
	case errors.As(err, &se):
		err = newStatusError(op, se.Code)
	case errors.Is(err, fs.ErrNotExist):
		err = newStatusError(op, codeNoSuchFile)
	case errors.Is(err, fs.ErrPermission):
		err = newStatusError(op, codePermissionDenied)
	case errors.Is(err, sftp.ErrSSHFxConnectionLost):
		err = newStatusError(op, codeConnectionLost)
	}
	return &fs.PathError{Op: op, Path: path, Err: err}
}
