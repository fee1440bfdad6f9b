package proctree

import (
	"os"
	"os/exec"
	"syscall"
	"time"
)

// endGrace is how long Stop lets the processes below a daemon end on
// their own before it ends them. A process whose client has just closed
// ends within milliseconds; one whose client is still connected (a test
// stopping or restarting a server under a client) does not end on its
// own, and Stop waits all of endGrace before it ends that one.
const endGrace = 100 * time.Millisecond

// Daemon is a server process that a harness started and waits for in the
// background.
type Daemon struct {
	// Cmd is the started command; its ProcessState is set once the
	// process has ended.
	Cmd *exec.Cmd
	// PID is the process id.
	PID  int
	done chan struct{} // closed when Cmd.Wait has returned
}

// Start starts cmd with SysProcAttr and waits for it in the background.
func Start(cmd *exec.Cmd) (*Daemon, error) {
	cmd.SysProcAttr = SysProcAttr()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	d := &Daemon{Cmd: cmd, PID: cmd.Process.Pid, done: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		close(d.done)
	}()
	return d, nil
}

// Exited reports whether the process has ended.
func (d *Daemon) Exited() bool {
	select {
	case <-d.done:
		return true
	default:
		return false
	}
}

// Kill ends the process at once and waits for it.
func (d *Daemon) Kill() {
	_ = d.Cmd.Process.Kill()
	<-d.done
}

// Stop ends the processes below the daemon and then the daemon. The daemon
// gets resume first unless it is nil (SIGCONT, after a SIGSTOP). The
// processes below it go next, while it is still there to reap them: once
// they are orphans, a PID 1 that does not reap (as in some containers)
// would keep them as zombies. They get ResumeSignal and endGrace to end on
// their own, as they do when their clients have just closed; then the
// daemon's direct children get SIGTERM (each ends its own children)
// and whatever is left after timeout SIGKILL, and Stop waits up to a
// second until the daemon has reaped them. Then the daemon gets SIGTERM,
// and SIGKILL if it is still there after timeout: Stop reports whether
// that was needed.
func (d *Daemon) Stop(resume os.Signal, timeout time.Duration) (killed bool) {
	kids := Descendants(d.PID)
	if d.Exited() && len(kids) == 0 {
		return false
	}
	if resume != nil {
		_ = d.Cmd.Process.Signal(resume)
	}
	if r := ResumeSignal(); r != nil {
		for _, k := range kids {
			Signal(k, r)
		}
	}
	kids = WaitGone(kids, endGrace)
	for _, k := range kids {
		if k.Parent == d.PID {
			Signal(k, syscall.SIGTERM)
		}
	}
	for _, k := range WaitGone(kids, timeout) {
		Signal(k, os.Kill)
	}
	Settle(d.PID, time.Now().Add(time.Second))
	_ = d.Cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-d.done:
		return false
	case <-time.After(timeout):
		d.Kill()
		return true
	}
}
