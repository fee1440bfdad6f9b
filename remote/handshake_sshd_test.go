package remote_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ferry-tui/ferry/remote"
	"github.com/ferry-tui/ferry/remote/auth"
	"github.com/ferry-tui/ferry/remote/sshdtest"
	"golang.org/x/crypto/ssh"
)

// TestSSHDHandshakeFailuresExplained: a login the server refuses is an
// *AuthError, and no cipher in common says so in plain words; both are
// told by the errors' types, never their text.
func TestSSHDHandshakeFailuresExplained(t *testing.T) {
	t.Parallel()
	srv := sshdtest.Start(t, sshdtest.WithConfig("Ciphers aes128-ctr"))

	h := hostFor(t, srv)
	h.IdentityFiles = nil // nothing the server accepts
	_, err := remote.Dial(context.Background(), h)
	var ae *remote.AuthError
	if !errors.As(err, &ae) || !errors.Is(err, auth.ErrNoMethodLeft) {
		t.Fatalf("refused login: %v, want an *AuthError wrapping auth.ErrNoMethodLeft", err)
	}
	if !strings.HasPrefix(err.Error(), "connect to sshd: authentication failed (") || !strings.Contains(err.Error(), "unable to authenticate") {
		t.Errorf("refused login: %q", err)
	}

	h = hostFor(t, srv)
	h.Ciphers = []string{"aes256-gcm@openssh.com"}
	_, err = remote.Dial(context.Background(), h)
	var ne *ssh.AlgorithmNegotiationError
	if !errors.As(err, &ne) || !strings.Contains(err.Error(), "no algorithm in common with the server (") {
		t.Fatalf("no cipher in common: %v, want x/crypto's *ssh.AlgorithmNegotiationError, explained", err)
	}
	if errors.As(err, &ae) {
		t.Fatalf("no cipher in common is not an authentication failure: %v", err)
	}
}
