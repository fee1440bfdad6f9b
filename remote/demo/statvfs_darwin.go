package demo

import (
	"os"
	"syscall"

	"github.com/pkg/sftp"
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
		Frsize:  uint64(st.Bsize),
		Blocks:  st.Blocks,
		Bfree:   st.Bfree,
		Bavail:  st.Bavail,
		Files:   st.Files,
		Ffree:   st.Ffree,
		Favail:  st.Ffree,
		Fsid:    uint64(uint32(st.Fsid.Val[1]))<<32 | uint64(uint32(st.Fsid.Val[0])),
		Flag:    vfsFlags(st.Flags),
		Namemax: 1024, // MAXPATHLEN
	}, nil
}

// vfsFlags maps the mount flags MNT_RDONLY and MNT_NOSUID to the flags of
// statvfs@openssh.com.
func vfsFlags(mnt uint32) uint64 {
	var f uint64
	if mnt&0x1 != 0 { // MNT_RDONLY
		f |= 1
	}
	if mnt&0x8 != 0 { // MNT_NOSUID
		f |= 2
	}
	return f
}
