//go:build !unix

package auth

import "os"

// checkKeyPermissions accepts every file: outside Unix, file modes do not
// say who may read a key.
func checkKeyPermissions(*os.File, string) error { return nil }
