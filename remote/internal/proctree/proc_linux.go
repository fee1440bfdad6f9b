package proctree

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// SysProcAttr has the kernel kill a server if the test binary dies without
// running its cleanups (a panic or a -timeout kill).
func SysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

// ResumeSignal returns SIGCONT, which a stopped process needs before it can
// act on SIGTERM.
func ResumeSignal() os.Signal { return syscall.SIGCONT }

// Supported reports that processes can be found here.
func Supported() bool { return true }

// Descendants returns the processes below pid, read from /proc, parents
// before their children: a server's per-connection processes and whatever
// they started.
func Descendants(pid int) []Proc {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	children := make(map[int][]Proc)
	for _, f := range stats {
		self, err := strconv.Atoi(filepath.Base(filepath.Dir(f)))
		if err != nil {
			continue
		}
		parent, start, ok := readStat(self)
		if ok {
			children[parent] = append(children[parent], Proc{PID: self, Parent: parent, Start: start})
		}
	}
	var out []Proc
	queue := children[pid]
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		out = append(out, p)
		queue = append(queue, children[p.PID]...)
	}
	return out
}

// Alive reports whether p is still running as the process it was when
// Descendants found it, and not as a new process that reused its id or a
// zombie nobody has reaped yet.
func Alive(p Proc) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(p.PID) + "/stat")
	if err != nil {
		return false
	}
	fields, ok := statFields(b)
	return ok && fields[19] == p.Start && fields[0] != "Z"
}

// present reports whether p is still in /proc, running or a zombie.
func present(p Proc) bool {
	_, start, ok := readStat(p.PID)
	return ok && start == p.Start
}

// readStat returns the parent id and start time of process pid.
func readStat(pid int) (parent int, start string, ok bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, "", false // the process has gone
	}
	fields, ok := statFields(b)
	if !ok {
		return 0, "", false
	}
	parent, err = strconv.Atoi(fields[1])
	if err != nil {
		return 0, "", false
	}
	return parent, fields[19], true
}

// statFields splits /proc/PID/stat from field 3 (the state) on: field 4 is
// then at index 1 (the parent id) and field 22 at index 19 (the start
// time). The command name before them is in parentheses and may contain
// anything, so the split starts after the last ')'.
func statFields(b []byte) ([]string, bool) {
	s := string(b)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	return fields, len(fields) >= 20
}
