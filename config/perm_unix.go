//go:build unix

package config

import (
	"fmt"
	"os"
	"syscall"
)

// checkPerm refuses a configuration file that is writable by group or others
// or owned by someone other than the user or root, as OpenSSH does for
// ~/.ssh/config and every included file.
func checkPerm(path string, fi os.FileInfo) error {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if fi.Mode().Perm()&0o022 != 0 || (ok && st.Uid != 0 && int(st.Uid) != os.Getuid()) {
		return fmt.Errorf("bad owner or permissions on %s", path)
	}
	return nil
}
