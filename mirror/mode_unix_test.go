//go:build unix

package mirror

import (
	"io/fs"
	"syscall"
)

// fileID is fi's inode number.
func fileID(fi fs.FileInfo) uint64 { return fi.Sys().(*syscall.Stat_t).Ino }
