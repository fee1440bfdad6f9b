//go:build !linux && !darwin

package demo

import (
	"os"

	"github.com/pkg/sftp"
)

// statVFS says that statvfs@openssh.com is not supported here.
func statVFS(*os.File) (*sftp.StatVFS, error) {
	return nil, sftp.ErrSSHFxOpUnsupported
}
