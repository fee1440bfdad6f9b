package sftpstream

import (
	"encoding/binary"
	"fmt"
	"io"

	"github.com/ferry-tui/ferry/remote/internal/sftpwire"
	"github.com/pkg/sftp"
)

// SFTP version 3 packet types used by Stream.
const (
	fxpInit    = sftpwire.TypeInit
	fxpVersion = sftpwire.TypeVersion
	fxpOpen    = sftpwire.TypeOpen
	fxpClose   = sftpwire.TypeClose
	fxpRead    = sftpwire.TypeRead
	fxpStatus  = sftpwire.TypeStatus
	fxpHandle  = sftpwire.TypeHandle
	fxpData    = sftpwire.TypeData

	fxfRead = 0x1 // SSH_FXF_READ

	statusOK  = uint32(sftp.ErrSSHFxOk)
	statusEOF = uint32(sftp.ErrSSHFxEOF)
)

// maxControlPacket bounds every response but DATA (status, handle,
// version): a hostile server cannot make us allocate more.
const maxControlPacket = 64 << 10

// begin starts a request of type typ in s.req, leaving room for the length.
func (s *Stream) begin(typ byte) {
	s.req = append(s.req[:0], 0, 0, 0, 0, typ)
}

// beginID starts a request that carries a new request id, and returns it.
func (s *Stream) beginID(typ byte) uint32 {
	s.begin(typ)
	s.nextID++
	s.req = binary.BigEndian.AppendUint32(s.req, s.nextID)
	return s.nextID
}

// appendString appends an SFTP string (length, bytes).
func (s *Stream) appendString(b []byte) {
	s.req = sftpwire.AppendBytes(s.req, b)
}

// send fills in the length of s.req and writes it.
func (s *Stream) send() error {
	binary.BigEndian.PutUint32(s.req, uint32(len(s.req)-4))
	_, err := s.w.Write(s.req)
	return err
}

// readLengthType reads a packet's length and type.
func (s *Stream) readLengthType() (length uint32, typ byte, err error) {
	var h [5]byte
	if _, err := io.ReadFull(s.r, h[:]); err != nil {
		return 0, 0, err
	}
	length = binary.BigEndian.Uint32(h[:])
	if length < 1 {
		return 0, 0, fmt.Errorf("%w: empty packet", ErrProtocol)
	}
	return length, h[4], nil
}

// readResponse reads the next response's length, type and request id.
// rest is how many bytes of it are left to read: at most
// maxControlPacket unless typ is DATA. It stays a uint32, as on the wire,
// until it is checked against a limit: an int may have only 32 bits.
func (s *Stream) readResponse() (typ byte, id uint32, rest uint32, err error) {
	length, typ, err := s.readLengthType()
	if err != nil {
		return 0, 0, 0, err
	}
	if length < 5 {
		return 0, 0, 0, fmt.Errorf("%w: packet of %d bytes", ErrProtocol, length)
	}
	var b [4]byte
	if _, err := io.ReadFull(s.r, b[:]); err != nil {
		return 0, 0, 0, err
	}
	rest = length - 5
	if typ != fxpData && rest > maxControlPacket {
		return 0, 0, 0, fmt.Errorf("%w: packet of %d bytes", ErrProtocol, length)
	}
	return typ, binary.BigEndian.Uint32(b[:]), rest, nil
}

// readBody reads the rest of a control response, which readResponse has
// checked is at most maxControlPacket bytes.
func (s *Stream) readBody(rest uint32) ([]byte, error) {
	b := make([]byte, rest)
	_, err := io.ReadFull(s.r, b)
	return b, err
}

// parseStatus decodes the code of a STATUS body. What follows it, a
// message and a language tag, is optional in SFTP version 3 and not used:
// a status is explained by its code.
func parseStatus(b []byte) (uint32, error) {
	st, err := sftpwire.ParseStatus(b)
	if err != nil {
		return 0, fmt.Errorf("%w: STATUS of %d bytes", ErrProtocol, len(b))
	}
	return st.Code, nil
}

// statusError is the error for a STATUS with code, which is not OK. It is
// pkg/sftp's type, so that a status reads the same whichever client
// received it.
func statusError(code uint32) error {
	return sftpwire.StatusError(code)
}

// parseString decodes an SFTP string at the start of b.
func parseString(b []byte) ([]byte, bool) {
	s, _, ok := sftpwire.CutString(b)
	return s, ok
}

// control sends the request in s.req (with id) and reads its answer: a
// STATUS is returned as err unless it is OK, anything else as typ and body.
func (s *Stream) control(id uint32) (typ byte, body []byte, err error) {
	if err := s.send(); err != nil {
		return 0, nil, err
	}
	typ, rid, rest, err := s.readResponse()
	if err != nil {
		return 0, nil, err
	}
	if rid != id {
		return 0, nil, fmt.Errorf("%w: answer to request %d while waiting for %d", ErrProtocol, rid, id)
	}
	if typ != fxpStatus && typ != fxpHandle || rest > maxControlPacket {
		return 0, nil, fmt.Errorf("%w: packet type %d of %d bytes", ErrProtocol, typ, rest)
	}
	body, err = s.readBody(rest)
	if err != nil {
		return 0, nil, err
	}
	if typ == fxpStatus {
		code, err := parseStatus(body)
		if err != nil {
			return 0, nil, err
		}
		if code != statusOK {
			return typ, nil, statusError(code)
		}
	}
	return typ, body, nil
}
