package local

import (
	"context"
	"os"
	"os/user"
	"strconv"

	"github.com/ferry-tui/ferry/transfer"
)

var (
	_ transfer.Chowner    = (*FS)(nil)
	_ transfer.IDLookuper = (*FS)(nil)
)

// Chown changes the owner and group of name, following a final symbolic
// link as chown does; an id of -1 leaves that one as it is.
func (*FS) Chown(_ context.Context, name string, uid, gid int) error {
	return os.Chown(name, uid, gid)
}

// LookupUser returns the uid of the user called name in the local user
// database.
func (*FS) LookupUser(name string) (int, bool) {
	u, err := user.Lookup(name)
	if err != nil {
		return 0, false
	}
	id, err := strconv.Atoi(u.Uid)
	return id, err == nil
}

// LookupGroup returns the gid of the group called name in the local group
// database.
func (*FS) LookupGroup(name string) (int, bool) {
	g, err := user.LookupGroup(name)
	if err != nil {
		return 0, false
	}
	id, err := strconv.Atoi(g.Gid)
	return id, err == nil
}
