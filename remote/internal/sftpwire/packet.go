// Package sftpwire speaks SFTP version 3 (draft-ietf-secsh-filexfer-02)
// below pkg/sftp, for what pkg/sftp does not offer: packet framing, the
// parsing of packet bodies, and a client that keeps many requests in
// flight on an SSH channel of its own.
//
// It trusts nothing a server sends: every length is compared as a uint32,
// as on the wire, against a bound before it becomes an int or an
// allocation, and a malformed body is reported, never indexed past.
// A non-OK STATUS becomes pkg/sftp's *sftp.StatusError, so that remote
// explains it as it explains every other status.
package sftpwire

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// SFTP version 3 packet types.
const (
	TypeInit          = 1
	TypeVersion       = 2
	TypeOpen          = 3
	TypeClose         = 4
	TypeRead          = 5
	TypeWrite         = 6
	TypeLstat         = 7
	TypeFsetstat      = 10
	TypeOpendir       = 11
	TypeReaddir       = 12
	TypeStat          = 17
	TypeStatus        = 101
	TypeHandle        = 102
	TypeData          = 103
	TypeName          = 104
	TypeAttrs         = 105
	TypeExtended      = 200
	TypeExtendedReply = 201
)

// Attribute flags of SFTP version 3: which fields an ATTRS holds.
const (
	AttrSize     = 0x1
	AttrUIDGID   = 0x2
	AttrPerm     = 0x4
	AttrTimes    = 0x8
	AttrExtended = 0x80000000
)

// SFTP status codes used here; pkg/sftp names all of them.
const (
	StatusOK            = 0
	StatusEOF           = 1
	StatusOpUnsupported = 8
)

// Version is the protocol version this package speaks.
const Version = 3

// ErrProtocol says that the server broke the protocol: a packet or a body
// that cannot be what the server claims it is.
var ErrProtocol = errors.New("sftp protocol error")

// Begin starts a packet of type typ at the end of b, leaving room for its
// length, which Finish fills in.
func Begin(b []byte, typ byte) []byte {
	return append(b, 0, 0, 0, 0, typ)
}

// BeginID starts a packet of type typ that carries the request id id.
func BeginID(b []byte, typ byte, id uint32) []byte {
	return binary.BigEndian.AppendUint32(Begin(b, typ), id)
}

// Finish fills in the length of the packet that starts at b[0].
func Finish(b []byte) []byte {
	binary.BigEndian.PutUint32(b, uint32(len(b)-4))
	return b
}

// AppendUint32 appends v as an SFTP uint32.
func AppendUint32(b []byte, v uint32) []byte { return binary.BigEndian.AppendUint32(b, v) }

// AppendUint64 appends v as an SFTP uint64.
func AppendUint64(b []byte, v uint64) []byte { return binary.BigEndian.AppendUint64(b, v) }

// AppendString appends s as an SFTP string: its length, then its bytes.
func AppendString(b []byte, s string) []byte {
	return append(AppendUint32(b, uint32(len(s))), s...)
}

// AppendBytes appends s as an SFTP string: its length, then its bytes.
func AppendBytes(b, s []byte) []byte {
	return append(AppendUint32(b, uint32(len(s))), s...)
}

// ReadHeader reads a packet's length and type and returns the length of
// the body that follows the type. A body longer than max is refused
// before anything is allocated for it.
func ReadHeader(r io.Reader, max uint32) (typ byte, n uint32, err error) {
	var h [5]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return 0, 0, err
	}
	length := binary.BigEndian.Uint32(h[:4])
	if length < 1 {
		return 0, 0, fmt.Errorf("%w: empty packet", ErrProtocol)
	}
	if length-1 > max {
		return 0, 0, fmt.Errorf("%w: packet of %d bytes", ErrProtocol, length)
	}
	return h[4], length - 1, nil
}

// ReadPacket reads one packet, whose body (what follows its type) may be
// at most max bytes long, and returns its type and body.
func ReadPacket(r io.Reader, max uint32) (typ byte, body []byte, err error) {
	typ, n, err := ReadHeader(r, max)
	if err != nil {
		return 0, nil, err
	}
	body = make([]byte, n)
	if _, err := io.ReadFull(r, body); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return 0, nil, err
	}
	return typ, body, nil
}

// Hello sends INIT for version 3 on w and reads the server's VERSION from
// r, of at most max bytes, returning the extensions it lists (name to
// data). A malformed list of extensions ends the list: the handshake
// itself succeeded.
func Hello(r io.Reader, w io.Writer, max uint32) (map[string]string, error) {
	if _, err := w.Write(Finish(AppendUint32(Begin(nil, TypeInit), Version))); err != nil {
		return nil, fmt.Errorf("sftp handshake: %w", err)
	}
	typ, body, err := ReadPacket(r, max)
	if err != nil {
		return nil, fmt.Errorf("sftp handshake: %w", err)
	}
	if typ != TypeVersion {
		return nil, fmt.Errorf("sftp handshake: %w: packet %d instead of VERSION", ErrProtocol, typ)
	}
	p := NewParser(body)
	p.Uint32() // the server's version: 3 or more, it answers in ours
	ext := map[string]string{}
	for p.Len() > 0 {
		name, data := p.String(), p.String()
		if p.Err() != nil {
			break
		}
		ext[string(name)] = string(data)
	}
	return ext, nil
}
