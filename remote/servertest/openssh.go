package servertest

import (
	"errors"
	"os"
	"os/exec"
	"testing"

	"github.com/ferry-tui/ferry/remote/internal/proctree"
	"github.com/ferry-tui/ferry/remote/sshdtest"
)

// opensshBackend runs OpenSSH's sshd through sshdtest.
type opensshBackend struct {
	ss *sshdtest.Server
}

// startOpenSSH starts sshd with sshdtest, which skips t if sshd is missing
// unless FERRY_REQUIRE_SSHD=1; FERRY_REQUIRE_SERVERS=1 fails t as well.
func startOpenSSH(t testing.TB, set settings) *Server {
	t.Helper()
	if _, err := os.Stat("/usr/sbin/sshd"); err != nil {
		if _, err := exec.LookPath("sshd"); err != nil && os.Getenv(RequireEnv) == "1" {
			missing(t, "OpenSSH sshd not found at /usr/sbin/sshd or on PATH (install openssh-server)")
		}
	}
	var opts []sshdtest.Option
	if set.dir != "" {
		opts = append(opts, sshdtest.WithDir(set.dir))
	}
	ss := sshdtest.Start(t, opts...)
	s := &Server{
		Kind:          OpenSSH,
		Addr:          ss.Addr,
		Host:          ss.Host,
		Port:          ss.Port,
		User:          ss.User,
		Dir:           ss.Dir,
		ClientKeyPath: ss.ClientKeyPath,
		ClientSigner:  ss.ClientSigner,
		HostKeys:      ss.HostKeys.All(),
		LogPath:       ss.LogPath,
		PID:           ss.PID,
		tb:            t,
		impl:          &opensshBackend{ss: ss},
		running:       true,
	}
	s.KnownHostsPath = ss.WriteKnownHosts(t)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("servertest: %v on %s\n%s", s.Kind, s.Addr, s.LogTail())
		}
		s.Stop()
	})
	return s
}

// restartOpenSSH is Restart for OpenSSH, which sshdtest does.
func (s *Server) restartOpenSSH(t testing.TB, keys KeyChoice) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.impl.(*opensshBackend).ss
	ss.Restart(t, keys == NewHostKey)
	s.PID = ss.PID
	s.HostKeys = ss.HostKeys.All()
	s.running = true
}

// launch is not used: sshdtest starts and restarts sshd.
func (b *opensshBackend) launch() error {
	return errors.New("servertest: sshdtest launches sshd")
}

// newHostKeys is not used: sshdtest replaces sshd's host keys.
func (b *opensshBackend) newHostKeys() error {
	return errors.New("servertest: sshdtest replaces sshd's host keys")
}

// stop stops sshd and its connection processes.
func (b *opensshBackend) stop() { b.ss.Stop() }

// killSessions kills sshd's connection processes.
func (b *opensshBackend) killSessions() bool { return proctree.KillTree(b.ss.PID, stopTimeout) }

// signalSessions stops or continues sshd's connection processes.
func (b *opensshBackend) signalSessions(stop bool) bool { return signalTree(b.ss.PID, stop) }
