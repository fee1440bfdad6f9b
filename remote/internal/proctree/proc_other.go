//go:build !linux

package proctree

import (
	"os"
	"syscall"
)

// SysProcAttr returns nil: only Linux can tie a server's life to the
// test's.
func SysProcAttr() *syscall.SysProcAttr { return nil }

// ResumeSignal returns nil: outside Linux a stopped process is left to
// SIGKILL.
func ResumeSignal() os.Signal { return nil }

// Supported reports that processes cannot be found here.
func Supported() bool { return false }

// Descendants returns nil: only Linux has a /proc to find per-connection
// processes in, so only a server itself can be signalled.
func Descendants(int) []Proc { return nil }

// Alive returns false: outside Linux no process is ever found.
func Alive(Proc) bool { return false }

// present returns false: outside Linux no process is ever found.
func present(Proc) bool { return false }
