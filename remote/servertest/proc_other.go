//go:build unix && !linux

package servertest

import "syscall"

// sysProcAttr returns nil: only Linux can tie a server's life to the
// test's.
func sysProcAttr() *syscall.SysProcAttr { return nil }

// descendants returns nil: only Linux has a /proc to find per-connection
// processes in, so KillSessions and StopSessions find nothing to signal.
func descendants(int) []procInfo { return nil }

// descendantsUnsupported reports that processes cannot be found here.
func descendantsUnsupported() bool { return true }

// alive returns false: outside Linux no process is ever found.
func alive(procInfo) bool { return false }

// readStat reports false: outside Linux no process is ever found.
func readStat(int) (parent int, start string, ok bool) { return 0, "", false }
