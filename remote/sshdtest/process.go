package sshdtest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/ferry-tui/ferry/remote/internal/proctree"
	"github.com/ferry-tui/ferry/remote/internal/testhost"
)

const (
	// readyTimeout bounds how long Start waits for sshd to answer.
	readyTimeout = 10 * time.Second
	// stopTimeout is how long Stop waits after SIGTERM before SIGKILL.
	stopTimeout = 5 * time.Second
)

// launch starts sshd with the config at cfgPath and waits until it is
// ready; if it does not become ready, launch kills it and says why.
func (s *Server) launch(bin, cfgPath string) error {
	_ = os.Remove(s.pidPath)
	// sshd appends its log to LogPath (-E); errors it writes before it has
	// opened the log go to the same file through stderr. -r: a connection's
	// process is sshd forked, not sshd run again; the re-run (a fresh
	// address-space layout for each connection, a defence for real
	// servers) halves what a test's connections cost in CPU.
	logf, err := os.OpenFile(s.LogPath, os.O_CREATE|os.O_WRONLY|os.O_TRUNC|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	cmd := exec.Command(bin, "-D", "-r", "-f", cfgPath, "-E", s.LogPath)
	cmd.Stdout, cmd.Stderr = logf, logf
	d, err := proctree.Start(cmd)
	logf.Close()
	if err != nil {
		return err
	}
	s.sshd, s.PID = d, d.PID
	if err := s.waitReady(); err != nil {
		d.Kill()
		return err
	}
	return nil
}

// waitReady waits until sshd has written its PidFile (which it does once it
// is listening) and answers on its port with an SSH banner.
func (s *Server) waitReady() error {
	deadline := time.Now().Add(readyTimeout)
	lastErr := errors.New("no PidFile yet")
	for {
		if s.sshd.Exited() {
			return fmt.Errorf("sshd exited before it was ready: %v", s.sshd.Cmd.ProcessState)
		}
		if b, err := os.ReadFile(s.pidPath); err == nil && len(strings.TrimSpace(string(b))) > 0 {
			pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
			if err != nil || pid != s.PID {
				return fmt.Errorf("PidFile %s says %q, but sshd is process %d", s.pidPath, b, s.PID)
			}
			lastErr = probeBanner(s.Addr)
			if lastErr == nil && !s.sshd.Exited() {
				// The probe's connection process must not count
				// against a test's MaxStartups.
				proctree.Settle(s.PID, deadline)
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("sshd not ready on %s after %v: %v", s.Addr, readyTimeout, lastErr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// probeBanner connects to addr and reads the server's SSH version line.
func probeBanner(addr string) error {
	line, err := testhost.ReadBanner(addr)
	if err != nil {
		return err
	}
	if !strings.HasPrefix(line, "SSH-2.0-") {
		return fmt.Errorf("not an SSH banner: %q", line)
	}
	return nil
}

// Stop stops sshd and the processes serving its connections: SIGTERM
// first, SIGKILL for what is left after five seconds. Start arranges for
// Stop to run when the test ends; calling it earlier, for example to see
// how a client copes with a vanished server, is fine, and so is calling it
// again.
func (s *Server) Stop() {
	s.stopOnce.Do(s.stop)
}

// stop is Stop without the once; see proctree.Daemon.Stop.
func (s *Server) stop() {
	if s.sshd.Stop(proctree.ResumeSignal(), stopTimeout) {
		s.tb.Logf("sshdtest: sshd (process %d) outlived SIGTERM by %v; killing it", s.PID, stopTimeout)
	}
}

// Signal sends sig to sshd and, where they can be found (Linux), to the
// processes serving its connections, which sshd puts outside its own
// process group. Sending SIGSTOP freezes the server, connections and all,
// until SIGCONT. Failing to signal sshd itself fails the test.
func (s *Server) Signal(sig os.Signal) {
	// The listener first, so that it forks no connection process that
	// the search below would miss.
	if err := s.sshd.Cmd.Process.Signal(sig); err != nil {
		s.tb.Errorf("sshdtest: signal sshd (process %d): %v", s.PID, err)
	}
	for _, k := range proctree.Descendants(s.PID) {
		proctree.Signal(k, sig)
	}
}
