package sftpwire

import (
	"encoding/binary"
	"fmt"

	"github.com/pkg/sftp"
)

// Parser reads the fields of a packet body in order. The first field that
// is not there makes it fail: every later field reads as zero, and Err
// says what went wrong. Strings it returns alias the body.
type Parser struct {
	b   []byte
	err error
}

// NewParser returns a Parser over the body b.
func NewParser(b []byte) *Parser { return &Parser{b: b} }

// Err returns why parsing failed, an error wrapping ErrProtocol, or nil.
func (p *Parser) Err() error { return p.err }

// Len returns how many bytes are left to parse.
func (p *Parser) Len() int { return len(p.b) }

// Rest returns the bytes left to parse.
func (p *Parser) Rest() []byte { return p.b }

// fail records that a field of what is missing.
func (p *Parser) fail(what string) {
	if p.err == nil {
		p.err = fmt.Errorf("%w: %s cut short", ErrProtocol, what)
	}
	p.b = nil
}

// Uint32 reads an SFTP uint32.
func (p *Parser) Uint32() uint32 {
	v, rest, ok := CutUint32(p.b)
	if !ok {
		p.fail("uint32")
		return 0
	}
	p.b = rest
	return v
}

// Uint64 reads an SFTP uint64.
func (p *Parser) Uint64() uint64 {
	if p.err != nil || len(p.b) < 8 {
		p.fail("uint64")
		return 0
	}
	v := binary.BigEndian.Uint64(p.b)
	p.b = p.b[8:]
	return v
}

// String reads an SFTP string. It aliases the body.
func (p *Parser) String() []byte {
	s, rest, ok := CutString(p.b)
	if !ok {
		p.fail("string")
		return nil
	}
	p.b = rest
	return s
}

// Attrs reads SFTP version 3 attributes.
func (p *Parser) Attrs() Attrs {
	a, rest, ok := CutAttrs(p.b)
	if !ok {
		p.fail("attributes")
		return Attrs{}
	}
	p.b = rest
	return a
}

// CutUint32 splits an SFTP uint32 off the front of b.
func CutUint32(b []byte) (v uint32, rest []byte, ok bool) {
	if len(b) < 4 {
		return 0, nil, false
	}
	return binary.BigEndian.Uint32(b), b[4:], true
}

// CutString splits an SFTP string off the front of b. The string aliases
// b. Its length is compared as a uint32 (never converted to an int
// first, which may have 32 bits).
func CutString(b []byte) (s, rest []byte, ok bool) {
	if len(b) < 4 {
		return nil, nil, false
	}
	n := binary.BigEndian.Uint32(b)
	if uint64(n) > uint64(len(b)-4) {
		return nil, nil, false
	}
	return b[4 : 4+n], b[4+n:], true
}

// Attrs are SFTP version 3 attributes. Flags says which fields are there;
// the others are zero.
type Attrs struct {
	// Flags is the set of Attr* flags of the fields present.
	Flags uint32
	// Size is the size in bytes.
	Size uint64
	// UID and GID are the numeric owner and group.
	UID, GID uint32
	// Perm holds the permission and file type bits.
	Perm uint32
	// Atime and Mtime are the access and modification times, in seconds
	// since 1970.
	Atime, Mtime uint32
	// Extended counts the extended attributes (name and data pairs),
	// which are skipped.
	Extended uint32
}

// Has reports whether all of flags are set in a.
func (a Attrs) Has(flags uint32) bool { return a.Flags&flags == flags }

// CutAttrs splits SFTP version 3 attributes off the front of b.
func CutAttrs(b []byte) (a Attrs, rest []byte, ok bool) {
	if a.Flags, b, ok = CutUint32(b); !ok {
		return Attrs{}, nil, false
	}
	if a.Flags&AttrSize != 0 {
		if len(b) < 8 {
			return Attrs{}, nil, false
		}
		a.Size, b = binary.BigEndian.Uint64(b), b[8:]
	}
	if a.Flags&AttrUIDGID != 0 {
		if len(b) < 8 {
			return Attrs{}, nil, false
		}
		a.UID, a.GID, b = binary.BigEndian.Uint32(b), binary.BigEndian.Uint32(b[4:]), b[8:]
	}
	if a.Flags&AttrPerm != 0 {
		if a.Perm, b, ok = CutUint32(b); !ok {
			return Attrs{}, nil, false
		}
	}
	if a.Flags&AttrTimes != 0 {
		if len(b) < 8 {
			return Attrs{}, nil, false
		}
		a.Atime, a.Mtime, b = binary.BigEndian.Uint32(b), binary.BigEndian.Uint32(b[4:]), b[8:]
	}
	if a.Flags&AttrExtended != 0 {
		if a.Extended, b, ok = CutUint32(b); !ok {
			return Attrs{}, nil, false
		}
		// Each pair takes at least 8 bytes: a count beyond what b can
		// hold fails at once, without looping over it.
		if uint64(a.Extended)*8 > uint64(len(b)) {
			return Attrs{}, nil, false
		}
		for range a.Extended {
			var ok1, ok2 bool
			_, b, ok1 = CutString(b)
			_, b, ok2 = CutString(b)
			if !ok1 || !ok2 {
				return Attrs{}, nil, false
			}
		}
	}
	return a, b, true
}

// AppendAttrs appends a as SFTP version 3 attributes: the fields its
// Flags name. Extended attributes are not written: a.Flags must not hold
// AttrExtended.
func AppendAttrs(b []byte, a Attrs) []byte {
	b = AppendUint32(b, a.Flags&^AttrExtended)
	if a.Flags&AttrSize != 0 {
		b = AppendUint64(b, a.Size)
	}
	if a.Flags&AttrUIDGID != 0 {
		b = AppendUint32(AppendUint32(b, a.UID), a.GID)
	}
	if a.Flags&AttrPerm != 0 {
		b = AppendUint32(b, a.Perm)
	}
	if a.Flags&AttrTimes != 0 {
		b = AppendUint32(AppendUint32(b, a.Atime), a.Mtime)
	}
	return b
}

// Status is the body of a STATUS packet after its request id.
type Status struct {
	// Code is the status code.
	Code uint32
	// Message is the server's text, if it sent one; it aliases the body
	// and must be sanitised before it reaches a terminal.
	Message []byte
}

// ParseStatus decodes the body of a STATUS after its request id. The
// message and language tag are optional in SFTP version 3: a status
// without them, or with them cut short, keeps its code.
func ParseStatus(b []byte) (Status, error) {
	code, rest, ok := CutUint32(b)
	if !ok {
		return Status{}, fmt.Errorf("%w: STATUS of %d bytes", ErrProtocol, len(b))
	}
	msg, _, _ := CutString(rest)
	return Status{Code: code, Message: msg}, nil
}

// StatusError returns the error for a STATUS with code: pkg/sftp's type,
// so that a status reads the same whichever client received it and remote
// explains it with its own StatusError.
func StatusError(code uint32) error {
	return &sftp.StatusError{Code: code}
}
