// Package sftpstream is the protocol half of ferry's fast download path:
// a minimal SFTP version 3 client that opens a file, reads it to its end
// with pipelined READ requests into buffers it reuses, and closes it.
// Every answer from the server is checked before it is trusted: a packet
// other than DATA is never longer than 64 KiB, a DATA is never longer than
// what was asked, and an answer to a request not in flight is refused, so
// a hostile server can neither crash the client nor make it allocate. The
// channels it runs on are remote's.
package sftpstream

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Stream is a minimal SFTP version 3 client that does one thing: read a
// whole file in order, with depth READ requests of chunk bytes in flight,
// into a writer, reusing its buffers from file to file. It exists because
// pkg/sftp allocates a fresh buffer for every packet it receives and
// copies each one once more; on a fast link that is what limits a download
// (see remote's stream.go). It is not safe for concurrent use.
type Stream struct {
	r      *bufio.Reader
	w      io.Writer
	chunk  int
	depth  int
	nextID uint32
	req    []byte   // the request being built
	batch  []byte   // READs not sent yet
	free   [][]byte // chunk buffers, reused
	queue  []*readReq
	spare  []*readReq
}

// readReq is one READ in flight.
type readReq struct {
	id       uint32
	off      int64
	want     int
	buf      []byte
	n        int  // bytes the answer carried
	answered bool // a DATA or STATUS arrived
	eof      bool // the answer was SSH_FX_EOF
}

var (
	// ErrProtocol is wrapped by the error for an answer this client
	// cannot make sense of.
	ErrProtocol = errors.New("unexpected response from the SFTP server")
	// ErrChangedWhileRead is returned for a file that had data past the
	// end the server reported: it grew or was replaced while it was read.
	ErrChangedWhileRead = errors.New("the file changed while it was read: data past its end")
)

// New starts the protocol on r and w (an SFTP subsystem's output and
// input): INIT, then the server's VERSION. chunk is the size of each READ
// and depth how many are in flight; the stream keeps depth buffers of
// chunk bytes.
func New(r io.Reader, w io.Writer, chunk, depth int) (*Stream, error) {
	// The read buffer is small so that most of each DATA is read straight
	// into its chunk buffer rather than copied through this one.
	s := &Stream{r: bufio.NewReaderSize(r, 4<<10), w: w, chunk: chunk, depth: depth}
	s.begin(fxpInit)
	s.req = binary.BigEndian.AppendUint32(s.req, 3)
	if err := s.send(); err != nil {
		return nil, err
	}
	length, typ, err := s.readLengthType()
	if err != nil {
		return nil, err
	}
	if typ != fxpVersion || length < 5 || length > maxControlPacket {
		return nil, fmt.Errorf("%w: packet type %d instead of VERSION", ErrProtocol, typ)
	}
	// The version and any extensions are of no use here.
	if _, err := s.r.Discard(int(length - 1)); err != nil {
		return nil, err
	}
	return s, nil
}

// Open opens name for reading and returns its handle. A status from the
// server is an *sftp.StatusError, and leaves the stream in step: it can
// be used again. Any other error leaves it out of step.
func (s *Stream) Open(name string) ([]byte, error) {
	id := s.beginID(fxpOpen)
	s.appendString([]byte(name))
	s.req = binary.BigEndian.AppendUint32(s.req, fxfRead)
	s.req = binary.BigEndian.AppendUint32(s.req, 0) // no attributes
	typ, body, err := s.control(id)
	if err != nil {
		return nil, err
	}
	h, ok := parseString(body)
	if typ != fxpHandle || !ok {
		return nil, fmt.Errorf("%w: packet type %d instead of HANDLE", ErrProtocol, typ)
	}
	return h, nil
}

// Close closes handle. Errors are as Open's.
func (s *Stream) Close(handle []byte) error {
	id := s.beginID(fxpClose)
	s.appendString(handle)
	typ, _, err := s.control(id)
	if err == nil && typ != fxpStatus {
		err = fmt.Errorf("%w: packet type %d instead of STATUS", ErrProtocol, typ)
	}
	return err
}

// queueRead adds a READ of want bytes at off for r, under a new request
// id, to the requests flush sends.
func (s *Stream) queueRead(handle []byte, r *readReq) {
	r.id = s.beginID(fxpRead)
	s.appendString(handle)
	s.req = binary.BigEndian.AppendUint64(s.req, uint64(r.off))
	s.req = binary.BigEndian.AppendUint32(s.req, uint32(r.want))
	r.n, r.answered, r.eof = 0, false, false
	binary.BigEndian.PutUint32(s.req, uint32(len(s.req)-4))
	s.batch = append(s.batch, s.req...)
}

// flush sends the READs queued since the last flush in one write: one SSH
// packet (and one system call) for many requests.
func (s *Stream) flush() error {
	if len(s.batch) == 0 {
		return nil
	}
	_, err := s.w.Write(s.batch)
	s.batch = s.batch[:0]
	return err
}

// issue queues a READ of want bytes (at most one chunk) at off.
func (s *Stream) issue(handle []byte, off int64, want int) {
	var r *readReq
	if n := len(s.spare); n > 0 {
		r, s.spare = s.spare[n-1], s.spare[:n-1]
	} else {
		r = new(readReq)
	}
	if n := len(s.free); n > 0 {
		r.buf, s.free = s.free[n-1], s.free[:n-1]
	} else {
		r.buf = make([]byte, s.chunk)
	}
	r.off, r.want = off, want
	s.queue = append(s.queue, r)
	s.queueRead(handle, r)
}

// pop removes the oldest request and keeps its buffer for reuse.
func (s *Stream) pop() {
	r := s.queue[0]
	s.queue[0] = nil
	s.queue = s.queue[1:]
	s.free = append(s.free, r.buf)
	r.buf = nil
	s.spare = append(s.spare, r)
}

// receive reads one answer into the request it belongs to.
func (s *Stream) receive() error {
	typ, id, rest, err := s.readResponse()
	if err != nil {
		return err
	}
	var r *readReq
	for _, q := range s.queue {
		if q.id == id && !q.answered {
			r = q
			break
		}
	}
	if r == nil {
		return fmt.Errorf("%w: answer to request %d, which is not in flight", ErrProtocol, id)
	}
	switch typ {
	case fxpData:
		var b [4]byte
		if rest < 4 {
			return fmt.Errorf("%w: short DATA packet", ErrProtocol)
		}
		if _, err := io.ReadFull(s.r, b[:]); err != nil {
			return err
		}
		// Compared as on the wire, before any conversion to int.
		n := binary.BigEndian.Uint32(b[:])
		if n != rest-4 || n > uint32(r.want) || n == 0 {
			return fmt.Errorf("%w: %d bytes of DATA for a read of %d", ErrProtocol, n, r.want)
		}
		if _, err := io.ReadFull(s.r, r.buf[:n]); err != nil {
			return err
		}
		r.n = int(n)
	case fxpStatus:
		body, err := s.readBody(rest)
		if err != nil {
			return err
		}
		code, err := parseStatus(body)
		switch {
		case err != nil:
			return err
		case code == statusOK:
			return fmt.Errorf("%w: STATUS OK in answer to READ", ErrProtocol)
		case code != statusEOF:
			return statusError(code)
		}
		r.eof = true
	default:
		return fmt.Errorf("%w: packet type %d in answer to READ", ErrProtocol, typ)
	}
	r.answered = true
	return nil
}

// CopyTo reads handle from off to its end into dst, in order, and returns
// how many bytes it wrote. The server may answer out of order and with
// fewer bytes than asked; the rest of a short answer is asked for again
// before anything after it is written. readErr is a failure to read: a
// status other than end of file (an *sftp.StatusError), an answer that
// wraps ErrProtocol, ErrChangedWhileRead, or the connection's error.
// writeErr is dst's. Any error leaves requests in flight: the stream must
// not be used again.
func (s *Stream) CopyTo(dst io.Writer, handle []byte, off int64) (written int64, readErr, writeErr error) {
	return s.CopyRange(dst, handle, off, -1)
}

// CopyRange is CopyTo that stops at end: it reads handle from off up to
// end (or its end of file, whichever comes first) into dst. An end below
// zero means the end of the file. A file that ends before end is not an
// error: written says how far it got.
func (s *Stream) CopyRange(dst io.Writer, handle []byte, off, end int64) (written int64, readErr, writeErr error) {
	next, eof := off, false
	more := func() bool { return !eof && (end < 0 || next < end) }
	for {
		// The queue is refilled once a quarter of it has been answered,
		// in one write: one SSH packet and system call for several READs,
		// while what is still asked for stays well above a channel's
		// window (2 MiB in x/crypto).
		if more() && len(s.queue) <= s.depth-max(s.depth/4, 1) {
			for len(s.queue) < s.depth && more() {
				want := int64(s.chunk)
				if end >= 0 {
					want = min(want, end-next)
				}
				s.issue(handle, next, int(want))
				next += want
			}
			if err := s.flush(); err != nil {
				return written, err, nil
			}
		}
		if len(s.queue) == 0 {
			return written, nil, nil
		}
		if err := s.receive(); err != nil {
			return written, err, nil
		}
		for len(s.queue) > 0 && s.queue[0].answered {
			h := s.queue[0]
			switch {
			case eof && !h.eof:
				// The server said the file ended, then sent data past
				// that end: it changed while it was read.
				return written, ErrChangedWhileRead, nil
			case eof:
				// Answers beyond the end are drained.
			case h.eof:
				eof = true
			default:
				if _, err := dst.Write(h.buf[:h.n]); err != nil {
					return written, nil, err
				}
				written += int64(h.n)
				if h.n < h.want {
					// A short read: the rest of this chunk comes next.
					h.off += int64(h.n)
					h.want -= h.n
					s.queueRead(handle, h)
					if err := s.flush(); err != nil {
						return written, err, nil
					}
					continue
				}
			}
			s.pop()
		}
	}
}
