package demo

import (
	"io"
	"io/fs"
	"os"
	"os/user"
	"syscall"

	"github.com/pkg/sftp"
)

// newFileMode and newDirMode are the permission bits of files and
// directories the demo creates, before the process's umask, as pkg/sftp's
// own server gives them. (Its request server does not pass on the
// permissions a client may send with SSH_FXP_OPEN.)
const (
	newFileMode fs.FileMode = 0o644
	newDirMode  fs.FileMode = 0o755
)

// handlers answers the requests of SFTP sessions inside a jail. Reads and
// writes go to *os.File's ReadAt and WriteAt, so the request server runs
// them concurrently, as pkg/sftp's plain server does.
type handlers struct {
	j *jail
}

var (
	_ sftp.FileReader           = handlers{}
	_ sftp.OpenFileWriter       = handlers{}
	_ sftp.PosixRenameFileCmder = handlers{}
	_ sftp.StatVFSFileCmder     = handlers{}
	_ sftp.LstatFileLister      = handlers{}
	_ sftp.ReadlinkFileLister   = handlers{}
	_ sftp.NameLookupFileLister = handlers{}
)

// sftpHandlers returns h as the four handlers of a request server.
func (h handlers) sftpHandlers() sftp.Handlers {
	return sftp.Handlers{FileGet: h, FilePut: h, FileCmd: h, FileList: h}
}

// Fileread opens a file for reading.
func (h handlers) Fileread(r *sftp.Request) (io.ReaderAt, error) {
	f, err := h.open(r)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// Filewrite opens a file for writing, creating it if asked.
func (h handlers) Filewrite(r *sftp.Request) (io.WriterAt, error) {
	f, err := h.open(r)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// OpenFile opens a file for reading and writing.
func (h handlers) OpenFile(r *sftp.Request) (sftp.WriterAtReaderAt, error) {
	f, err := h.open(r)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// open opens r.Filepath with the flags of r. O_APPEND is left out, as it
// conflicts with WriteAt: the client sends the offsets. O_CREATE with
// O_EXCL does not follow a symbolic link in the last component (it fails,
// as open(2) does); without O_EXCL it creates the link's target.
func (h handlers) open(r *sftp.Request) (*os.File, error) {
	pf := r.Pflags()
	var flag int
	switch {
	case pf.Read && pf.Write:
		flag = os.O_RDWR
	case pf.Write:
		flag = os.O_WRONLY
	case pf.Read:
		flag = os.O_RDONLY
	default:
		return nil, &fs.PathError{Op: "open", Path: r.Filepath, Err: syscall.EINVAL}
	}
	if pf.Creat {
		flag |= os.O_CREATE
	}
	if pf.Trunc {
		flag |= os.O_TRUNC
	}
	if pf.Excl {
		flag |= os.O_EXCL
	}
	var f *os.File
	err := h.j.at("open", r.Filepath, !(pf.Creat && pf.Excl), func(p string) (err error) {
		f, err = h.j.root.OpenFile(p, flag, newFileMode)
		return err
	})
	if err != nil {
		return nil, pathErr("open", r.Filepath, err)
	}
	return f, nil
}

// StatVFS answers statvfs@openssh.com for the file system holding
// r.Filepath.
func (h handlers) StatVFS(r *sftp.Request) (*sftp.StatVFS, error) {
	var f *os.File
	err := h.j.at("statvfs", r.Filepath, true, func(p string) (err error) {
		f, err = h.j.root.Open(p)
		return err
	})
	if err != nil {
		return nil, pathErr("statvfs", r.Filepath, err)
	}
	defer f.Close()
	st, err := statVFS(f)
	if err != nil {
		return nil, wrapIf("statvfs", r.Filepath, err)
	}
	return st, nil
}

// Filelist answers List (a directory's entries, with lstat's attributes)
// and Stat (following a symbolic link in the last component).
func (h handlers) Filelist(r *sftp.Request) (sftp.ListerAt, error) {
	switch r.Method {
	case "List":
		var f *os.File
		err := h.j.at("opendir", r.Filepath, true, func(p string) (err error) {
			f, err = h.j.root.Open(p)
			return err
		})
		if err != nil {
			return nil, pathErr("opendir", r.Filepath, err)
		}
		if fi, err := f.Stat(); err != nil || !fi.IsDir() {
			f.Close()
			if err == nil {
				err = syscall.ENOTDIR
			}
			return nil, pathErr("opendir", r.Filepath, err)
		}
		return dirLister{f}, nil
	case "Stat":
		var fi fs.FileInfo
		err := h.j.at("stat", r.Filepath, true, func(p string) (err error) {
			fi, err = h.j.root.Stat(p)
			return err
		})
		if err != nil {
			return nil, pathErr("stat", r.Filepath, err)
		}
		return oneInfo{fi}, nil
	}
	return nil, sftp.ErrSSHFxOpUnsupported
}

// Lstat answers SSH_FXP_LSTAT: a symbolic link in the last component is
// described, not followed.
func (h handlers) Lstat(r *sftp.Request) (sftp.ListerAt, error) {
	var fi fs.FileInfo
	err := h.j.at("lstat", r.Filepath, false, func(p string) (err error) {
		fi, err = h.j.root.Lstat(p)
		return err
	})
	if err != nil {
		return nil, pathErr("lstat", r.Filepath, err)
	}
	return oneInfo{fi}, nil
}

// Readlink returns the target of the symbolic link name as it is stored.
func (h handlers) Readlink(name string) (string, error) {
	var target string
	err := h.j.at("readlink", name, false, func(p string) (err error) {
		target, err = h.j.root.Readlink(p)
		return err
	})
	if err != nil {
		return "", pathErr("readlink", name, err)
	}
	return target, nil
}

// LookupUserName returns the name of the user with the numeric id uid, or
// uid itself, for the long names of a listing.
func (handlers) LookupUserName(uid string) string {
	if u, err := user.LookupId(uid); err == nil {
		return u.Username
	}
	return uid
}

// LookupGroupName returns the name of the group with the numeric id gid,
// or gid itself.
func (handlers) LookupGroupName(gid string) string {
	if g, err := user.LookupGroupId(gid); err == nil {
		return g.Name
	}
	return gid
}

// wrapIf returns nil for nil and pathErr(op, name, err) otherwise.
func wrapIf(op, name string, err error) error {
	if err == nil {
		return nil
	}
	return pathErr(op, name, err)
}

// dirLister lists an open directory a batch at a time. The request server
// asks for the batches in order, so the offset is not needed.
type dirLister struct{ f *os.File }

// ListAt fills buf with the next entries, with io.EOF after the last.
func (d dirLister) ListAt(buf []os.FileInfo, _ int64) (int, error) {
	if len(buf) == 0 {
		return 0, nil
	}
	fis, err := d.f.Readdir(len(buf))
	return copy(buf, fis), err
}

// Close closes the directory.
func (d dirLister) Close() error { return d.f.Close() }

// oneInfo is the answer to a stat: one entry.
type oneInfo struct{ fi os.FileInfo }

// ListAt puts the entry into buf at offset 0.
func (o oneInfo) ListAt(buf []os.FileInfo, off int64) (int, error) {
	if off > 0 || len(buf) == 0 {
		return 0, io.EOF
	}
	buf[0] = o.fi
	return 1, io.EOF
}
