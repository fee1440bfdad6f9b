//go:build unix

package servertest

import "syscall"

// processExists reports whether process pid exists (a zombie counts).
func processExists(pid int) bool { return syscall.Kill(pid, 0) == nil }
