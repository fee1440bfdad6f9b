//go:build unix

package transfer

import (
	"io/fs"
	"syscall"
)

// fileID identifies a local directory, for loop detection.
type fileID struct {
	dev, ino uint64
	ok       bool
}

// idOf returns fi's device and inode when fi comes from the local disk.
func idOf(fi fs.FileInfo) fileID {
	if fi == nil {
		return fileID{}
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return fileID{dev: uint64(st.Dev), ino: uint64(st.Ino), ok: true}
	}
	return fileID{}
}
