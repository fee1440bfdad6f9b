//go:build unix

package servertest

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/ferry-tui/ferry/remote/internal/proctree"
	"github.com/ferry-tui/ferry/remote/internal/testhost"
)

// daemon is a server process this package started, with its log.
type daemon struct {
	*proctree.Daemon
	lines    chan string // standard output by line, if asked for; closed at its end
	logPath  string
	logStart int64 // the size of the log before this process wrote to it
}

// spawn starts argv in dir with env added to the test's environment, its
// standard error (and, unless lines, its standard output) appended to
// logPath. With lines, standard output arrives on d.lines instead, each
// line also copied to the log.
func spawn(logPath, dir string, env []string, lines bool, argv ...string) (*daemon, error) {
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	var start int64
	if fi, err := logf.Stat(); err == nil {
		start = fi.Size()
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = logf, logf
	d := &daemon{logPath: logPath, logStart: start}
	var pr, pw *os.File
	if lines {
		if pr, pw, err = os.Pipe(); err != nil {
			return nil, err
		}
		cmd.Stdout = pw
		d.lines = make(chan string, 16)
	}
	d.Daemon, err = proctree.Start(cmd)
	if pw != nil {
		pw.Close()
	}
	if err != nil {
		if pr != nil {
			pr.Close()
		}
		return nil, err
	}
	if lines {
		go d.readLines(pr)
	}
	return d, nil
}

// readLines sends the lines of r to d.lines, copying them to the log,
// and closes d.lines at the end of r.
func (d *daemon) readLines(r io.ReadCloser) {
	defer close(d.lines)
	defer r.Close()
	logf, err := os.OpenFile(d.logPath, os.O_WRONLY|os.O_APPEND, 0o600)
	if err == nil {
		defer logf.Close()
	}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if logf != nil {
			fmt.Fprintf(logf, "servertest: server's standard output: %s\n", sc.Text())
		}
		d.lines <- sc.Text()
	}
}

// exitCode returns the exit status of an ended process, or -1.
func (d *daemon) exitCode() int {
	if !d.Exited() || d.Cmd.ProcessState == nil {
		return -1
	}
	return d.Cmd.ProcessState.ExitCode()
}

// newLog returns what the process has written to the log so far.
func (d *daemon) newLog() string {
	b, err := os.ReadFile(d.logPath)
	if err != nil || int64(len(b)) < d.logStart {
		return ""
	}
	return string(b[d.logStart:])
}

// waitReady waits until the process answers on addr with an SSH banner
// starting with bannerPrefix and, if pidFile is not "", has written its
// id there; ready, if not nil, is a further condition checked first. If
// the process ends first, waitReady says why, with errPortTaken if its log
// says so; if it is not ready in time, waitReady kills it.
func (d *daemon) waitReady(addr, pidFile, bannerPrefix string, ready func() error) error {
	deadline := time.Now().Add(readyTimeout)
	var lastErr error
	for {
		if d.Exited() {
			if portTaken(d.newLog()) {
				return errPortTaken
			}
			return fmt.Errorf("the server exited before it was ready: %v", d.Cmd.ProcessState)
		}
		lastErr = nil
		if ready != nil {
			lastErr = ready()
		}
		if lastErr == nil && pidFile != "" {
			lastErr = pidFileSays(pidFile, d.PID)
		}
		if lastErr == nil {
			lastErr = probeBanner(addr, bannerPrefix)
		}
		if lastErr == nil {
			// The probe's connection process must be gone before
			// a test counts sessions.
			proctree.Settle(d.PID, deadline)
			if !d.Exited() {
				return nil
			}
			continue
		}
		if time.Now().After(deadline) {
			d.Kill()
			return fmt.Errorf("not ready on %s after %v: %v", addr, readyTimeout, lastErr)
		}
		time.Sleep(pollInterval)
	}
}

// pidFileSays checks that path holds pid.
func pidFileSays(path string, pid int) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("no PID file yet: %w", err)
	}
	got, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		return fmt.Errorf("PID file %s says %q", path, b)
	}
	if got != pid {
		return fmt.Errorf("PID file %s says %d, but the server is process %d", path, got, pid)
	}
	return nil
}

// portTaken reports whether a server's log says it could not listen
// because the port was in use.
func portTaken(log string) bool {
	return strings.Contains(strings.ToLower(log), "address already in use")
}

// probeBanner connects to addr and reads the server's SSH version line,
// which must start with prefix.
func probeBanner(addr, prefix string) error {
	line, err := testhost.ReadBanner(addr)
	if err != nil {
		return err
	}
	if !strings.HasPrefix(line, prefix) {
		return fmt.Errorf("banner %q, want one starting with %q", strings.TrimSpace(line), prefix)
	}
	return nil
}

// stop ends the server's connection processes and then the server, which
// gets SIGCONT first (after a SIGSTOP); see proctree.Daemon.Stop.
func (d *daemon) stop() { d.Stop(syscall.SIGCONT, stopTimeout) }

// killSessions sends SIGKILL to every process below the server; see
// proctree.KillTree.
func (d *daemon) killSessions() bool { return proctree.KillTree(d.PID, stopTimeout) }

// signalSessions sends SIGSTOP (stop) or SIGCONT to every process below
// the server; see signalTree.
func (d *daemon) signalSessions(stop bool) bool { return signalTree(d.PID, stop) }

// signalTree sends SIGSTOP (stop) or SIGCONT to every process below pid.
// It reports false where processes cannot be found.
func signalTree(pid int, stop bool) bool {
	if !proctree.Supported() {
		return false
	}
	sig := syscall.SIGCONT
	if stop {
		sig = syscall.SIGSTOP
	}
	for _, k := range proctree.Descendants(pid) {
		proctree.Signal(k, sig)
	}
	return true
}
