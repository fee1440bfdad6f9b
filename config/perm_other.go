//go:build !unix

package config

import "os"

// checkPerm accepts every file: ownership checks are Unix-only.
func checkPerm(string, os.FileInfo) error { return nil }
