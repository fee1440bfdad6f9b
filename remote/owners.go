package remote

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"golang.org/x/crypto/ssh"
)

// SFTP version 3 packets of a long listing.
const (
	ownFxpInit     = 1
	ownFxpVersion  = 2
	ownFxpClose    = 4
	ownFxpOpendir  = 11
	ownFxpReaddir  = 12
	ownFxpStatus   = 101
	ownFxpHandle   = 102
	ownFxpName     = 104
	ownMaxPacket   = 1 << 20 // a NAME answer larger than this is refused
	ownMaxEntries  = 20000   // per directory: names are found near the top
	ownAttrSize    = 0x1
	ownAttrUIDGID  = 0x2
	ownAttrPerm    = 0x4
	ownAttrTimes   = 0x8
	ownAttrExtends = 0x80000000
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
	err = longList(sess, dirs, &own)
	return own, f.end(ctx, l, g, "ls -l", dirs[0], err)
}

// longList runs an SFTP subsystem on sess and reads the long listing of
// each of dirs into own.
func longList(sess *ssh.Session, dirs []string, own *Owners) error {
	w, err := sess.StdinPipe()
	if err != nil {
		return err
	}
	r, err := sess.StdoutPipe()
	if err != nil {
		return err
	}
	if err := sess.RequestSubsystem("sftp"); err != nil {
		return err
	}
	c := &ownConn{r: r, w: w}
	if err := c.send(ownFxpInit, nil, binary.BigEndian.AppendUint32(nil, 3)); err != nil {
		return err
	}
	if typ, _, err := c.recv(); err != nil || typ != ownFxpVersion {
		return fmt.Errorf("sftp handshake: %v (packet %d)", err, typ)
	}
	for _, d := range dirs {
		if err := c.listDir(d, own); err != nil {
			var st *statusErr
			if errors.As(err, &st) {
				continue // cannot be listed: skip it
			}
			return err
		}
	}
	return nil
}

// statusErr is a STATUS answer that is not OK.
type statusErr struct{ code uint32 }

func (e *statusErr) Error() string { return fmt.Sprintf("SFTP status %d", e.code) }

// ownConn is a raw SFTP version 3 conversation, one request at a time.
type ownConn struct {
	r  io.Reader
	w  io.Writer
	id uint32
}

// send writes a packet of typ: an id (unless nil id, for INIT) and body.
func (c *ownConn) send(typ byte, id []byte, body []byte) error {
	b := binary.BigEndian.AppendUint32(nil, uint32(1+len(id)+len(body)))
	b = append(b, typ)
	b = append(b, id...)
	b = append(b, body...)
	_, err := c.w.Write(b)
	return err
}

// request sends typ with a new id and the string s (or the raw body) and
// returns the answer's type and body after the id.
func (c *ownConn) request(typ byte, s []byte) (byte, []byte, error) {
	c.id++
	id := binary.BigEndian.AppendUint32(nil, c.id)
	body := binary.BigEndian.AppendUint32(nil, uint32(len(s)))
	body = append(body, s...)
	if err := c.send(typ, id, body); err != nil {
		return 0, nil, err
	}
	rt, rb, err := c.recv()
	if err != nil {
		return 0, nil, err
	}
	if len(rb) < 4 || binary.BigEndian.Uint32(rb) != c.id {
		return 0, nil, errors.New("sftp: answer to another request")
	}
	rb = rb[4:]
	if rt == ownFxpStatus {
		if len(rb) < 4 {
			return 0, nil, errors.New("sftp: short STATUS")
		}
		return rt, nil, &statusErr{binary.BigEndian.Uint32(rb)}
	}
	return rt, rb, nil
}

// recv reads one packet: its type and body.
func (c *ownConn) recv() (byte, []byte, error) {
	var hdr [5]byte
	if _, err := io.ReadFull(c.r, hdr[:]); err != nil {
		return 0, nil, err
	}
	n := binary.BigEndian.Uint32(hdr[:4])
	if n < 1 || n > ownMaxPacket {
		return 0, nil, fmt.Errorf("sftp: packet of %d bytes", n)
	}
	body := make([]byte, n-1)
	if _, err := io.ReadFull(c.r, body); err != nil {
		return 0, nil, err
	}
	return hdr[4], body, nil
}

// listDir reads the long listing of dir into own.
func (c *ownConn) listDir(dir string, own *Owners) error {
	typ, h, err := c.request(ownFxpOpendir, []byte(dir))
	if err != nil {
		return err
	}
	handle, _, ok := cutString(h)
	if typ != ownFxpHandle || !ok {
		return errors.New("sftp: OPENDIR did not answer a handle")
	}
	defer func() { _, _, _ = c.request(ownFxpClose, handle) }()
	seen := 0
	for seen < ownMaxEntries {
		typ, b, err := c.request(ownFxpReaddir, handle)
		var st *statusErr
		if errors.As(err, &st) && st.code == 1 { // EOF
			return nil
		}
		if err != nil {
			return err
		}
		if typ != ownFxpName || len(b) < 4 {
			return errors.New("sftp: READDIR did not answer names")
		}
		count := binary.BigEndian.Uint32(b)
		b = b[4:]
		for range count {
			var long []byte
			var uid, gid uint32
			var hasIDs bool
			if _, b, ok = cutString(b); !ok {
				return errors.New("sftp: bad NAME")
			}
			if long, b, ok = cutString(b); !ok {
				return errors.New("sftp: bad NAME")
			}
			if uid, gid, hasIDs, b, ok = cutAttrs(b); !ok {
				return errors.New("sftp: bad attributes")
			}
			seen++
			if hasIDs {
				ownersOf(string(long), uid, gid, own)
			}
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

// cutString splits an SFTP string off the front of b.
func cutString(b []byte) (s, rest []byte, ok bool) {
	if len(b) < 4 {
		return nil, nil, false
	}
	n := binary.BigEndian.Uint32(b)
	if uint64(n) > uint64(len(b)-4) {
		return nil, nil, false
	}
	return b[4 : 4+n], b[4+n:], true
}

// cutAttrs splits SFTP version 3 attributes off the front of b, returning
// the ids when they are present.
func cutAttrs(b []byte) (uid, gid uint32, hasIDs bool, rest []byte, ok bool) {
	if len(b) < 4 {
		return 0, 0, false, nil, false
	}
	flags := binary.BigEndian.Uint32(b)
	b = b[4:]
	need := func(n int) bool { return len(b) >= n }
	if flags&ownAttrSize != 0 {
		if !need(8) {
			return 0, 0, false, nil, false
		}
		b = b[8:]
	}
	if flags&ownAttrUIDGID != 0 {
		if !need(8) {
			return 0, 0, false, nil, false
		}
		uid, gid, hasIDs = binary.BigEndian.Uint32(b), binary.BigEndian.Uint32(b[4:]), true
		b = b[8:]
	}
	if flags&ownAttrPerm != 0 {
		if !need(4) {
			return 0, 0, false, nil, false
		}
		b = b[4:]
	}
	if flags&ownAttrTimes != 0 {
		if !need(8) {
			return 0, 0, false, nil, false
		}
		b = b[8:]
	}
	if flags&ownAttrExtends != 0 {
		if !need(4) {
			return 0, 0, false, nil, false
		}
		n := binary.BigEndian.Uint32(b)
		b = b[4:]
		for range n {
			var ok1, ok2 bool
			if _, b, ok1 = cutString(b); !ok1 {
				return 0, 0, false, nil, false
			}
			if _, b, ok2 = cutString(b); !ok2 {
				return 0, 0, false, nil, false
			}
		}
	}
	return uid, gid, hasIDs, b, true
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
