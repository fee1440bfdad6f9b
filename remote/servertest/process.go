//go:build unix

package servertest

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// daemon is a server process this package started.
type daemon struct {
	cmd      *exec.Cmd
	pid      int
	done     chan struct{} // closed when cmd.Wait has returned
	lines    chan string   // standard output by line, if asked for; closed at its end
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
	cmd.SysProcAttr = sysProcAttr()
	d := &daemon{cmd: cmd, done: make(chan struct{}), logPath: logPath, logStart: start}
	var pr, pw *os.File
	if lines {
		if pr, pw, err = os.Pipe(); err != nil {
			return nil, err
		}
		cmd.Stdout = pw
		d.lines = make(chan string, 16)
	}
	err = cmd.Start()
	if pw != nil {
		pw.Close()
	}
	if err != nil {
		if pr != nil {
			pr.Close()
		}
		return nil, err
	}
	d.pid = cmd.Process.Pid
	if lines {
		go d.readLines(pr)
	}
	go func() {
		_ = cmd.Wait()
		close(d.done)
	}()
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

// exited reports whether the process has ended.
func (d *daemon) exited() bool {
	select {
	case <-d.done:
		return true
	default:
		return false
	}
}

// exitCode returns the exit status of an ended process, or -1.
func (d *daemon) exitCode() int {
	if !d.exited() || d.cmd.ProcessState == nil {
		return -1
	}
	return d.cmd.ProcessState.ExitCode()
}

// newLog returns what the process has written to the log so far.
func (d *daemon) newLog() string {
	b, err := os.ReadFile(d.logPath)
	if err != nil || int64(len(b)) < d.logStart {
		return ""
	}
	return string(b[d.logStart:])
}

// kill ends the process at once and waits for it.
func (d *daemon) kill() {
	_ = d.cmd.Process.Kill()
	<-d.done
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
		if d.exited() {
			if portTaken(d.newLog()) {
				return errPortTaken
			}
			return fmt.Errorf("the server exited before it was ready: %v", d.cmd.ProcessState)
		}
		lastErr = nil
		if ready != nil {
			lastErr = ready()
		}
		if lastErr == nil && pidFile != "" {
			lastErr = pidFileSays(pidFile, d.pid)
		}
		if lastErr == nil {
			lastErr = probeBanner(addr, bannerPrefix)
		}
		if lastErr == nil {
			// The probe's connection process must be gone before
			// a test counts sessions.
			settle(d.pid, deadline)
			if !d.exited() {
				return nil
			}
			continue
		}
		if time.Now().After(deadline) {
			d.kill()
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
	if !strings.HasPrefix(line, prefix) {
		return fmt.Errorf("banner %q, want one starting with %q", strings.TrimSpace(line), prefix)
	}
	return nil
}

// settle waits until pid has no processes below it left, not even
// unreaped ones, or until deadline.
func settle(pid int, deadline time.Time) {
	for len(descendants(pid)) > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
}

// waitGone waits up to d for the processes to end and returns those that
// have not.
func waitGone(procs []procInfo, d time.Duration) []procInfo {
	deadline := time.Now().Add(d)
	for {
		var left []procInfo
		for _, p := range procs {
			if alive(p) {
				left = append(left, p)
			}
		}
		if len(left) == 0 || time.Now().After(deadline) {
			return left
		}
		procs = left
		time.Sleep(10 * time.Millisecond)
	}
}

// waitReaped waits up to d until the processes have not only ended but
// been reaped, so that their ids are gone from /proc.
func waitReaped(procs []procInfo, d time.Duration) {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		left := false
		for _, p := range procs {
			if _, start, ok := readStat(p.pid); ok && start == p.start {
				left = true
				break
			}
		}
		if !left {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// signalProc sends sig to p if it is still the process it was.
func signalProc(p procInfo, sig syscall.Signal) {
	if alive(p) {
		_ = syscall.Kill(p.pid, sig)
	}
}

// stop ends the server's connection processes and then the server: those
// below it get SIGCONT (after a SIGSTOP) and half a second to end on their
// own, as they do when their clients have just closed; then its direct
// children get SIGTERM and whatever is left after stopTimeout SIGKILL.
// The connection processes go first, while the server is still there to
// reap them: once they are orphans, a PID 1 that does not reap (as in some
// containers) would keep them as zombies. Then the server gets SIGTERM,
// and SIGKILL if it is still there after stopTimeout.
func (d *daemon) stop() {
	kids := descendants(d.pid)
	if d.exited() && len(kids) == 0 {
		return
	}
	_ = d.cmd.Process.Signal(syscall.SIGCONT)
	for _, k := range kids {
		signalProc(k, syscall.SIGCONT)
	}
	kids = waitGone(kids, 500*time.Millisecond)
	for _, k := range kids {
		if k.parent == d.pid {
			signalProc(k, syscall.SIGTERM)
		}
	}
	for _, k := range waitGone(kids, stopTimeout) {
		signalProc(k, syscall.SIGKILL)
	}
	settle(d.pid, time.Now().Add(time.Second))
	_ = d.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-d.done:
	case <-time.After(stopTimeout):
		d.kill()
	}
}

// killSessions sends SIGKILL to every process below the server; see
// killTree.
func (d *daemon) killSessions() bool { return killTree(d.pid) }

// signalSessions sends SIGSTOP (stop) or SIGCONT to every process below
// the server; see signalTree.
func (d *daemon) signalSessions(stop bool) bool { return signalTree(d.pid, stop) }

// killTree sends SIGKILL to every process below pid and waits until they
// are gone and reaped. It goes from the deepest processes up, one level at
// a time, and waits for each level to be reaped by its parents before it
// kills those: a process killed before it reaps its children would leave
// them to PID 1 as zombies, which some containers' PID 1 never reaps. It
// reports false where processes cannot be found (outside Linux).
func killTree(pid int) bool {
	if descendantsUnsupported() {
		return false
	}
	kids := descendants(pid)
	for _, k := range kids { // a stopped parent could not reap
		signalProc(k, syscall.SIGCONT)
	}
	depth := map[int]int{pid: 0}
	maxDepth := 0
	for _, k := range kids { // parents come before their children
		depth[k.pid] = depth[k.parent] + 1
		maxDepth = max(maxDepth, depth[k.pid])
	}
	for level := maxDepth; level >= 1; level-- {
		var these []procInfo
		for _, k := range kids {
			if depth[k.pid] == level {
				these = append(these, k)
				signalProc(k, syscall.SIGKILL)
			}
		}
		waitReaped(these, stopTimeout)
	}
	settle(pid, time.Now().Add(stopTimeout))
	return true
}

// signalTree sends SIGSTOP (stop) or SIGCONT to every process below pid.
// It reports false where processes cannot be found.
func signalTree(pid int, stop bool) bool {
	if descendantsUnsupported() {
		return false
	}
	sig := syscall.SIGCONT
	if stop {
		sig = syscall.SIGSTOP
	}
	for _, k := range descendants(pid) {
		signalProc(k, sig)
	}
	return true
}
