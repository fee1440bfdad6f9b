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

// signalTree reports false: without signals and /proc, the connection
// processes cannot be found.
func signalTree(int, bool) bool { return false }
