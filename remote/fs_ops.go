package remote

import (
	"context"
	"errors"
	"io/fs"

	"github.com/pkg/sftp"

	"github.com/ferry-tui/ferry/transfer"
)

var (
	_ transfer.Chowner    = (*FS)(nil)
	_ transfer.IDLookuper = (*FS)(nil)
)

// errNoOwner says the server sent no owner and group for a file.
var errNoOwner = errors.New("the server did not say who owns it")

// Chown changes the owner and group of name (the server follows a final
// symbolic link). SFTP sets both at once, so an id of -1 is filled in
// from the file's current owner or group first.
func (f *FS) Chown(ctx context.Context, name string, uid, gid int) error {
	if uid < 0 || gid < 0 {
		fi, err := f.Stat(ctx, name)
		if err != nil {
			return err
		}
		st, ok := fi.Sys().(*sftp.FileStat)
		if !ok {
			return &fs.PathError{Op: "chown", Path: name, Err: errNoOwner}
		}
		if uid < 0 {
			uid = int(st.UID)
		}
		if gid < 0 {
			gid = int(st.GID)
		}
	}
	l, g, err := f.begin(ctx)
	if err != nil {
		return beginErr("chown", name, err)
	}
	return f.end(ctx, l, g, "chown", name, l.sftp.Chown(name, uid, gid))
}
