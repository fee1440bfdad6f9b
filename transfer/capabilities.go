package transfer

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"time"
)

// The interfaces below are optional capabilities of an FS, and of the
// files its methods return. The engine type-asserts them, and every fast
// path or shortcut it takes is decided by one of them; like FS itself they
// use standard library types only, so local.FS and remote.FS implement
// them without importing this package (both check that they do, at
// compile time).

// Extensioner is implemented by file systems that speak SFTP: HasExtension
// reports whether the server advertised the protocol extension name (such
// as "posix-rename@openssh.com" or "fsync@openssh.com") and its data.
//
// An FS that does not implement Extensioner is taken to be a POSIX file
// system: Rename replaces its target atomically, and the Sync method of
// the writers it returns flushes to stable storage.
type Extensioner interface {
	HasExtension(name string) (data string, ok bool)
}

// FileOpener is implemented by file systems that can open an existing file
// for writing, which resuming an interrupted transfer needs. flag takes
// os.OpenFile's access flags (os.O_RDONLY, os.O_WRONLY, os.O_RDWR and
// os.O_APPEND or os.O_TRUNC); files are only ever created with CreateExcl,
// so os.O_CREATE and os.O_EXCL are refused. The returned value should
// implement io.Seeker.
type FileOpener interface {
	OpenFile(ctx context.Context, name string, flag int) (io.ReadWriteCloser, error)
}

// RootOpener is implemented by the local file system. OpenRoot opens dir
// as an os.Root; the engine then makes every change below a destination
// directory through it, so that nothing a copy writes can land outside the
// destination, whatever names or symbolic links it meets.
type RootOpener interface {
	OpenRoot(dir string) (*os.Root, error)
}

// DefaultCreator is implemented by remote file systems, where setting
// permissions costs a round trip. CreateExclDefault creates name (O_EXCL)
// without setting its permission bits, so that the engine can skip the
// chmod when the server's default for new files already is the mode it
// wants. The returned writer must also implement
// Stat() (fs.FileInfo, error) and Chmod(fs.FileMode) error on the open
// handle.
type DefaultCreator interface {
	CreateExclDefault(ctx context.Context, name string) (io.WriteCloser, error)
}

// ErrorExplainer is implemented by file systems whose open files return
// raw protocol errors. ExplainError names op and path in err and says what
// its status code means ("server refused (disk full?)").
type ErrorExplainer interface {
	ExplainError(op, path string, err error) error
}

// Streamer is implemented by file systems with a faster way to read a
// whole large file than through Open (remote.FS: an SFTP channel of its
// own whose buffers are reused).
type Streamer interface {
	// StreamFile copies name, from off to its end, into dst in order.
	// handled is false when it cannot now (no channel free); the caller
	// then reads through Open. Errors from dst are returned as they are.
	StreamFile(ctx context.Context, name string, off int64, dst io.Writer) (n int64, handled bool, err error)
}

// LocalFile is an open file of the machine ferry runs on: an *os.File, as
// local.FS and the os.Root below a local destination open them. Reading
// it costs no round trip, so the engine wraps it in a counting reader
// (which costs nothing), reads it at several offsets at once to upload it
// as parallel byte ranges (RangeWriter), and prefers its Read to its
// WriteTo. Fd, which a server's file lacks, tells it apart.
type LocalFile interface {
	io.Reader
	io.ReaderAt
	Stat() (fs.FileInfo, error)
	Fd() uintptr
}

// ConcurrentReaderFrom is an open file on a server that writes what it
// reads from r with many write requests in flight (*sftp.File). Uploads to
// it go through ReadFromWithConcurrency with a counting reader around the
// source, which costs no concurrency (plain ReadFrom falls back to one
// request at a time when it cannot tell the reader's size).
type ConcurrentReaderFrom interface {
	ReadFromWithConcurrency(r io.Reader, concurrency int) (int64, error)
}

// RemoteFile is an open file on an SFTP server (*sftp.File, as remote.FS
// opens and creates them). Its WriteTo reads with many requests in
// flight, so a download from it goes through WriteTo into a counting
// writer around the local file, and a copy between two servers pipes one
// file's WriteTo into the other's ReadFromWithConcurrency. The server
// acknowledges every write with a status of its own, so a new file whose
// writes, flush and Close all succeeded holds exactly what was written:
// the engine skips the size check, a round trip, for it. (An *os.File has
// a WriteTo too, but no ReadFromWithConcurrency.)
type RemoteFile interface {
	io.WriterTo
	ConcurrentReaderFrom
}

// explain names op and path in err, an error from fsys's open file path,
// unless it already names a path.
func explain(fsys FS, op, path string, err error) error {
	var pe *fs.PathError
	if err == nil || errors.As(err, &pe) {
		return err
	}
	if x, ok := fsys.(ErrorExplainer); ok {
		return x.ExplainError(op, path, err)
	}
	return &fs.PathError{Op: op, Path: path, Err: err}
}

// HandleModer is what the engine needs of a writer from DefaultCreator
// (*sftp.File): the permission bits of the open file, and a way to change
// them, without a path lookup.
type HandleModer interface {
	Stat() (fs.FileInfo, error)
	Chmod(mode fs.FileMode) error
}

// Syncer is an open file that can be flushed to stable storage (*os.File;
// *sftp.File, through fsync@openssh.com). As the durability policy (Fsync)
// says, the engine syncs a finished temporary file before it renames it
// into place, where its file system can (see Extensioner).
type Syncer interface {
	Sync() error
}

// Extension names the engine looks for.
const (
	extPosixRename = "posix-rename@openssh.com"
	extFsync       = "fsync@openssh.com"
)

// renameReplaces reports whether fsys.Rename atomically replaces an
// existing target.
func renameReplaces(fsys FS) bool {
	x, ok := fsys.(Extensioner)
	if !ok {
		return true
	}
	_, ok = x.HasExtension(extPosixRename)
	return ok
}

// canSync reports whether writers of fsys can be flushed to stable
// storage with a Sync method.
func canSync(fsys FS) bool {
	x, ok := fsys.(Extensioner)
	if !ok {
		return true
	}
	data, ok := x.HasExtension(extFsync)
	return ok && data == "1"
}

// Reconnector is implemented by file systems whose connection can drop and
// be dialled again (remote.FS). The engine uses it to tell a lost
// connection from other failures, to wait for the connection before it
// retries such a job, and to unblock a call that a cancel or a stall left
// waiting on a server that no longer answers.
type Reconnector interface {
	// ConnState returns the generation of the current connection, which
	// changes every time the connection is replaced, and whether it is up.
	ConnState() (gen uint64, up bool)
	// WaitOnline returns nil once the connection is up, dialling again if
	// it is down. It returns an error when the connection cannot be
	// restored (the error says why, and a host key that changed is one
	// such reason) or when ctx ends.
	WaitOnline(ctx context.Context) error
	// Abort closes the current connection, so that every call blocked on
	// it returns at once; cause says why, for the log. The file system
	// connects again by itself.
	Abort(cause error)
}

// SmallCreator is implemented by file systems where every request costs
// a round trip (remote.FS). CreateSmall creates name (O_EXCL) for a small
// file whose data is at hand, asking for permission bits perm in the
// create request itself, so that the file is never more open than perm.
// The returned writer implements SmallWriter, which finishes the file in
// one more round trip. An error wrapping errors.ErrUnsupported means the
// file system cannot now (the engine then uses CreateExcl); nothing was
// created.
type SmallCreator interface {
	CreateSmall(ctx context.Context, name string, perm fs.FileMode) (io.WriteCloser, error)
}

// MaskedCreator is implemented by file systems where every request costs
// a round trip (remote.FS). CreateExclMasked creates name (O_EXCL) for
// writing, asking for permission bits perm in the create request itself:
// the server may take bits away (its umask), never add them, so the file
// is never more open than perm, and the engine sets perm exactly (Chmod)
// before the file is put in place. It saves the round trip of looking at
// or setting the mode before the data. An error wrapping
// errors.ErrUnsupported means the file system cannot now (the engine then
// uses CreateExcl or DefaultCreator); nothing was created.
type MaskedCreator interface {
	CreateExclMasked(ctx context.Context, name string, perm fs.FileMode) (io.WriteCloser, error)
}

// SmallWriter is a file from SmallCreator. WriteAndClose sets the
// permission bits asked for at its creation, writes data from offset 0,
// sets the access and modification times to mtime (unless it is zero),
// flushes to stable storage when sync is set, and closes the file: every
// request is sent at once, in that order, and every answer checked. The
// file is closed whatever the outcome.
type SmallWriter interface {
	WriteAndClose(ctx context.Context, data []byte, mtime time.Time, sync bool) error
}

// SmallReader is implemented by file systems where every request costs a
// round trip (remote.FS). ReadSmall reads the whole of name, which was
// listed with size bytes, in one round trip after the open: the reads,
// a probe past the end and the close are sent at once. It returns nil
// data and no error when the file is not size bytes long any more (or
// the server answered a read short); an error wrapping
// errors.ErrUnsupported means it cannot now. The engine then reads the
// ordinary way.
type SmallReader interface {
	ReadSmall(ctx context.Context, name string, size int64) ([]byte, error)
}
