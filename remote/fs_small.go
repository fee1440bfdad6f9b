package remote

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/pkg/sftp"

	"github.com/ferry-tui/ferry/remote/internal/sftpwire"
	"github.com/ferry-tui/ferry/transfer"
)

// Small files go through rawMux (see rawmux.go): an upload costs the
// OPEN, one round trip for everything up to the CLOSE, and the rename; a
// download the OPEN and one round trip for the reads and the CLOSE.
var (
	_ transfer.SmallCreator  = (*FS)(nil)
	_ transfer.MaskedCreator = (*FS)(nil)
	_ transfer.SmallReader   = (*FS)(nil)
	_ transfer.SmallWriter   = (*smallFile)(nil)
)

// errNoMux says the connection has no rawMux: an FS from NewFS, one
// whose SFTP server is a command of the user's, or a server not known to
// keep the order of requests.
var errNoMux = fmt.Errorf("no pipelined requests on this connection: %w", errors.ErrUnsupported)

// beginMux is begin for requests of ferry's own: without a rawMux on
// the connection it fails with errNoMux, naming op and name.
func (f *FS) beginMux(ctx context.Context, op, name string) (*link, *guard, error) {
	l, g, err := f.begin(ctx)
	if err != nil {
		return nil, nil, beginErr(op, name, err)
	}
	if l.mux == nil {
		g.done()
		return nil, nil, &fs.PathError{Op: op, Path: name, Err: errNoMux}
	}
	return l, g, nil
}

// rawDo sends reqs at once on l's mux and waits for every answer, in
// order.
func rawDo(ctx context.Context, l *link, reqs []rawReq) ([]rawAnswer, error) {
	chans, err := l.mux.send(reqs)
	if err != nil {
		return nil, err
	}
	out := make([]rawAnswer, len(reqs))
	for i, ch := range chans {
		if out[i], err = l.mux.wait(ctx, l.dead, ch); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// rawOpen opens name with pflags (and, when perm is not nil, permission
// bits in the request's attributes) and returns the handle.
func rawOpen(ctx context.Context, l *link, name string, pflags uint32, perm *fs.FileMode) ([]byte, error) {
	a, err := rawDo(ctx, l, []rawReq{openReq(name, pflags, perm)})
	if err != nil {
		return nil, err
	}
	return openHandle(a[0])
}

// openReq is an OPEN of name with pflags and, when perm is not nil,
// permission bits in its attributes.
func openReq(name string, pflags uint32, perm *fs.FileMode) rawReq {
	body := sftpwire.AppendBytes(nil, []byte(name))
	body = sftpwire.AppendUint32(body, pflags)
	if perm != nil {
		body = sftpwire.AppendUint32(body, sftpwire.AttrPerm)
		body = sftpwire.AppendUint32(body, uint32(perm.Perm()))
	} else {
		body = sftpwire.AppendUint32(body, 0)
	}
	return rawReq{sftpwire.TypeOpen, body}
}

// openHandle returns the handle an OPEN's answer a carries, or the error
// it reports.
func openHandle(a rawAnswer) ([]byte, error) {
	if err := rawStatus(a, sftpwire.TypeHandle); err != nil {
		return nil, err
	}
	h, _, ok := sftpwire.CutString(a.body)
	if !ok {
		return nil, fmt.Errorf("%w: HANDLE of %d bytes", errRawProtocol, len(a.body))
	}
	return h, nil
}

// CreateSmall creates name, which must not exist, for writing, with
// permission bits perm in the OPEN request (the server may take away
// what its umask says; WriteAndClose sets them exactly before any data).
// It saves pkg/sftp's separate chmod or fstat.
func (f *FS) CreateSmall(ctx context.Context, name string, perm fs.FileMode) (io.WriteCloser, error) {
	l, g, err := f.beginMux(ctx, "create", name)
	if err != nil {
		return nil, err
	}
	perm = perm.Perm()
	// Once the OPEN is sent the file may exist: its answer is awaited
	// even after a cancel (the guard ends the wait a second later), so
	// that the caller gets the file to remove, as pkg/sftp's OpenFile
	// does.
	h, err := rawOpen(context.WithoutCancel(ctx), l, name, rawOpenWrite|rawOpenCreat|rawOpenExcl, &perm)
	if err = f.end(ctx, l, g, "create", name, err); err != nil {
		return nil, err
	}
	return &smallFile{f: f, l: l, name: name, perm: perm, handle: h}, nil
}

// CreateExclMasked creates name, which must not exist, for writing, with
// permission bits perm in the create request itself: the server may take
// bits away (its umask) but adds none, so the file is never more open
// than perm, and the caller sets perm exactly before the file is put in
// place. pkg/sftp sends no attributes with OPEN, so ferry's own OPEN
// (rawMux) creates the file and pkg/sftp's, sent right behind it on the
// same channel to a server that keeps the order of requests, opens it
// for writing: one round trip, where CreateExclDefault and a look at the
// mode it gave cost two. The returned *sftp.File is CreateExclDefault's.
// Without rawMux the error wraps errors.ErrUnsupported and nothing was
// created.
func (f *FS) CreateExclMasked(ctx context.Context, name string, perm fs.FileMode) (io.WriteCloser, error) {
	l, g, err := f.beginMux(ctx, "create", name)
	if err != nil {
		return nil, err
	}
	perm = perm.Perm()
	if perm&0o200 == 0 {
		// The second OPEN, for writing, would be refused.
		g.done()
		return nil, &fs.PathError{Op: "create", Path: name, Err: errNotWritable}
	}
	chans, err := l.mux.send([]rawReq{openReq(name, rawOpenWrite|rawOpenCreat|rawOpenExcl, &perm)})
	if err != nil {
		return nil, f.end(ctx, l, g, "create", name, err)
	}
	fh, openErr := l.sftp.OpenFile(name, os.O_WRONLY)
	// Once the create is sent the file may exist: its answer is awaited
	// even after a cancel (the guard ends the wait a second later), as
	// CreateSmall's is.
	a, err := l.mux.wait(context.WithoutCancel(ctx), l.dead, chans[0])
	var h []byte
	if err == nil {
		h, err = openHandle(a)
	}
	if err != nil {
		// Not created here (it existed, its directory is missing, the
		// link went): the second OPEN may have opened someone else's
		// file.
		if openErr == nil {
			fh.Close()
		}
		return nil, f.end(ctx, l, g, "create", name, err)
	}
	// Our handle's CLOSE needs no wait: its answer is dropped, as
	// ReadSmall's is.
	_, _ = l.mux.send([]rawReq{{sftpwire.TypeClose, sftpwire.AppendBytes(nil, h)}})
	if openErr != nil {
		_ = l.sftp.Remove(name)
		if refusedMode(openErr) {
			// A umask that takes the owner's write bit away.
			g.done()
			return nil, &fs.PathError{Op: "create", Path: name, Err: errNotWritable}
		}
		return nil, f.end(ctx, l, g, "create", name, openErr)
	}
	g.done()
	return fh, nil
}

// errNotWritable says CreateExclMasked cannot open the file it makes for
// writing: its permission bits, as asked or as the server's umask left
// them, lack the owner's write bit.
var errNotWritable = fmt.Errorf("a file created without the owner's write bit cannot be opened again to write: %w", errors.ErrUnsupported)

// smallFile is a file made by CreateSmall: a handle on the link it was
// opened on.
type smallFile struct {
	f      *FS
	l      *link
	name   string
	perm   fs.FileMode
	handle []byte // nil once closed
	off    int64  // where Write writes next
}

// handleReq is a request on the file's handle: typ with the handle and
// then rest.
func (s *smallFile) handleReq(typ byte, rest []byte) rawReq {
	return rawReq{typ, append(sftpwire.AppendBytes(nil, s.handle), rest...)}
}

// writeReqs appends the WRITE requests for data at off.
func (s *smallFile) writeReqs(reqs []rawReq, ops []string, data []byte, off int64) ([]rawReq, []string) {
	for len(data) > 0 {
		n := min(len(data), rawChunk)
		rest := sftpwire.AppendUint64(nil, uint64(off))
		rest = sftpwire.AppendBytes(rest, data[:n])
		reqs, ops = append(reqs, s.handleReq(sftpwire.TypeWrite, rest)), append(ops, "write")
		data, off = data[n:], off+int64(n)
	}
	return reqs, ops
}

// run sends reqs at once and checks every answer (a STATUS OK each); the
// error names the first request that failed by its op.
func (s *smallFile) run(ctx context.Context, reqs []rawReq, ops []string) error {
	answers, err := s.send(ctx, reqs, ops)
	if err != nil {
		return err
	}
	return s.check(ctx, answers, ops)
}

// send sends reqs at once on the file's link and returns their answers.
func (s *smallFile) send(ctx context.Context, reqs []rawReq, ops []string) ([]rawAnswer, error) {
	if s.handle == nil {
		return nil, &fs.PathError{Op: "write", Path: s.name, Err: fs.ErrClosed}
	}
	if s.l.down() || s.f.cur() != s.l {
		return nil, lostErr(ops[0], s.name)
	}
	answers, err := rawDo(ctx, s.l, reqs)
	if err != nil {
		return nil, s.f.end(ctx, s.l, nil, ops[0], s.name, err)
	}
	return answers, nil
}

// check returns the error of the first answer that is not a STATUS OK,
// named by its op.
func (s *smallFile) check(ctx context.Context, answers []rawAnswer, ops []string) error {
	for i, a := range answers {
		if err := rawStatus(a, sftpwire.TypeStatus); err != nil {
			return s.f.end(ctx, s.l, nil, ops[i], s.name, err)
		}
	}
	return nil
}

// refusedMode reports whether err is a server's refusal to set a mode
// (permission denied, or not supported) rather than a failure of the
// file.
func refusedMode(err error) bool {
	var se *sftp.StatusError
	return errors.As(err, &se) &&
		(se.Code == uint32(sftp.ErrSSHFxPermissionDenied) || se.Code == uint32(sftp.ErrSSHFxOpUnsupported))
}

// keptMode explains a refused chmod (chmodErr) of a file otherwise
// written whole: no failure when the file has the permission bits wanted
// anyway (the OPEN gave them), as transfer's createExcl sends no chmod
// when a directory's new files get the bits wanted; else chmodErr.
func (s *smallFile) keptMode(ctx context.Context, chmodErr error) error {
	fi, err := s.f.Lstat(ctx, s.name)
	if err == nil && fi.Mode().Perm() == s.perm {
		return nil
	}
	return s.f.end(ctx, s.l, nil, "chmod", s.name, chmodErr)
}

// Write writes b at the file's offset in one round trip.
func (s *smallFile) Write(b []byte) (int, error) {
	reqs, ops := s.writeReqs(nil, nil, b, s.off)
	if len(reqs) == 0 {
		return 0, nil
	}
	if err := s.run(context.Background(), reqs, ops); err != nil {
		return 0, err
	}
	s.off += int64(len(b))
	return len(b), nil
}

// Close closes the file.
func (s *smallFile) Close() error {
	if s.handle == nil {
		return &fs.PathError{Op: "close", Path: s.name, Err: fs.ErrClosed}
	}
	req := s.handleReq(sftpwire.TypeClose, nil)
	err := s.run(context.Background(), []rawReq{req}, []string{"close"})
	s.handle = nil
	return err
}

// WriteAndClose sets the file's permission bits, writes data from offset
// 0, sets its times to mtime (unless zero), flushes it when sync is set
// (fsync@openssh.com) and closes it: all sent at once, each answer
// checked, the first failure returned. The server processes them in that
// order, so the permission bits are right before any data lands and the
// writes cannot change the time set after them. A server that refuses
// the permission bits (permission denied or not supported) fails the
// file only when it does not have them anyway (keptMode).
func (s *smallFile) WriteAndClose(ctx context.Context, data []byte, mtime time.Time, sync bool) error {
	if s.handle == nil {
		return &fs.PathError{Op: "write", Path: s.name, Err: fs.ErrClosed}
	}
	reqs := []rawReq{s.handleReq(sftpwire.TypeFsetstat, sftpwire.AppendUint32(sftpwire.AppendUint32(nil, sftpwire.AttrPerm), uint32(s.perm)))}
	ops := []string{"chmod"}
	reqs, ops = s.writeReqs(reqs, ops, data, 0)
	if !mtime.IsZero() {
		t := uint32(mtime.Unix())
		rest := sftpwire.AppendUint32(nil, sftpwire.AttrTimes)
		rest = sftpwire.AppendUint32(rest, t) // atime
		rest = sftpwire.AppendUint32(rest, t) // mtime
		reqs, ops = append(reqs, s.handleReq(sftpwire.TypeFsetstat, rest)), append(ops, "chtimes")
	}
	if sync {
		body := sftpwire.AppendBytes(nil, []byte("fsync@openssh.com"))
		body = sftpwire.AppendBytes(body, s.handle)
		reqs, ops = append(reqs, rawReq{sftpwire.TypeExtended, body}), append(ops, "fsync")
	}
	reqs, ops = append(reqs, s.handleReq(sftpwire.TypeClose, nil)), append(ops, "close")
	answers, err := s.send(ctx, reqs, ops)
	s.handle = nil
	if err != nil {
		return err
	}
	chmodErr := rawStatus(answers[0], sftpwire.TypeStatus)
	if chmodErr != nil && !refusedMode(chmodErr) {
		return s.f.end(ctx, s.l, nil, ops[0], s.name, chmodErr)
	}
	if err := s.check(ctx, answers[1:], ops[1:]); err != nil {
		return err
	}
	if chmodErr != nil {
		return s.keptMode(ctx, chmodErr)
	}
	return nil
}

// ReadSmall reads the whole of name, listed with size bytes: the OPEN,
// then the READs, a one-byte READ past the end (which must find the end)
// and the CLOSE, all at once. It returns nil and no error when the file
// is not size bytes long any more or a READ was answered short.
func (f *FS) ReadSmall(ctx context.Context, name string, size int64) ([]byte, error) {
	if size < 0 {
		return nil, &fs.PathError{Op: "open", Path: name, Err: errNoMux}
	}
	l, g, err := f.beginMux(ctx, "open", name)
	if err != nil {
		return nil, err
	}
	// Once the OPEN is sent a handle may come back: its answer is awaited
	// even after a cancel (the guard ends the wait a second later), so
	// that the handle is closed rather than left open on the server.
	h, err := rawOpen(context.WithoutCancel(ctx), l, name, rawOpenRead, nil)
	if err = f.end(ctx, l, g, "open", name, err); err != nil {
		return nil, err
	}
	s := &smallFile{f: f, l: l, name: name, handle: h}
	if err := ctx.Err(); err != nil {
		// The CLOSE's answer is not waited for: nothing depends on it.
		_, _ = l.mux.send([]rawReq{s.handleReq(sftpwire.TypeClose, nil)})
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	var reqs []rawReq
	read := func(off int64, n int) {
		rest := sftpwire.AppendUint64(nil, uint64(off))
		rest = sftpwire.AppendUint32(rest, uint32(n))
		reqs = append(reqs, s.handleReq(sftpwire.TypeRead, rest))
	}
	for off := int64(0); off < size; off += rawChunk {
		read(off, int(min(rawChunk, size-off)))
	}
	read(size, 1)
	reqs = append(reqs, s.handleReq(sftpwire.TypeClose, nil))
	answers, err := rawDo(ctx, l, reqs)
	if err != nil {
		return nil, f.end(ctx, l, nil, "read", name, err)
	}
	data := make([]byte, 0, size)
	for i, a := range answers[:len(answers)-1] {
		last := i == len(answers)-2 // the probe past the end
		switch a.typ {
		case sftpwire.TypeData:
			b, _, ok := sftpwire.CutString(a.body)
			want := int(min(rawChunk, size-int64(len(data))))
			if last {
				want = 1
			}
			if !ok || len(b) > want {
				return nil, f.end(ctx, l, nil, "read", name, fmt.Errorf("%w: DATA of %d bytes", errRawProtocol, len(a.body)))
			}
			if last || len(b) < want {
				return nil, nil // grew, or a short answer
			}
			data = append(data, b...)
		case sftpwire.TypeStatus:
			err := rawStatus(a, sftpwire.TypeData)
			var se *sftp.StatusError
			if errors.As(err, &se) && se.Code == uint32(sftp.ErrSSHFxEOF) {
				if last {
					continue
				}
				return nil, nil // shrank
			}
			return nil, f.end(ctx, l, nil, "read", name, err)
		default:
			return nil, f.end(ctx, l, nil, "read", name, rawStatus(a, sftpwire.TypeData))
		}
	}
	// The CLOSE's answer is not looked at: the data is all here.
	return data, nil
}
