package remote

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/remote/internal/sftpwire"
	"github.com/pkg/sftp"
)

// fakeServer speaks just enough SFTP on the server's end of two pipes
// for rawMux's tests: VERSION for INIT, and for every other request what
// answer returns (nil: no answer).
type fakeServer struct {
	r      io.Reader
	w      io.Writer
	answer func(typ byte, id uint32, body []byte) []byte
	ext    []string // extension names to advertise in VERSION
}

// packet returns an SFTP packet of typ with id and body.
func packet(typ byte, id uint32, body []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(5+len(body)))
	b = append(b, typ)
	b = binary.BigEndian.AppendUint32(b, id)
	return append(b, body...)
}

// statusBody is the body of a STATUS with code.
func statusBody(code uint32) []byte { return binary.BigEndian.AppendUint32(nil, code) }

func (s *fakeServer) serve() {
	for {
		var h [5]byte
		if _, err := io.ReadFull(s.r, h[:]); err != nil {
			return
		}
		b := make([]byte, binary.BigEndian.Uint32(h[:])-1)
		if _, err := io.ReadFull(s.r, b); err != nil {
			return
		}
		if h[4] == 1 { // INIT
			var body []byte
			for _, e := range s.ext {
				body = sftpwire.AppendBytes(sftpwire.AppendBytes(body, []byte(e)), []byte("1"))
			}
			_, _ = s.w.Write(packet(sftpwire.TypeVersion, 3, body))
			continue
		}
		if out := s.answer(h[4], binary.BigEndian.Uint32(b), b[4:]); out != nil {
			if _, err := s.w.Write(out); err != nil {
				return
			}
		}
	}
}

// fakeFS returns an FS whose only connection is a pkg/sftp client with a
// rawMux in front of a fakeServer answering with answer.
func fakeFS(t *testing.T, answer func(typ byte, id uint32, body []byte) []byte) *FS {
	t.Helper()
	f, _ := fakeFSMux(t, answer)
	return f
}

// pipeChannel is the client's end of a fake channel: closing it closes
// both pipes, as closing an SSH channel ends its input and output.
type pipeChannel struct {
	r *io.PipeReader
	w *io.PipeWriter
}

func (p pipeChannel) Close() error {
	p.r.Close()
	return p.w.Close()
}

// fakeFSMux is fakeFS, and returns the mux too.
func fakeFSMux(t *testing.T, answer func(typ byte, id uint32, body []byte) []byte) (*FS, *rawMux) {
	t.Helper()
	cr, sw := io.Pipe()
	sr, cw := io.Pipe()
	go (&fakeServer{r: sr, w: sw, answer: answer}).serve()
	m := newRawMux(cr, cw, pipeChannel{cr, cw})
	sc, err := sftp.NewClientPipe(m, sftpWriter{m})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sw.Close() // the server's end first: pkg/sftp's Close waits for its reader
		sc.Close()
	})
	l := newPlainLink(sc)
	l.mux = m
	c := newConnector("fake", nil, 0, DefaultBackoff, nil)
	c.start(l)
	return &FS{label: "fake", c: c}, m
}

// TestRawMuxRefusesWhatWasNotAsked checks that ReadSmall refuses a DATA
// longer than the READ asked for, and that the channel stays usable for
// pkg/sftp and for the mux afterwards.
func TestRawMuxRefusesWhatWasNotAsked(t *testing.T) {
	long := true
	f := fakeFS(t, func(typ byte, id uint32, body []byte) []byte {
		switch typ {
		case sftpwire.TypeOpen:
			return packet(sftpwire.TypeHandle, id, sftpwire.AppendBytes(nil, []byte("h")))
		case sftpwire.TypeRead:
			n := binary.BigEndian.Uint32(body[len(body)-4:])
			if binary.BigEndian.Uint64(body[len(body)-12:]) > 0 {
				return packet(sftpwire.TypeStatus, id, statusBody(uint32(sftp.ErrSSHFxEOF)))
			}
			if long {
				n++
			}
			return packet(sftpwire.TypeData, id, sftpwire.AppendBytes(nil, make([]byte, n)))
		case 7: // LSTAT
			return packet(105, id, binary.BigEndian.AppendUint32(nil, 0))
		}
		return packet(sftpwire.TypeStatus, id, statusBody(0))
	})
	ctx := context.Background()
	if b, err := f.ReadSmall(ctx, "/a", 10); err == nil || !errors.Is(err, errRawProtocol) {
		t.Errorf("ReadSmall with a DATA too long: %d bytes, %v; want errRawProtocol", len(b), err)
	}
	if _, err := f.Lstat(ctx, "/a"); err != nil {
		t.Errorf("pkg/sftp after the refusal: %v", err)
	}
	long = false
	if b, err := f.ReadSmall(ctx, "/a", 10); len(b) != 10 || err != nil {
		t.Errorf("ReadSmall: %d bytes, %v", len(b), err)
	}
}

// TestRawMuxOversizedAnswerEndsTheChannel checks that an answer to one
// of the mux's requests longer than any it asks for ends the channel:
// the call fails as a lost connection instead of waiting, and so do
// later ones.
func TestRawMuxOversizedAnswerEndsTheChannel(t *testing.T) {
	f := fakeFS(t, func(typ byte, id uint32, body []byte) []byte {
		return packet(sftpwire.TypeData, id, make([]byte, rawMaxAnswer+1))
	})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := f.ReadSmall(ctx, "/a", 10); !errors.Is(err, sftp.ErrSSHFxConnectionLost) && !isLost(err) {
		t.Errorf("ReadSmall: %v, want connection lost", err)
	}
	if _, err := f.CreateSmall(ctx, "/b", 0o644); err == nil {
		t.Error("CreateSmall after the channel ended succeeded")
	}
}

// isLost reports whether err is ferry's connection-lost status.
func isLost(err error) bool {
	var se *StatusError
	return errors.As(err, &se) && se.Code == codeConnectionLost
}
