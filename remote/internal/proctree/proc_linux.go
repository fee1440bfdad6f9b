package proctree

import (
	"errors"
	"io/fs"
	"os"
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
// they started. It follows the children files of pid's threads down
// (/proc/PID/task/TID/children), which costs a few reads per process
// found; a kernel without them has every process in /proc read instead,
// which on a busy machine costs tens of milliseconds a call.
func Descendants(pid int) []Proc {
	var out []Proc
	queue := []int{pid}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		kids, ok := children(p)
		if !ok {
			return scanDescendants(pid)
		}
		for _, k := range kids {
			parent, start, ok := readStat(k)
			if !ok || parent != p {
				continue // gone, or no longer p's
			}
			out = append(out, Proc{PID: k, Parent: p, Start: start})
			queue = append(queue, k)
		}
	}
	return out
}

// children returns the ids of pid's children, unreaped ones included, from
// the children files of its threads; none if pid has gone. ok is false if
// the kernel has no children files.
func children(pid int) (kids []int, ok bool) {
	dir := "/proc/" + strconv.Itoa(pid) + "/task/"
	tids, err := readNames(dir)
	if err != nil {
		return nil, true // the process has gone
	}
	for _, tid := range tids {
		b, err := os.ReadFile(dir + tid + "/children")
		if errors.Is(err, fs.ErrNotExist) {
			if _, serr := os.Stat(dir + tid); serr == nil {
				return nil, false // the thread is there, its children file is not
			}
		}
		if err != nil {
			continue // the thread has ended
		}
		for _, f := range strings.Fields(string(b)) {
			if n, err := strconv.Atoi(f); err == nil {
				kids = append(kids, n)
			}
		}
	}
	return kids, true
}

// readNames returns the names in the directory dir.
func readNames(dir string) ([]string, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.Readdirnames(-1)
}

// scanDescendants is Descendants for a kernel without children files: it
// reads the parent of every process in /proc.
func scanDescendants(pid int) []Proc {
	names, _ := readNames("/proc")
	children := make(map[int][]Proc)
	for _, name := range names {
		self, err := strconv.Atoi(name)
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
