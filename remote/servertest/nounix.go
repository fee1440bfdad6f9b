//go:build !unix

package servertest

import "testing"

// newProFTPD skips t: the process kinds need a Unix system.
func newProFTPD(t testing.TB, _ *Server) backend {
	t.Helper()
	missing(t, "ProFTPD runs only on Unix systems here")
	return nil
}

// newAsyncSSH skips t: the process kinds need a Unix system.
func newAsyncSSH(t testing.TB, _ *Server) backend {
	t.Helper()
	missing(t, "the AsyncSSH server runs only on Unix systems here")
	return nil
}

// newDropbear skips t: the process kinds need a Unix system.
func newDropbear(t testing.TB, _ *Server) backend {
	t.Helper()
	missing(t, "Dropbear runs only on Unix systems here")
	return nil
}

// killTree reports false: without signals and /proc, sshd's connection
// processes cannot be found.
func killTree(int) bool { return false }

// signalTree reports false, as killTree does.
func signalTree(int, bool) bool { return false }

// descendants returns nil: processes cannot be found here.
func descendants(int) []procInfo { return nil }

// alive returns false: processes cannot be found here.
func alive(procInfo) bool { return false }
