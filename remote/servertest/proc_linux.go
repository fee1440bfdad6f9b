package servertest

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// This file follows sshdtest's proc_linux.go.

// sysProcAttr has the kernel kill a server if the test binary dies without
// running its cleanups (a panic or a -timeout kill).
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

// descendants returns the processes below pid, read from /proc: a
// server's per-connection processes and whatever they started.
func descendants(pid int) []procInfo {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	children := make(map[int][]procInfo)
	for _, f := range stats {
		self, err := strconv.Atoi(filepath.Base(filepath.Dir(f)))
		if err != nil {
			continue
		}
		parent, start, ok := readStat(self)
		if ok {
			children[parent] = append(children[parent], procInfo{pid: self, parent: parent, start: start})
		}
	}
	var out []procInfo
	queue := children[pid]
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		out = append(out, p)
		queue = append(queue, children[p.pid]...)
	}
	return out
}

// descendantsUnsupported reports that processes can be found here.
func descendantsUnsupported() bool { return false }

// alive reports whether p is still running as the process it was when
// descendants found it, and not as a new process that reused its id or a
// zombie nobody has reaped yet.
func alive(p procInfo) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(p.pid) + "/stat")
	if err != nil {
		return false
	}
	fields, ok := statFields(b)
	return ok && fields[19] == p.start && fields[0] != "Z"
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
