//go:build unix

package auth

import (
	"fmt"
	"os"
	"syscall"
)

// checkKeyPermissions refuses a private key file of the current user that
// group or others may access, with OpenSSH's warning (sshkey_perm_ok). A
// file owned by someone else is not checked, as in OpenSSH.
func checkKeyPermissions(f *os.File, path string) error {
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("load key %q: %w", path, err)
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || int(st.Uid) != os.Getuid() || fi.Mode().Perm()&0o077 == 0 {
		return nil
	}
	return fmt.Errorf("@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n"+
		"@         WARNING: UNPROTECTED PRIVATE KEY FILE!          @\n"+
		"@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n"+
		"Permissions 0%03o for '%s' are too open.\n"+
		"It is required that your private key files are NOT accessible by others.\n"+
		"This private key will be ignored.\n"+
		"Load key %q: bad permissions", fi.Mode().Perm(), path, path)
}
