package demo

import (
	"os"
	"syscall"

	"github.com/pkg/sftp"
)

// The flags statvfs@openssh.com defines; Linux's ST_RDONLY and ST_NOSUID
// have the same values.
const (
	stRdonly = 1
	stNosuid = 2
)

// statVFS describes the file system holding the open file f, as OpenSSH's
// sftp-server does for statvfs@openssh.com.
func statVFS(f *os.File) (*sftp.StatVFS, error) {
	var st syscall.Statfs_t
	if err := syscall.Fstatfs(int(f.Fd()), &st); err != nil {
		return nil, err
	}
	return &sftp.StatVFS{
		Bsize:   uint64(st.Bsize),
		Frsize:  uint64(st.Frsize),
		Blocks:  st.Blocks,
		Bfree:   st.Bfree,
		Bavail:  st.Bavail,
		Files:   st.Files,
		Ffree:   st.Ffree,
		Favail:  st.Ffree,
		Fsid:    uint64(uint32(st.Fsid.X__val[1]))<<32 | uint64(uint32(st.Fsid.X__val[0])),
		Flag:    uint64(st.Flags) & (stRdonly | stNosuid),
		Namemax: uint64(st.Namelen),
	}, nil
}
