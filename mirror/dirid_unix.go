//go:build unix

package mirror

import (
	"io/fs"
	"syscall"
)

// dirID identifies a directory on the local disk by device and inode;
// ok is false for a remote one (SFTP has no inode numbers).
type dirID struct {
	dev, ino uint64
	ok       bool
}

// idOf returns fi's device and inode when fi comes from the local disk.
func idOf(fi fs.FileInfo) dirID {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return dirID{dev: uint64(st.Dev), ino: uint64(st.Ino), ok: true}
	}
	return dirID{}
}
