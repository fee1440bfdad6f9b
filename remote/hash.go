package remote

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"sync"

	"github.com/ferry-tui/ferry/remote/internal/sftpwire"
	"golang.org/x/crypto/ssh"
)

// hashMaxPacket bounds an answer on a hash channel.
const hashMaxPacket = 1 << 20

// ErrNoServerHash says that the server does not hash files for its
// clients: it offers no check-file extension. It wraps
// errors.ErrUnsupported.
var ErrNoServerHash = fmt.Errorf("the server offers no file hash extension (check-file): %w", errors.ErrUnsupported)

// Hasher asks the server for the hashes of whole files (the check-file
// extension's check-file-name request,
// draft-ietf-secsh-filexfer-extensions-00, section 3), on an SFTP channel
// of its own, many requests in flight at once. Make it with
// FS.OpenHasher. Its methods are safe for concurrent use.
//
// Servers advertise check-file in different ways (ProFTPD 1.3.8 lists it
// only in the "supported2" record of SFTP version 6, not among version 3's
// extensions), so a Hasher that is not told about it asks anyway: a server
// without it answers "operation unsupported" (as OpenSSH's sftp-server
// does), and from then on Sum fails at once with ErrNoServerHash.
type Hasher struct {
	sess *ssh.Session
	c    *sftpwire.Client

	mu   sync.Mutex // guards none
	none bool       // the server answered "operation unsupported"
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
	h, err := startHasher(l.ssh, l.serverCommand())
	if err = f.end(ctx, l, g, "open hash channel", "", err); err != nil {
		return nil, err
	}
	return h, nil
}

// startHasher opens the channel, says hello (SFTP version 3) and starts
// the client reading answers.
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
				var wc *sftpwire.Client
				if wc, _, err = sftpwire.NewClient(r, w, hashMaxPacket); err == nil {
					return &Hasher{sess: sess, c: wc}, nil
				}
			}
		}
	}
	sess.Close()
	return nil, err
}

// Sum returns the hash of the whole file name as the server computes it,
// with the first algorithm of algos ("sha256", "sha1", "md5", ...) that
// the server supports, and that algorithm's name. It fails with
// ErrNoServerHash when the server does not hash files.
func (h *Hasher) Sum(ctx context.Context, name string, algos []string) (algo string, sum []byte, err error) {
	h.mu.Lock()
	none := h.none
	h.mu.Unlock()
	if none {
		return "", nil, ErrNoServerHash
	}
	rep, err := h.c.Request(ctx, sftpwire.TypeExtended, checkFileRequest(name, algos))
	if err != nil {
		if werr := h.c.Err(); werr != nil && ctx.Err() == nil {
			err = fmt.Errorf("hash channel: %w", werr)
		}
		return "", nil, &fs.PathError{Op: "hash", Path: name, Err: err}
	}
	return h.answer(name, rep)
}

// answer reads the answer to a check-file-name request.
func (h *Hasher) answer(name string, rep sftpwire.Reply) (string, []byte, error) {
	switch rep.Type {
	case sftpwire.TypeStatus:
		st, err := sftpwire.ParseStatus(rep.Body)
		if err != nil {
			return "", nil, &fs.PathError{Op: "hash", Path: name, Err: err}
		}
		if st.Code == codeOpUnsupported {
			h.mu.Lock()
			h.none = true
			h.mu.Unlock()
			return "", nil, ErrNoServerHash
		}
		return "", nil, &fs.PathError{Op: "hash", Path: name, Err: newStatusError("hash", st.Code)}
	case sftpwire.TypeExtendedReply:
		algo, sum, ok := sftpwire.CutString(rep.Body)
		if !ok || len(sum) == 0 {
			return "", nil, &fs.PathError{Op: "hash", Path: name, Err: fmt.Errorf("%w: malformed check-file answer", sftpwire.ErrProtocol)}
		}
		return string(algo), sum, nil
	}
	return "", nil, &fs.PathError{Op: "hash", Path: name, Err: fmt.Errorf("%w: packet %d in answer to check-file", sftpwire.ErrProtocol, rep.Type)}
}

// checkFileRequest is the payload of a check-file-name request for one
// hash of the whole file (offset 0, length 0, block size 0).
func checkFileRequest(name string, algos []string) []byte {
	b := sftpwire.AppendString(nil, "check-file-name")
	b = sftpwire.AppendString(b, name)
	b = sftpwire.AppendString(b, strings.Join(algos, ","))
	b = sftpwire.AppendUint64(b, 0)    // start offset
	b = sftpwire.AppendUint64(b, 0)    // length: to the end
	return sftpwire.AppendUint32(b, 0) // block size: one hash
}

// Close closes the channel and waits for its client to stop reading.
func (h *Hasher) Close() error {
	err := h.sess.Close()
	<-h.c.Done()
	if errors.Is(err, io.EOF) {
		err = nil
	}
	return err
}
