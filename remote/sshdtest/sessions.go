package sshdtest

import (
	"os"

	"github.com/ferry-tui/ferry/remote/internal/proctree"
)

// SignalSessions sends sig to the processes serving sshd's connections
// (where they can be found: Linux), but not to sshd itself, which goes on
// accepting new connections. SIGSTOP freezes the existing connections
// only; a client that dials again gets a fresh, working one. It returns
// how many processes it signalled; 0 means none were found, and a test
// that needs them should skip.
func (s *Server) SignalSessions(sig os.Signal) int {
	kids := proctree.Descendants(s.PID)
	for _, k := range kids {
		proctree.Signal(k, sig)
	}
	return len(kids)
}

// KillSessions kills the processes serving sshd's connections with
// SIGKILL, as a crash or an out-of-memory kill would, and waits until they
// are gone, so that the clients' connections have been closed by the
// kernel. sshd itself goes on accepting new connections. It returns how
// many processes it killed; 0 means none were found (outside Linux), and a
// test that needs them should skip. A process still there after five
// seconds fails the test.
func (s *Server) KillSessions() int {
	kids := proctree.Descendants(s.PID)
	for _, k := range kids {
		proctree.Signal(k, os.Kill)
	}
	if left := proctree.WaitGone(kids, stopTimeout); len(left) > 0 {
		s.tb.Errorf("sshdtest: %d connection processes outlived SIGKILL by %v", len(left), stopTimeout)
	}
	return len(kids)
}
