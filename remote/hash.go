package remote

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"sync"

	"golang.org/x/crypto/ssh"
)

// SFTP packets of the check-file extension
// (draft-ietf-secsh-filexfer-extensions-00, section 3).
const (
	hashFxpExtended      = 200
	hashFxpExtendedReply = 201
)

// ErrNoServerHash says that the server does not hash files for its
// clients: it offers no check-file extension. It wraps
// errors.ErrUnsupported.
var ErrNoServerHash = fmt.Errorf("the server offers no file hash extension (check-file): %w", errors.ErrUnsupported)

// Hasher asks the server for the hashes of whole files (the check-file
// extension's check-file-name request), on an SFTP channel of its own,
// many requests in flight at once. Make it with FS.OpenHasher. Its
// methods are safe for concurrent use.
//
// Servers advertise check-file in different ways (ProFTPD 1.3.8 lists it
// only in the "supported2" record of SFTP version 6, not among version 3's
// extensions), so a Hasher that is not told about it asks anyway: a server
// without it answers "operation unsupported" (as OpenSSH's sftp-server
// does), and from then on Sum fails at once with ErrNoServerHash.
type Hasher struct {
	sess *ssh.Session
	w    io.Writer
	ends chan struct{} // closed when the reading loop ended

	mu      sync.Mutex // guards the fields below and writes to w
	id      uint32
	waiting map[uint32]chan hashReply
	err     error // why the channel ended
	none    bool  // the server answered "operation unsupported"
}

// hashReply is an answer to one request: its type and body after the id.
type hashReply struct {
	typ  byte
	body []byte
}

// OpenHasher opens a channel on the connection for file hashes. The
// Hasher lives until Close or the end of the connection: it does not
// follow a reconnect (open a new one then). An FS from NewFS has no SSH
// connection of its own, so it gets ErrNoServerHash.
func (f *FS) OpenHasher(ctx context.Context) (*Hasher, error) {
	l, g, err := f.begin(ctx)
	if err != nil {
		return nil, beginErr("open hash channel", "", err)
	}
	if l.ssh == nil {
		g.done()
		return nil, ErrNoServerHash
	}
	server := ""
	if l.pool != nil {
		server = l.pool.server
	} else if l.streams != nil {
		server = l.streams.server
	}
	h, err := startHasher(l.ssh, server)
	if err = f.end(ctx, l, g, "open hash channel", "", err); err != nil {
		return nil, err
	}
	return h, nil
}

// startHasher opens the channel, says hello (SFTP version 3) and starts
// the loop reading answers.
func startHasher(c *ssh.Client, server string) (*Hasher, error) {
	sess, err := c.NewSession()
	if err != nil {
		return nil, err
	}
	w, err := sess.StdinPipe()
	if err == nil {
		var r io.Reader
		if r, err = sess.StdoutPipe(); err == nil {
			if err = startSFTP(sess, server); err == nil {
				h := &Hasher{sess: sess, w: w, ends: make(chan struct{}), waiting: map[uint32]chan hashReply{}}
				if err = h.hello(r); err == nil {
					go h.read(r)
					return h, nil
				}
			}
		}
	}
	sess.Close()
	return nil, err
}

// hello sends INIT and reads VERSION.
func (h *Hasher) hello(r io.Reader) error {
	c := &ownConn{r: r, w: h.w}
	if err := c.send(ownFxpInit, nil, binary.BigEndian.AppendUint32(nil, 3)); err != nil {
		return err
	}
	typ, _, err := c.recv()
	if err != nil {
		return fmt.Errorf("sftp handshake: %w", err)
	}
	if typ != ownFxpVersion {
		return fmt.Errorf("sftp handshake: packet %d instead of VERSION", typ)
	}
	return nil
}

// read hands every answer to the request waiting for it, until the
// channel ends.
func (h *Hasher) read(r io.Reader) {
	defer close(h.ends)
	c := &ownConn{r: r}
	for {
		typ, body, err := c.recv()
		if err == nil && len(body) < 4 {
			err = errors.New("sftp: answer without a request id")
		}
		h.mu.Lock()
		if err != nil {
			if h.err == nil {
				h.err = fmt.Errorf("hash channel: %w", err)
			}
			for id, ch := range h.waiting {
				close(ch)
				delete(h.waiting, id)
			}
			h.mu.Unlock()
			return
		}
		id := binary.BigEndian.Uint32(body)
		if ch, ok := h.waiting[id]; ok {
			delete(h.waiting, id)
			ch <- hashReply{typ: typ, body: body[4:]}
		}
		h.mu.Unlock()
	}
}

// Sum returns the hash of the whole file name as the server computes it,
// with the first algorithm of algos ("sha256", "sha1", "md5", ...) that
// the server supports, and that algorithm's name. It fails with
// ErrNoServerHash when the server does not hash files.
func (h *Hasher) Sum(ctx context.Context, name string, algos []string) (algo string, sum []byte, err error) {
	ch := make(chan hashReply, 1)
	h.mu.Lock()
	if h.none {
		h.mu.Unlock()
		return "", nil, ErrNoServerHash
	}
	if h.err != nil {
		err := h.err
		h.mu.Unlock()
		return "", nil, &fs.PathError{Op: "hash", Path: name, Err: err}
	}
	h.id++
	id := h.id
	h.waiting[id] = ch
	_, err = h.w.Write(checkFileRequest(id, name, algos))
	h.mu.Unlock()
	if err != nil {
		return "", nil, &fs.PathError{Op: "hash", Path: name, Err: err}
	}
	var rep hashReply
	var ok bool
	select {
	case rep, ok = <-ch:
	case <-ctx.Done():
		h.mu.Lock()
		delete(h.waiting, id)
		h.mu.Unlock()
		return "", nil, &fs.PathError{Op: "hash", Path: name, Err: ctx.Err()}
	}
	if !ok {
		h.mu.Lock()
		err := h.err
		h.mu.Unlock()
		return "", nil, &fs.PathError{Op: "hash", Path: name, Err: err}
	}
	return h.answer(name, rep)
}

// answer reads the answer to a check-file-name request.
func (h *Hasher) answer(name string, rep hashReply) (string, []byte, error) {
	switch rep.typ {
	case ownFxpStatus:
		if len(rep.body) < 4 {
			return "", nil, &fs.PathError{Op: "hash", Path: name, Err: errors.New("sftp: short STATUS")}
		}
		code := binary.BigEndian.Uint32(rep.body)
		if code == codeOpUnsupported {
			h.mu.Lock()
			h.none = true
			h.mu.Unlock()
			return "", nil, ErrNoServerHash
		}
		return "", nil, &fs.PathError{Op: "hash", Path: name, Err: newStatusError("hash", code)}
	case hashFxpExtendedReply:
		algo, sum, ok := cutString(rep.body)
		if !ok || len(sum) == 0 {
			return "", nil, &fs.PathError{Op: "hash", Path: name, Err: errors.New("sftp: malformed check-file answer")}
		}
		return string(algo), sum, nil
	}
	return "", nil, &fs.PathError{Op: "hash", Path: name, Err: fmt.Errorf("sftp: packet %d in answer to check-file", rep.typ)}
}

// checkFileRequest is a check-file-name request for one hash of the
// whole file (offset 0, length 0, block size 0).
func checkFileRequest(id uint32, name string, algos []string) []byte {
	var b []byte
	b = binary.BigEndian.AppendUint32(b, 0) // length, set below
	b = append(b, hashFxpExtended)
	b = binary.BigEndian.AppendUint32(b, id)
	b = appendString(b, "check-file-name")
	b = appendString(b, name)
	b = appendString(b, strings.Join(algos, ","))
	b = binary.BigEndian.AppendUint64(b, 0) // start offset
	b = binary.BigEndian.AppendUint64(b, 0) // length: to the end
	b = binary.BigEndian.AppendUint32(b, 0) // block size: one hash
	binary.BigEndian.PutUint32(b, uint32(len(b)-4))
	return b
}

// appendString appends an SFTP string.
func appendString(b []byte, s string) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(s)))
	return append(b, s...)
}

// Close closes the channel and waits for its reading loop to end.
func (h *Hasher) Close() error {
	err := h.sess.Close()
	<-h.ends
	if errors.Is(err, io.EOF) {
		err = nil
	}
	return err
}
