// Package proctree starts, signals and stops the server processes that
// the test harnesses sshdtest and servertest run, and finds, signals and
// waits for the processes below them: the per-connection processes that
// OpenSSH, ProFTPD and Dropbear fork, which put themselves in sessions of
// their own and so are not in the server's process group. Only Linux, with
// its /proc, lets those be found; elsewhere Descendants finds nothing and
// Supported says so.
package proctree

import (
	"os"
	"time"
)

// Proc is a process found below another, with its start time so that a
// later signal does not hit another process that reused the id.
type Proc struct {
	// PID is the process id.
	PID int
	// Parent is the id of the process's parent when it was found.
	Parent int
	// Start is the process's start time as /proc gives it.
	Start string
}

// Signal sends sig to p if it is still the process Descendants found (see
// Alive), ignoring one that has gone.
func Signal(p Proc, sig os.Signal) {
	if !Alive(p) {
		return
	}
	if proc, err := os.FindProcess(p.PID); err == nil {
		_ = proc.Signal(sig)
		_ = proc.Release()
	}
}

// WaitGone waits up to d for the processes to end and returns those that
// have not.
func WaitGone(procs []Proc, d time.Duration) []Proc {
	deadline := time.Now().Add(d)
	for {
		var left []Proc
		for _, p := range procs {
			if Alive(p) {
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
func waitReaped(procs []Proc, d time.Duration) {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		left := false
		for _, p := range procs {
			if present(p) {
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

// Settle waits until pid has no processes below it left, not even
// unreaped ones, or until deadline. Where Descendants cannot see them, it
// returns at once.
func Settle(pid int, deadline time.Time) {
	for len(Descendants(pid)) > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
}

// KillTree sends SIGKILL to every process below pid and waits until they
// are gone and reaped, up to timeout for each level. It goes from the
// deepest processes up, one level at a time, and waits for each level to
// be reaped by its parents before it kills those: a process killed before
// it reaps its children would leave them to PID 1 as zombies, which some
// containers' PID 1 never reaps. It reports false where processes cannot
// be found (see Supported).
func KillTree(pid int, timeout time.Duration) bool {
	if !Supported() {
		return false
	}
	kids := Descendants(pid)
	if r := ResumeSignal(); r != nil {
		for _, k := range kids { // a stopped parent could not reap
			Signal(k, r)
		}
	}
	depth := map[int]int{pid: 0}
	maxDepth := 0
	for _, k := range kids { // parents come before their children
		depth[k.PID] = depth[k.Parent] + 1
		maxDepth = max(maxDepth, depth[k.PID])
	}
	for level := maxDepth; level >= 1; level-- {
		var these []Proc
		for _, k := range kids {
			if depth[k.PID] == level {
				these = append(these, k)
				Signal(k, os.Kill)
			}
		}
		waitReaped(these, timeout)
	}
	Settle(pid, time.Now().Add(timeout))
	return true
}
