package local

import (
	"context"
	"fmt"
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

// LookupIDs returns the uid of user and the gid of group (-1 for "")
// from the local user and group databases.
func (*FS) LookupIDs(_ context.Context, _, userName, group string) (uid, gid int, err error) {
	uid, gid = -1, -1
	if userName != "" {
		u, err := user.Lookup(userName)
		if err != nil {
			return 0, 0, err
		}
		if uid, err = strconv.Atoi(u.Uid); err != nil {
			return 0, 0, fmt.Errorf("user %s: uid %q is not a number", userName, u.Uid)
		}
	}
	if group != "" {
		g, err := user.LookupGroup(group)
		if err != nil {
			return 0, 0, err
		}
		if gid, err = strconv.Atoi(g.Gid); err != nil {
			return 0, 0, fmt.Errorf("group %s: gid %q is not a number", group, g.Gid)
		}
	}
	return uid, gid, nil
}
