package remote

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/ferry-tui/ferry/remote/internal/sftpwire"
	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
)

// Bounds of a long listing.
const (
	ownMaxPacket  = 1 << 20 // a NAME answer larger than this is refused
	ownMaxEntries = 20000   // per directory: names are found near the top
)

// errNoLongNames says the FS has no SSH connection of its own to list
// directories on (an FS from NewFS).
var errNoLongNames = errors.New("user and group names are not known on this connection")

// Owners is what a server's long listings say about names: users and
// groups, by name, with their numeric ids.
type Owners struct {
	// Users maps user names to uids.
	Users map[string]int
	// Groups maps group names to gids.
	Groups map[string]int
}

// LongOwners lists the directories dirs on a channel of its own and
// returns the user and group names the server's long listing ("ls -l"
// lines, which pkg/sftp does not keep) gives for the ids of their
// entries. Directories that cannot be listed are skipped. A server that
// shows numbers in its long listing gives no names.
func (f *FS) LongOwners(ctx context.Context, dirs ...string) (Owners, error) {
	own := Owners{Users: map[string]int{}, Groups: map[string]int{}}
	l, g, err := f.begin(ctx)
	if err != nil {
		return own, beginErr("ls -l", dirs[0], err)
	}
	if l.ssh == nil {
		g.done()
		return own, errNoLongNames
	}
	sess, err := l.ssh.NewSession()
	if err != nil {
		return own, f.end(ctx, l, g, "ls -l", dirs[0], err)
	}
	defer sess.Close()
	stop := context.AfterFunc(ctx, func() { sess.Close() })
	defer stop()
	err = longList(ctx, sess, l.serverCommand(), dirs, &own)
	return own, f.end(ctx, l, g, "ls -l", dirs[0], err)
}

// longList starts SFTP on sess (the subsystem, or server as an exec
// request) and reads the long listing of each of dirs into own.
func longList(ctx context.Context, sess *ssh.Session, server string, dirs []string, own *Owners) error {
	w, err := sess.StdinPipe()
	if err != nil {
		return err
	}
	r, err := sess.StdoutPipe()
	if err != nil {
		return err
	}
	if err := startSFTP(sess, server); err != nil {
		return err
	}
	c, _, err := sftpwire.NewClient(r, w, ownMaxPacket)
	if err != nil {
		return err
	}
	for _, d := range dirs {
		if err := listDir(ctx, c, d, own); err != nil {
			var st *sftp.StatusError
			if errors.As(err, &st) {
				continue // cannot be listed: skip it
			}
			return err
		}
	}
	return nil
}

// ownRequest sends typ with the string s and returns the answer; a STATUS
// answer, even OK, is a *sftp.StatusError: none of the requests of a
// long listing is answered by a status when it succeeds.
func ownRequest(ctx context.Context, c *sftpwire.Client, typ byte, s []byte) (sftpwire.Reply, error) {
	rep, err := c.Request(ctx, typ, sftpwire.AppendBytes(nil, s))
	if err != nil || rep.Type != sftpwire.TypeStatus {
		return rep, err
	}
	st, err := sftpwire.ParseStatus(rep.Body)
	if err != nil {
		return sftpwire.Reply{}, err
	}
	return sftpwire.Reply{}, sftpwire.StatusError(st.Code)
}

// listDir reads the long listing of dir into own.
func listDir(ctx context.Context, c *sftpwire.Client, dir string, own *Owners) error {
	rep, err := ownRequest(ctx, c, sftpwire.TypeOpendir, []byte(dir))
	if err != nil {
		return err
	}
	handle, _, ok := sftpwire.CutString(rep.Body)
	if rep.Type != sftpwire.TypeHandle || !ok {
		return fmt.Errorf("%w: OPENDIR did not answer a handle", sftpwire.ErrProtocol)
	}
	defer func() { _, _ = c.Request(ctx, sftpwire.TypeClose, sftpwire.AppendBytes(nil, handle)) }()
	seen := 0
	for seen < ownMaxEntries {
		rep, err := ownRequest(ctx, c, sftpwire.TypeReaddir, handle)
		var st *sftp.StatusError
		if errors.As(err, &st) && st.Code == sftpwire.StatusEOF {
			return nil
		}
		if err != nil {
			return err
		}
		if rep.Type != sftpwire.TypeName {
			return fmt.Errorf("%w: READDIR did not answer names", sftpwire.ErrProtocol)
		}
		p := sftpwire.NewParser(rep.Body)
		count := p.Uint32()
		for i := uint32(0); i < count && p.Err() == nil; i++ {
			p.String() // the name
			long := p.String()
			a := p.Attrs()
			if p.Err() != nil {
				break
			}
			seen++
			if a.Has(sftpwire.AttrUIDGID) {
				ownersOf(string(long), a.UID, a.GID, own)
			}
		}
		if err := p.Err(); err != nil {
			return fmt.Errorf("bad NAME: %w", err)
		}
	}
	return nil
}

// ownersOf records the owner and group names of a long listing line
// ("-rw-r--r--  1 alice staff 5 Jan 1 00:00 name") with the ids the
// attributes gave. Names that are numbers, or hold odd characters, are
// not names.
func ownersOf(long string, uid, gid uint32, own *Owners) {
	f := strings.Fields(long)
	if len(f) < 4 {
		return
	}
	if plainName(f[2]) {
		own.Users[f[2]] = int(uid)
	}
	if plainName(f[3]) {
		own.Groups[f[3]] = int(gid)
	}
}

// plainName reports whether s looks like a user or group name: not a
// number, printable ASCII without ':'.
func plainName(s string) bool {
	digits := true
	for _, r := range s {
		if r <= ' ' || r > '~' || r == ':' {
			return false
		}
		digits = digits && r >= '0' && r <= '9'
	}
	return s != "" && !digits
}

// LookupIDs returns the uid of user and the gid of group (-1 for ""), as
// the server's long listings of near, its parent, /home and / name them:
// SFTP has no other way to learn names.
func (f *FS) LookupIDs(ctx context.Context, near, user, group string) (uid, gid int, err error) {
	uid, gid = -1, -1
	if user == "" && group == "" {
		return uid, gid, nil
	}
	dirs := []string{near, path.Dir(near), "/home", "/"}
	own, err := f.LongOwners(ctx, dirs...)
	if err != nil {
		return 0, 0, err
	}
	where := strings.Join(dirs, ", ")
	if user != "" {
		id, ok := own.Users[user]
		if !ok {
			return 0, 0, fmt.Errorf("no user named %s owns anything in %s on %s: give a numeric id", user, where, f.label)
		}
		uid = id
	}
	if group != "" {
		id, ok := own.Groups[group]
		if !ok {
			return 0, 0, fmt.Errorf("no group named %s owns anything in %s on %s: give a numeric id", group, where, f.label)
		}
		gid = id
	}
	return uid, gid, nil
}
