package auth_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ferry-tui/ferry/remote/auth"
	"github.com/ferry-tui/ferry/remote/ttyprompt"
	"golang.org/x/crypto/ssh"
)

// TestTTYPrompterDrivesAuth: the terminal prompter answering a real
// password exchange, retry included.
func TestTTYPrompterDrivesAuth(t *testing.T) {
	t.Parallel()
	srv := allMethodsServer(t)
	h := authHost("ivan", srv.addr)
	h.PreferredAuthentications = []string{"password"}
	var out, warn bytes.Buffer
	p := ttyprompt.New(ttyprompt.Config{
		In:         strings.NewReader("nope\npw\n"),
		Out:        &out,
		Warn:       &warn,
		IsTerminal: func() bool { return true },
	})
	if err := authConnect(t, srv.addr, ssh.FixedHostKey(srv.hostKey), h, auth.Env{}, p); err != nil {
		t.Fatal(err)
	}
	if got, want := out.String(), "ivan@127.0.0.1's password: ivan@127.0.0.1's password: "; got != want {
		t.Errorf("terminal shows %q, want %q", got, want)
	}
	if got, want := warn.String(), "Permission denied, please try again.\n"; got != want {
		t.Errorf("warnings = %q, want %q", got, want)
	}
}
