package remote

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
)

// ServerCommandError says that the command given as Dialer.SFTPServer did
// not start an SFTP server: it could not run, ended, or spoke something
// else. Stderr is the end of what it wrote on its standard error, as the
// server sent it (unsanitised).
type ServerCommandError struct {
	// Command is the command as given.
	Command string
	// ExitStatus is the command's exit status, or -1 when it is not known.
	ExitStatus int
	// Stderr is the end of the command's standard error.
	Stderr string
	// Err is the SFTP client's error.
	Err error
}

// Error says which command failed, how, and what it said.
func (e *ServerCommandError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "sftp server command %q did not start an SFTP server", e.Command)
	if e.ExitStatus >= 0 {
		fmt.Fprintf(&b, " (exit status %d)", e.ExitStatus)
	}
	if s := strings.TrimSpace(e.Stderr); s != "" {
		b.WriteString(": ")
		b.WriteString(s)
	} else if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	b.WriteString("; it must run without asking anything, e.g. sudo -n with a NOPASSWD rule for the sftp-server")
	return b.String()
}

// Unwrap returns the SFTP client's error.
func (e *ServerCommandError) Unwrap() error { return e.Err }

// startSFTP starts SFTP on sess: the sftp subsystem, or with command set,
// command through an exec request. sess's pipes are already made.
func startSFTP(sess *ssh.Session, command string) error {
	if command == "" {
		return sess.RequestSubsystem("sftp")
	}
	return sess.Start(command)
}

// newSFTPClient starts an SFTP client on its own channel of c: over the
// sftp subsystem, or with command set, over command's standard input and
// output, as sftp -s does.
func newSFTPClient(c *ssh.Client, command string, opts []sftp.ClientOption) (*sftp.Client, error) {
	if command == "" {
		// Asked for again, after a short pause, when its new channel
		// ended before the server's first answer: Dropbear (2022.83)
		// ends a session channel opened while another channel of the
		// connection is being torn down (mkj/dropbear#220 and #258).
		// A connection that is gone fails the same way, so the pauses
		// are short.
		sc, err := sftp.NewClient(c, opts...)
		for _, wait := range [...]time.Duration{50 * time.Millisecond, 250 * time.Millisecond} {
			if !errors.Is(err, io.EOF) {
				break
			}
			time.Sleep(wait)
			sc, err = sftp.NewClient(c, opts...)
		}
		return sc, err
	}
	sess, err := c.NewSession()
	if err != nil {
		return nil, err
	}
	stderr := &tailBuffer{max: 2048}
	sess.Stderr = stderr
	w, err := sess.StdinPipe()
	if err != nil {
		sess.Close()
		return nil, err
	}
	r, err := sess.StdoutPipe()
	if err != nil {
		sess.Close()
		return nil, err
	}
	if err := sess.Start(command); err != nil {
		sess.Close()
		return nil, &ServerCommandError{Command: command, ExitStatus: -1, Err: err}
	}
	sc, err := sftp.NewClientPipe(r, w, opts...)
	if err != nil {
		status := -1
		var exit *ssh.ExitError
		if werr := waitFor(sess, 2*time.Second); errors.As(werr, &exit) {
			status = exit.ExitStatus()
		} else if werr == nil {
			status = 0
		}
		sess.Close()
		return nil, &ServerCommandError{Command: command, ExitStatus: status, Stderr: stderr.String(), Err: err}
	}
	return sc, nil
}

// errWaitTimeout is waitFor's error when the command has not ended.
var errWaitTimeout = errors.New("the command did not end")

// waitFor waits at most d for sess's command to end.
func waitFor(sess *ssh.Session, d time.Duration) error {
	done := make(chan error, 1)
	go func() { done <- sess.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		return errWaitTimeout
	}
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf bytes.Buffer
}

var _ io.Writer = (*tailBuffer)(nil)

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf.Write(p)
	if over := t.buf.Len() - t.max; over > 0 {
		t.buf.Next(over)
	}
	return len(p), nil
}

// String returns what is kept.
func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.buf.String()
}
