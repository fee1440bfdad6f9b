//go:build unix

package servertest

import (
	"syscall"
	"testing"
)

// processExists reports whether process pid exists (a zombie counts).
func processExists(pid int) bool { return syscall.Kill(pid, 0) == nil }

// descendantsOf returns the processes below pid.
func descendantsOf(t *testing.T, pid int) []procInfo {
	t.Helper()
	return descendants(pid)
}
