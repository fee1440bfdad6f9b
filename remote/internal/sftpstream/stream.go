package remote

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// SFTP version 3 packet types used by sftpStream.
const (
	fxpInit    = 1
	fxpVersion = 2
	fxpOpen    = 3
	fxpClose   = 4
	fxpRead    = 5
	fxpStatus  = 101
	fxpHandle  = 102
	fxpData    = 103

	fxfRead = 0x1 // SSH_FXF_READ
)

// maxControlPacket bounds every response but DATA (status, handle,
// version): a hostile server cannot make us allocate more.
const maxControlPacket = 64 << 10

// sftpStream is a minimal SFTP version 3 client that does one thing:
// read a whole file in order, with depth READ requests of chunk bytes in
// flight, into a writer, reusing its buffers from file to file. It exists
// because pkg/sftp allocates a fresh buffer for every packet it receives
// and copies each one once more; on a fast link that is what limits a
// download (see stream.go). It is not safe for concurrent use.
type sftpStream struct {
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

// statusErr is an SFTP status other than OK from the server.
type statusErr struct {
	code uint32
	msg  string
}

func (e *statusErr) Error() string { return fmt.Sprintf("SFTP status %d: %q", e.code, e.msg) }

var (
	// errProtocol marks a response this client cannot make sense of.
	errProtocol = errors.New("unexpected response from the SFTP server")
	// errChangedWhileRead is a file that had data past the end the server
	// reported: it grew or was replaced while it was read.
	errChangedWhileRead = errors.New("the file changed while it was read: data past its end")
)

// newSFTPStream starts the protocol on r and w (an SFTP subsystem's
// output and input): INIT, then the server's VERSION.
func newSFTPStream(r io.Reader, w io.Writer, chunk, depth int) (*sftpStream, error) {
	// The read buffer is small so that most of each DATA is read straight
	// into its chunk buffer rather than copied through this one.
	s := &sftpStream{r: bufio.NewReaderSize(r, 4<<10), w: w, chunk: chunk, depth: depth}
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
		return nil, fmt.Errorf("%w: packet type %d instead of VERSION", errProtocol, typ)
	}
	// The version and any extensions are of no use here.
	if _, err := s.r.Discard(int(length - 1)); err != nil {
		return nil, err
	}
	return s, nil
}

// begin starts a request of type typ in s.req, leaving room for the length.
func (s *sftpStream) begin(typ byte) {
	s.req = append(s.req[:0], 0, 0, 0, 0, typ)
}

// beginID starts a request that carries a new request id, and returns it.
func (s *sftpStream) beginID(typ byte) uint32 {
	s.begin(typ)
	s.nextID++
	s.req = binary.BigEndian.AppendUint32(s.req, s.nextID)
	return s.nextID
}

// appendString appends an SFTP string (length, bytes).
func (s *sftpStream) appendString(b []byte) {
	s.req = binary.BigEndian.AppendUint32(s.req, uint32(len(b)))
	s.req = append(s.req, b...)
}

// send fills in the length of s.req and writes it.
func (s *sftpStream) send() error {
	binary.BigEndian.PutUint32(s.req, uint32(len(s.req)-4))
	_, err := s.w.Write(s.req)
	return err
}

// readLengthType reads a packet's length and type.
func (s *sftpStream) readLengthType() (length uint32, typ byte, err error) {
	var h [5]byte
	if _, err := io.ReadFull(s.r, h[:]); err != nil {
		return 0, 0, err
	}
	length = binary.BigEndian.Uint32(h[:])
	if length < 1 {
		return 0, 0, fmt.Errorf("%w: empty packet", errProtocol)
	}
	return length, h[4], nil
}

// readResponse reads the next response's length, type and request id.
// rest is how many bytes of it are left to read.
func (s *sftpStream) readResponse() (typ byte, id uint32, rest int, err error) {
	length, typ, err := s.readLengthType()
	if err != nil {
		return 0, 0, 0, err
	}
	if length < 5 {
		return 0, 0, 0, fmt.Errorf("%w: packet of %d bytes", errProtocol, length)
	}
	var b [4]byte
	if _, err := io.ReadFull(s.r, b[:]); err != nil {
		return 0, 0, 0, err
	}
	rest = int(length - 5)
	if typ != fxpData && rest > maxControlPacket {
		return 0, 0, 0, fmt.Errorf("%w: packet of %d bytes", errProtocol, length)
	}
	return typ, binary.BigEndian.Uint32(b[:]), rest, nil
}

// readBody reads the rest of a control response.
func (s *sftpStream) readBody(rest int) ([]byte, error) {
	b := make([]byte, rest)
	_, err := io.ReadFull(s.r, b)
	return b, err
}

// parseStatus decodes a STATUS body; the message and language tag are
// optional (SFTP version 3 servers may omit them).
func parseStatus(b []byte) (*statusErr, error) {
	if len(b) < 4 {
		return nil, fmt.Errorf("%w: STATUS of %d bytes", errProtocol, len(b))
	}
	e := &statusErr{code: binary.BigEndian.Uint32(b)}
	if msg, ok := parseString(b[4:]); ok {
		e.msg = string(msg)
	}
	return e, nil
}

// parseString decodes an SFTP string at the start of b.
func parseString(b []byte) ([]byte, bool) {
	if len(b) < 4 {
		return nil, false
	}
	n := binary.BigEndian.Uint32(b)
	if uint64(n) > uint64(len(b)-4) {
		return nil, false
	}
	return b[4 : 4+n], true
}

// control sends the request in s.req (with id) and reads its answer: a
// STATUS is returned as err unless it is OK, anything else as typ and body.
func (s *sftpStream) control(id uint32) (typ byte, body []byte, err error) {
	if err := s.send(); err != nil {
		return 0, nil, err
	}
	typ, rid, rest, err := s.readResponse()
	if err != nil {
		return 0, nil, err
	}
	if rid != id {
		return 0, nil, fmt.Errorf("%w: answer to request %d while waiting for %d", errProtocol, rid, id)
	}
	if typ != fxpStatus && typ != fxpHandle || rest > maxControlPacket {
		return 0, nil, fmt.Errorf("%w: packet type %d of %d bytes", errProtocol, typ, rest)
	}
	body, err = s.readBody(rest)
	if err != nil {
		return 0, nil, err
	}
	if typ == fxpStatus {
		st, err := parseStatus(body)
		if err != nil {
			return 0, nil, err
		}
		if st.code != 0 {
			return typ, nil, st
		}
	}
	return typ, body, nil
}

// open opens name for reading and returns its handle.
func (s *sftpStream) open(name string) ([]byte, error) {
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
		return nil, fmt.Errorf("%w: packet type %d instead of HANDLE", errProtocol, typ)
	}
	return h, nil
}

// close closes handle.
func (s *sftpStream) close(handle []byte) error {
	id := s.beginID(fxpClose)
	s.appendString(handle)
	typ, _, err := s.control(id)
	if err == nil && typ != fxpStatus {
		err = fmt.Errorf("%w: packet type %d instead of STATUS", errProtocol, typ)
	}
	return err
}

// queueRead adds a READ of want bytes at off for r, under a new request
// id, to the requests flush sends.
func (s *sftpStream) queueRead(handle []byte, r *readReq) {
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
func (s *sftpStream) flush() error {
	if len(s.batch) == 0 {
		return nil
	}
	_, err := s.w.Write(s.batch)
	s.batch = s.batch[:0]
	return err
}

// issue queues a READ of one chunk at off.
func (s *sftpStream) issue(handle []byte, off int64) {
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
	r.off, r.want = off, s.chunk
	s.queue = append(s.queue, r)
	s.queueRead(handle, r)
}

// pop removes the oldest request and keeps its buffer for reuse.
func (s *sftpStream) pop() {
	r := s.queue[0]
	s.queue[0] = nil
	s.queue = s.queue[1:]
	s.free = append(s.free, r.buf)
	r.buf = nil
	s.spare = append(s.spare, r)
}

// receive reads one answer into the request it belongs to.
func (s *sftpStream) receive() error {
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
		return fmt.Errorf("%w: answer to request %d, which is not in flight", errProtocol, id)
	}
	switch typ {
	case fxpData:
		var b [4]byte
		if rest < 4 {
			return fmt.Errorf("%w: short DATA packet", errProtocol)
		}
		if _, err := io.ReadFull(s.r, b[:]); err != nil {
			return err
		}
		n := int(binary.BigEndian.Uint32(b[:]))
		if n != rest-4 || n > r.want || n == 0 {
			return fmt.Errorf("%w: %d bytes of DATA for a read of %d", errProtocol, n, r.want)
		}
		if _, err := io.ReadFull(s.r, r.buf[:n]); err != nil {
			return err
		}
		r.n = n
	case fxpStatus:
		body, err := s.readBody(rest)
		if err != nil {
			return err
		}
		st, err := parseStatus(body)
		switch {
		case err != nil:
			return err
		case st.code == 0:
			return fmt.Errorf("%w: STATUS OK in answer to READ", errProtocol)
		case st.code != codeEOF:
			return st
		}
		r.eof = true
	default:
		return fmt.Errorf("%w: packet type %d in answer to READ", errProtocol, typ)
	}
	r.answered = true
	return nil
}

// copyTo reads handle from off to its end into dst, in order. The server
// may answer out of order and with fewer bytes than asked; the rest of a
// short answer is asked for again before anything after it is written.
// Any error leaves requests in flight: the stream must not be reused.
func (s *sftpStream) copyTo(dst io.Writer, handle []byte, off int64) (written int64, readErr, writeErr error) {
	next, eof := off, false
	for {
		// The queue is refilled once a quarter of it has been answered,
		// in one write: one SSH packet and system call for several READs,
		// while what is still asked for stays well above a channel's
		// window (2 MiB in x/crypto).
		if !eof && len(s.queue) <= s.depth-max(s.depth/4, 1) {
			for len(s.queue) < s.depth {
				s.issue(handle, next)
				next += int64(s.chunk)
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
				return written, errChangedWhileRead, nil
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
