package sshdtest

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

const (
	// readyTimeout bounds how long Start waits for sshd to answer.
	readyTimeout = 10 * time.Second
	// stopTimeout is how long Stop waits after SIGTERM before SIGKILL.
	stopTimeout = 5 * time.Second
)

// proc is a process found below sshd, with its start time so that a later
// signal does not hit another process that reused the id.
type proc struct {
	pid, parent int
	start       string
}

// launch starts sshd with the config at cfgPath and waits until it is
// ready; if it does not become ready, launch kills it and says why.
func (s *Server) launch(bin, cfgPath string) error {
	_ = os.Remove(s.pidPath)
	// sshd appends its log to LogPath (-E); errors it writes before it has
	// opened the log go to the same file through stderr.
	logf, err := os.OpenFile(s.LogPath, os.O_CREATE|os.O_WRONLY|os.O_TRUNC|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	cmd := exec.Command(bin, "-D", "-f", cfgPath, "-E", s.LogPath)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = sysProcAttr()
	err = cmd.Start()
	logf.Close()
	if err != nil {
		return err
	}
	done := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(done)
	}()
	s.cmd, s.done, s.PID = cmd, done, cmd.Process.Pid
	if err := s.waitReady(); err != nil {
		_ = cmd.Process.Kill()
		<-done
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
		if s.exited() {
			return fmt.Errorf("sshd exited before it was ready: %v", s.cmd.ProcessState)
		}
		if b, err := os.ReadFile(s.pidPath); err == nil && len(strings.TrimSpace(string(b))) > 0 {
			pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
			if err != nil || pid != s.PID {
				return fmt.Errorf("PidFile %s says %q, but sshd is process %d", s.pidPath, b, s.PID)
			}
			lastErr = probeBanner(s.Addr)
			if lastErr == nil && !s.exited() {
				// The probe's connection process must not count
				// against a test's MaxStartups.
				s.settle(deadline)
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
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(2 * time.Second))
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return fmt.Errorf("read SSH banner: %w", err)
	}
	if !strings.HasPrefix(line, "SSH-2.0-") {
		return fmt.Errorf("not an SSH banner: %q", line)
	}
	return nil
}

// settle waits until sshd has no connection processes left, not even
// unreaped ones, or until deadline. Where descendants cannot see them, it
// returns at once.
func (s *Server) settle(deadline time.Time) {
	for len(descendants(s.PID)) > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
}

// exited reports whether the sshd process has ended.
func (s *Server) exited() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// Stop stops sshd and the processes serving its connections: SIGTERM
// first, SIGKILL for what is left after five seconds. Start arranges for
// Stop to run when the test ends; calling it earlier, for example to see
// how a client copes with a vanished server, is fine, and so is calling it
// again.
func (s *Server) Stop() {
	s.stopOnce.Do(s.stop)
}

// stop is Stop without the once. The connection processes go first, while
// sshd is still there to reap them: once they are orphans, a PID 1 that
// does not reap (as in some containers) would keep them as zombies.
func (s *Server) stop() {
	kids := descendants(s.PID)
	if s.exited() && len(kids) == 0 {
		return
	}
	if r := resumeSignal(); r != nil { // after a SIGSTOP
		_ = s.cmd.Process.Signal(r)
		for _, k := range kids {
			signalPID(k.pid, r)
		}
	}
	// Clients closed by their cleanups just before are usually gone
	// within milliseconds.
	kids = waitGone(kids, 500*time.Millisecond)
	for _, k := range kids {
		if k.parent == s.PID { // each reaps and ends its own children
			signalPID(k.pid, syscall.SIGTERM)
		}
	}
	for _, k := range waitGone(kids, stopTimeout) {
		signalPID(k.pid, os.Kill)
	}
	s.settle(time.Now().Add(time.Second)) // until sshd has reaped them
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(stopTimeout):
		s.tb.Logf("sshdtest: sshd (process %d) outlived SIGTERM by %v; killing it", s.PID, stopTimeout)
		_ = s.cmd.Process.Kill()
		<-s.done
	}
}

// waitGone waits up to d for the processes to end and returns those that
// have not.
func waitGone(procs []proc, d time.Duration) []proc {
	deadline := time.Now().Add(d)
	for {
		var alive []proc
		for _, p := range procs {
			if sameProcess(p) {
				alive = append(alive, p)
			}
		}
		if len(alive) == 0 || time.Now().After(deadline) {
			return alive
		}
		procs = alive
		time.Sleep(10 * time.Millisecond)
	}
}

// Signal sends sig to sshd and, where they can be found (Linux), to the
// processes serving its connections, which sshd puts outside its own
// process group. Sending SIGSTOP freezes the server, connections and all,
// until SIGCONT. Failing to signal sshd itself fails the test.
func (s *Server) Signal(sig os.Signal) {
	// The listener first, so that it forks no connection process that
	// the search below would miss.
	if err := s.cmd.Process.Signal(sig); err != nil {
		s.tb.Errorf("sshdtest: signal sshd (process %d): %v", s.PID, err)
	}
	for _, k := range descendants(s.PID) {
		signalPID(k.pid, sig)
	}
}

// signalPID sends sig to process pid, ignoring a process that has gone.
func signalPID(pid int, sig os.Signal) {
	if p, err := os.FindProcess(pid); err == nil {
		_ = p.Signal(sig)
	}
}
