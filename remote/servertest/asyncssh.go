//go:build unix

package servertest

import (
	_ "embed" // for the server script
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

// asyncsshScript is the AsyncSSH server, written to the server's private
// directory at start.
//
//go:embed asyncssh_server.py
var asyncsshScript []byte

// systemPython is the interpreter Debian's python3-asyncssh belongs to. A
// python3 found first on PATH (pyenv, a virtualenv) often lacks asyncssh,
// so this one is preferred.
const systemPython = "/usr/bin/python3"

// Exit statuses of asyncsshScript.
const (
	asyncsshNoModule  = 4
	asyncsshPortTaken = 5
)

// asyncsshBackend runs asyncsshScript: one Python process serving every
// connection, in Dir.
type asyncsshBackend struct {
	s                         *Server
	python                    string
	script, hostKey, authKeys string
	d                         *daemon
}

// newAsyncSSH prepares the AsyncSSH server: the script, keys and
// authorized_keys. It skips t if there is no python3; a python3 without
// asyncssh is found out at launch.
func newAsyncSSH(t testing.TB, s *Server) *asyncsshBackend {
	t.Helper()
	b := &asyncsshBackend{
		s:        s,
		python:   findBinary(t, "python3", "python3-asyncssh", systemPython),
		script:   filepath.Join(s.base, "asyncssh_server.py"),
		hostKey:  filepath.Join(s.base, "ssh_host_ed25519_key"),
		authKeys: filepath.Join(s.base, "authorized_keys"),
	}
	if err := os.WriteFile(b.script, asyncsshScript, 0o600); err != nil {
		t.Fatalf("servertest: %v", err)
	}
	if err := s.writeClientKey(); err != nil {
		t.Fatalf("servertest: %v", err)
	}
	if err := os.WriteFile(b.authKeys, ssh.MarshalAuthorizedKey(s.ClientSigner.PublicKey()), 0o600); err != nil {
		t.Fatalf("servertest: %v", err)
	}
	if err := b.newHostKeys(); err != nil {
		t.Fatalf("servertest: %v", err)
	}
	return b
}

// newHostKeys writes a new ed25519 host key.
func (b *asyncsshBackend) newHostKeys() error {
	signer, err := writeEd25519(b.hostKey, "servertest-host")
	if err != nil {
		return fmt.Errorf("host key: %w", err)
	}
	b.s.HostKeys = []ssh.PublicKey{signer.PublicKey()}
	return nil
}

// launch runs the script in Dir and waits until it says it listens and
// answers with a banner.
func (b *asyncsshBackend) launch() error {
	s := b.s
	d, err := spawn(s.LogPath, s.Dir, nil, true,
		b.python, b.script, s.Host, strconv.Itoa(s.Port), b.hostKey, b.authKeys)
	if err != nil {
		return err
	}
	listening := false
	ready := func() error {
		for !listening {
			select {
			case line, ok := <-d.lines:
				if !ok {
					return errors.New("the server closed its standard output")
				}
				listening = line == "LISTENING"
			default:
				return errors.New("the server has not said it listens")
			}
		}
		return nil
	}
	err = d.waitReady(s.Addr, "", "SSH-2.0-AsyncSSH_", ready)
	switch d.exitCode() {
	case asyncsshNoModule:
		return &missingError{msg: fmt.Sprintf("%s cannot import asyncssh (install python3-asyncssh): %s",
			b.python, strings.TrimSpace(d.newLog()))}
	case asyncsshPortTaken:
		return errPortTaken
	}
	if err != nil {
		return err
	}
	b.d, s.PID = d, d.PID
	return nil
}

// stop ends the server with SIGTERM (SIGKILL after stopTimeout).
func (b *asyncsshBackend) stop() { b.d.stop() }

// killSessions has the server abort all its connections (SIGUSR1) and
// waits until it says it has.
func (b *asyncsshBackend) killSessions() bool {
	_ = b.d.Cmd.Process.Signal(syscall.SIGCONT) // a stopped server could not answer
	if err := b.d.Cmd.Process.Signal(syscall.SIGUSR1); err != nil {
		b.s.tb.Errorf("servertest: signal %v (process %d): %v", b.s.Kind, b.d.PID, err)
		return false
	}
	timeout := time.After(stopTimeout)
	for {
		select {
		case line, ok := <-b.d.lines:
			if !ok {
				b.s.tb.Errorf("servertest: %v ended instead of closing its connections\n%s", b.s.Kind, b.s.LogTail())
				return false
			}
			if strings.HasPrefix(line, "KILLED ") {
				return true
			}
		case <-timeout:
			b.s.tb.Errorf("servertest: %v did not close its connections within %v\n%s", b.s.Kind, stopTimeout, b.s.LogTail())
			return false
		}
	}
}

// signalSessions stops or continues the whole server process, which
// serves every connection itself.
func (b *asyncsshBackend) signalSessions(stop bool) bool {
	sig := syscall.SIGCONT
	if stop {
		sig = syscall.SIGSTOP
	}
	return b.d.Cmd.Process.Signal(sig) == nil
}
