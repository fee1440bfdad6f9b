package transfer

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
)

// Suffixes of the files the engine leaves beside a target: the temporary
// file being written, its resume record, and the backup a non-atomic
// replace makes for a moment.
const (
	partSuffix   = ".ferry-part"
	metaSuffix   = ".meta"
	backupSuffix = ".ferry-old"
	// maxNameLen is NAME_MAX on the file systems ferry meets.
	maxNameLen = 255
)

// validName reports whether name, as listed by a directory, is one safe
// path element: not empty, not "." or "..", without a slash or NUL.
func validName(name string) bool {
	return name != "" && name != "." && name != ".." && !strings.ContainsAny(name, "/\x00")
}

// hiddenName returns "." + name + suffix, or, when that would be too long
// for a directory entry (with room for ".meta"), a name derived from a
// hash of name.
func hiddenName(name, suffix string) string {
	n := "." + name + suffix
	if len(n)+len(metaSuffix) <= maxNameLen {
		return n
	}
	sum := sha256.Sum256([]byte(name))
	return ".ferry-" + hex.EncodeToString(sum[:12]) + suffix
}

// TempPath is where a copy to dst on fsys is written before it is renamed
// into place: ".NAME.ferry-part" in the same directory.
func TempPath(fsys FS, dst string) string { return tempPath(fsys, dst) }

// tempPath is TempPath.
func tempPath(fsys FS, dst string) string {
	return fsys.Join(fsys.Dir(dst), hiddenName(fsys.Base(dst), partSuffix))
}

// metaPath is the resume record beside the temporary file tmp.
func metaPath(tmp string) string { return tmp + metaSuffix }

// backupPath is where a non-atomic replace moves the old dst for a moment.
func backupPath(fsys FS, dst string) string {
	return fsys.Join(fsys.Dir(dst), hiddenName(fsys.Base(dst), backupSuffix))
}

// numbered returns the n-th "keep both" variant of name: "a.txt" becomes
// "a (1).txt", ".bashrc" becomes ".bashrc (1)".
func numbered(name string, n int) string {
	stem, ext := name, ""
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		stem, ext = name[:i], name[i:]
	}
	return stem + " (" + strconv.Itoa(n) + ")" + ext
}

// Within reports whether child is parent or lies below it; both are clean
// paths of one file system whose separator is sep.
func Within(parent, child, sep string) bool {
	if child == parent {
		return true
	}
	if !strings.HasSuffix(parent, sep) {
		parent += sep
	}
	return strings.HasPrefix(child, parent)
}
