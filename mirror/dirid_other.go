//go:build !unix

package mirror

import "io/fs"

// dirID identifies a directory where the system tells; here it does not.
type dirID struct {
	dev, ino uint64
	ok       bool
}

// idOf returns no identity.
func idOf(fs.FileInfo) dirID { return dirID{} }
