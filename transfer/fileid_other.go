//go:build !unix

package transfer

import "io/fs"

// fileID identifies a local directory, for loop detection.
type fileID struct {
	dev, ino uint64
	ok       bool
}

// idOf returns the zero fileID: on this platform only the depth limit
// stops loops.
func idOf(fs.FileInfo) fileID { return fileID{} }
