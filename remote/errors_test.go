package remote

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
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
}

// failCmder fails every file command with err, as a server's own text.
type failCmder struct{ err error }

func (f failCmder) Filecmd(*sftp.Request) error { return f.err }

// TestStatusFromPkgSFTPByType: a status that pkg/sftp received from a
// real server is explained by its code, found by type. The server's own
// text, which may hold control characters, is not in the message.
func TestStatusFromPkgSFTPByType(t *testing.T) {
	handlers := sftp.InMemHandler()
	handlers.FileCmd = failCmder{errors.New("evil\x1b[2J text")}
	cc, sc := net.Pipe()
	srv := sftp.NewRequestServer(sc, handlers)
	go srv.Serve()
	t.Cleanup(func() { srv.Close() })
	client, err := sftp.NewClientPipe(cc, cc)
	if err != nil {
		t.Fatal(err)
	}
	f := NewFS("mem", client)
	t.Cleanup(func() { f.c.close() })
	err = f.Mkdir(context.Background(), "/d", 0o755)
	if got, want := fmt.Sprint(err), "mkdir /d: server refused (does it already exist?) (SFTP status 4)"; got != want {
		t.Fatalf("Mkdir = %q, want %q", got, want)
	}
	var se *StatusError
	if !errors.As(err, &se) || se.Code != codeFailure {
		t.Fatalf("Mkdir = %v, want a *StatusError of code 4", err)
	}
	var raw *sftp.StatusError
	if errors.As(err, &raw) {
		t.Errorf("pkg/sftp's error leaks through: %v", raw)
	}
}
