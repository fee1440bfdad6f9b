package remote

import (
	"errors"
	"io/fs"
	"strings"
	"testing"

	"github.com/pkg/sftp"
)

// TestWrapErrExplainsEveryStatus checks the words for each SFTP status
// code, per operation for the reason-less SSH_FX_FAILURE.
func TestWrapErrExplainsEveryStatus(t *testing.T) {
	cases := []struct {
		op   string
		code uint32
		want string
		is   error
	}{
		{"stat", 2, "no such file or directory (SFTP status 2)", fs.ErrNotExist},
		{"open", 3, "permission denied (SFTP status 3)", fs.ErrPermission},
		{"mkdir", 4, "does it already exist?", nil},
		{"remove", 4, "directory not empty?", nil},
		{"rename", 4, "does the target already exist?", nil},
		{"write", 4, "disk full?", nil},
		{"chmod", 4, "server refused the operation (SFTP status 4)", nil},
		{"ls", 5, "bad message", nil},
		{"ls", 6, "no connection to the server (SFTP status 6)", nil},
		{"ls", 7, "connection lost (SFTP status 7)", nil},
		{"symlink", 8, "operation not supported by the server (SFTP status 8)", nil},
		{"ls", 99, "unknown SFTP status (SFTP status 99)", nil},
	}
	for _, c := range cases {
		err := wrapErr(c.op, "/srv/x y", &sftp.StatusError{Code: c.code})
		msg := err.Error()
		if !strings.HasPrefix(msg, c.op+" /srv/x y: ") || !strings.Contains(msg, c.want) {
			t.Errorf("%s, status %d: %q, want the operation, the path and %q", c.op, c.code, msg, c.want)
		}
		if c.is != nil && !errors.Is(err, c.is) {
			t.Errorf("%s, status %d: errors.Is(%v) is false", c.op, c.code, c.is)
		}
		var se *StatusError
		if !errors.As(err, &se) || se.Code != c.code {
			t.Errorf("%s, status %d: not a *StatusError with the code", c.op, c.code)
		}
	}
	if wrapErr("stat", "/x", nil) != nil {
		t.Error("wrapErr(nil) is not nil")
	}
	// pkg/sftp turns status 2 and 3 into os errors on some paths.
	if err := wrapErr("stat", "/x", fs.ErrNotExist); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "SFTP status 2") {
		t.Errorf("os.ErrNotExist: %v", err)
	}
	// A server message with control characters is quoted, never raw.
	err := wrapErr("ls", "/x", &StatusError{Code: 4, Meaning: "m", ServerMsg: "evil\x1b[2Jmsg"})
	if strings.ContainsRune(err.Error(), 0x1b) {
		t.Errorf("raw escape in %q", err.Error())
	}
}
