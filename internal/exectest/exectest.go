// Package exectest writes programs that a test then runs.
//
// A file that one goroutine has open for writing is inherited by any child
// that another goroutine forks at that moment, until the child calls exec.
// Running the new program during that window fails with ETXTBSY ("text file
// busy"), which made parallel tests fail at random (golang.org/issue/22315).
// Holding syscall.ForkLock for reading while the file is open keeps every fork
// of this process out of the window.
package exectest

import (
	"io"
	"os"
	"syscall"
)

// WriteFile creates the new executable file path (mode 0755) holding data.
func WriteFile(path string, data []byte) error {
	syscall.ForkLock.RLock()
	defer syscall.ForkLock.RUnlock()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o755)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// CopyFile copies the regular file src to the new executable file dst (mode
// 0700).
func CopyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	syscall.ForkLock.RLock()
	defer syscall.ForkLock.RUnlock()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o700)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
