//go:build unix

package journal

import (
	"bytes"
	"os"
	"strconv"
	"syscall"
)

const noFollow = syscall.O_NOFOLLOW

// alive reports whether process pid exists.
func alive(pid int) bool {
	if err := syscall.Kill(pid, 0); err != nil && err != syscall.EPERM {
		return false
	}
	// A killed process nobody has waited for yet is a zombie: gone.
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true // no /proc: the signal's answer stands
	}
	if i := bytes.LastIndexByte(stat, ')'); i >= 0 && i+2 < len(stat) {
		return stat[i+2] != 'Z'
	}
	return true
}
