package remote

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/pkg/sftp"
)

// SFTP status codes (draft-ietf-secsh-filexfer-02, section 7).
const (
	codeEOF              = 1
	codeNoSuchFile       = 2
	codePermissionDenied = 3
	codeFailure          = 4
	codeBadMessage       = 5
	codeNoConnection     = 6
	codeConnectionLost   = 7
	codeOpUnsupported    = 8
)

// StatusError is an SFTP status from the server, explained for a person.
type StatusError struct {
	// Code is the SFTP status code.
	Code uint32
	// Meaning says what the code means for the operation that failed.
	Meaning string
	// ServerMsg is the server's own message, raw; Error quotes it with %q so
	// control and bidi characters are escaped.
	ServerMsg string
}

// Error returns the meaning, the server's message when it adds anything,
// and the status code.
func (e *StatusError) Error() string {
	s := e.Meaning
	if e.ServerMsg != "" && e.ServerMsg != e.Meaning {
		s += ": server says " + fmt.Sprintf("%q", e.ServerMsg)
	}
	return fmt.Sprintf("%s (SFTP status %d)", s, e.Code)
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
// codes. errors.Is(err, fs.ErrNotExist) and fs.ErrPermission keep working.
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
		err = &StatusError{Code: se.Code, Meaning: meaning(op, se.Code), ServerMsg: serverMessage(se)}
	case errors.Is(err, os.ErrNotExist):
		err = &StatusError{Code: codeNoSuchFile, Meaning: meaning(op, codeNoSuchFile)}
	case errors.Is(err, os.ErrPermission):
		err = &StatusError{Code: codePermissionDenied, Meaning: meaning(op, codePermissionDenied)}
	case errors.Is(err, sftp.ErrSSHFxConnectionLost):
		err = &StatusError{Code: codeConnectionLost, Meaning: meaning(op, codeConnectionLost)}
	}
	return &fs.PathError{Op: op, Path: path, Err: err}
}

// serverMessage extracts the server's text from a pkg/sftp status error,
// whose Error method formats it as: sftp: "MSG" (CODE).
func serverMessage(se *sftp.StatusError) string {
	var msg string
	var rest string
	if _, err := fmt.Sscanf(se.Error(), "sftp: %q %s", &msg, &rest); err != nil {
		return ""
	}
	return msg
}
