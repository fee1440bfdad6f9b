//go:build !linux

package sshdtest

import (
	"os"
	"syscall"
)

// sysProcAttr returns nil: only Linux can tie sshd's life to the test's.
func sysProcAttr() *syscall.SysProcAttr { return nil }

// resumeSignal returns nil: outside Linux a stopped sshd is left to SIGKILL.
func resumeSignal() os.Signal { return nil }

// descendants returns nil: only Linux has a /proc to find sshd's
// per-connection processes in, so only the listener is signalled.
func descendants(int) []proc { return nil }

// sameProcess returns false: outside Linux no process is ever found.
func sameProcess(proc) bool { return false }
