package sftpstream

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/pkg/sftp"
)

// fakeSFTP is an SFTP server for Stream's tests: one file, and answers
// that can be short, out of order, failing or malformed.
type fakeSFTP struct {
	data    []byte
	maxData int    // the most bytes one DATA carries; 0: as asked
	reorder bool   // answer READs in pairs, the later first
	failAt  int64  // with failCode: READs at or past failAt get that status
	failure uint32 // a status code for READs past failAt
	// hostile, when set, may replace the answer to a READ with raw bytes.
	hostile func(id uint32, off int64, want uint32) []byte
	// openReply, when set, replaces the answer to OPEN.
	openReply func(id uint32) []byte
	// closeStatus is the status CLOSE answers with.
	closeStatus uint32
}

type fakePacket struct {
	typ  byte
	body []byte
}

// serve answers the requests read from r on w until r ends.
func (f *fakeSFTP) serve(r io.Reader, w io.Writer) {
	in := make(chan fakePacket, 1024) // like a channel window: requests never wait for answers
	go func() {
		defer close(in)
		for {
			var h [5]byte
			if _, err := io.ReadFull(r, h[:]); err != nil {
				return
			}
			body := make([]byte, binary.BigEndian.Uint32(h[:])-1)
			if _, err := io.ReadFull(r, body); err != nil {
				return
			}
			in <- fakePacket{h[4], body}
		}
	}()
	var held *fakePacket
	for {
		var timeout <-chan time.Time
		if held != nil {
			timeout = time.After(20 * time.Millisecond)
		}
		select {
		case p, ok := <-in:
			if !ok {
				return
			}
			if p.typ == fxpRead && f.reorder {
				if held == nil {
					held = &p
					continue
				}
				f.answer(w, p)
				f.answer(w, *held)
				held = nil
				continue
			}
			f.answer(w, p)
		case <-timeout:
			f.answer(w, *held)
			held = nil
		}
	}
}

func (f *fakeSFTP) answer(w io.Writer, p fakePacket) {
	if p.typ == fxpInit {
		w.Write(fakeReply(fxpVersion, []byte{0, 0, 0, 3}))
		return
	}
	id := binary.BigEndian.Uint32(p.body)
	rest := p.body[4:]
	switch p.typ {
	case fxpOpen:
		if f.openReply != nil {
			w.Write(f.openReply(id))
			return
		}
		name, _ := parseString(rest)
		if string(name) != "/file" {
			w.Write(fakeStatus(id, codeNoSuchFile, "No such file"))
			return
		}
		w.Write(fakeReply(fxpHandle, binary.BigEndian.AppendUint32(u32(id), 1), 'h'))
	case fxpClose:
		w.Write(fakeStatus(id, f.closeStatus, "closed"))
	case fxpRead:
		h, _ := parseString(rest)
		rest = rest[4+len(h):]
		off := int64(binary.BigEndian.Uint64(rest))
		want := binary.BigEndian.Uint32(rest[8:])
		if f.hostile != nil {
			if b := f.hostile(id, off, want); b != nil {
				w.Write(b)
				return
			}
		}
		if f.failure != 0 && off >= f.failAt {
			w.Write(fakeStatus(id, f.failure, "Failure"))
			return
		}
		if off >= int64(len(f.data)) {
			w.Write(fakeStatus(id, codeEOF, "EOF"))
			return
		}
		end := min(off+int64(want), int64(len(f.data)))
		if f.maxData > 0 {
			end = min(end, off+int64(f.maxData))
		}
		w.Write(fakeData(id, f.data[off:end]))
	}
}

// Status codes the fake server answers with.
const (
	codeEOF        = statusEOF
	codeNoSuchFile = uint32(sftp.ErrSSHFxNoSuchFile)
	codeFailure    = uint32(sftp.ErrSSHFxFailure)
)

func u32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }

// fakeReply frames a packet of type typ with the given body.
func fakeReply(typ byte, body []byte, more ...byte) []byte {
	body = append(body, more...)
	b := binary.BigEndian.AppendUint32(nil, uint32(len(body)+1))
	return append(append(b, typ), body...)
}

func fakeStatus(id, code uint32, msg string) []byte {
	b := binary.BigEndian.AppendUint32(u32(id), code)
	b = binary.BigEndian.AppendUint32(b, uint32(len(msg)))
	b = append(b, msg...)
	return fakeReply(fxpStatus, binary.BigEndian.AppendUint32(b, 0))
}

func fakeData(id uint32, data []byte) []byte {
	b := binary.BigEndian.AppendUint32(u32(id), uint32(len(data)))
	return fakeReply(fxpData, append(b, data...))
}

// startFake connects a new Stream to f.
func startFake(t *testing.T, f *fakeSFTP, chunk, depth int) *Stream {
	t.Helper()
	cr, sw := io.Pipe() // server to client
	sr, cw := io.Pipe() // client to server
	go f.serve(sr, sw)
	t.Cleanup(func() {
		cw.Close()
		sw.Close()
	})
	s, err := New(cr, cw, chunk, depth)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// fetch opens /file, copies it from off into a buffer and closes it.
func fetch(t *testing.T, s *Stream, off int64) ([]byte, error) {
	t.Helper()
	h, err := s.Open("/file")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	n, rerr, werr := s.CopyTo(&buf, h, off)
	if werr != nil {
		t.Fatal(werr)
	}
	if n != int64(buf.Len()) {
		t.Fatalf("copyTo says %d bytes, wrote %d", n, buf.Len())
	}
	if rerr == nil {
		if err := s.Close(h); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes(), rerr
}

func randData(n int) []byte {
	r := rand.New(rand.NewPCG(uint64(n), 7))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// The bytes arrive whole and in order however the server answers: short
// reads, answers out of order, both; from the start and from an offset.
func TestStreamCopiesInOrder(t *testing.T) {
	data := randData(100_003)
	cases := []struct {
		name string
		f    fakeSFTP
	}{
		{"plain", fakeSFTP{}},
		{"short", fakeSFTP{maxData: 1000}},
		{"reordered", fakeSFTP{reorder: true}},
		{"reordered and short", fakeSFTP{reorder: true, maxData: 3000}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := c.f
			f.data = data
			s := startFake(t, &f, 4096, 8)
			for _, off := range []int64{0, 5000, int64(len(data)), int64(len(data)) + 10} {
				got, err := fetch(t, s, off)
				if err != nil {
					t.Fatalf("off %d: %v", off, err)
				}
				want := data[min(off, int64(len(data))):]
				if !bytes.Equal(got, want) {
					t.Fatalf("off %d: got %d bytes, want %d (or different content)", off, len(got), len(want))
				}
			}
			// Every request was answered and every buffer came back.
			if len(s.queue) != 0 || len(s.free) > 8 {
				t.Fatalf("after the copies: %d in flight, %d free buffers", len(s.queue), len(s.free))
			}
		})
	}
}

// A failing READ stops the copy with the server's status, after exactly
// the bytes before it.
func TestStreamReadStatusStopsInOrder(t *testing.T) {
	data := randData(50_000)
	f := &fakeSFTP{data: data, failAt: 8192, failure: codeFailure, reorder: true}
	s := startFake(t, f, 4096, 8)
	got, err := fetch(t, s, 0)
	var st *sftp.StatusError
	if !errors.As(err, &st) || st.Code != codeFailure {
		t.Fatalf("err = %v, want status %d", err, codeFailure)
	}
	if !bytes.Equal(got, data[:8192]) {
		t.Fatalf("wrote %d bytes before the failure, want the first 8192", len(got))
	}
}

func TestStreamOpenMissing(t *testing.T) {
	s := startFake(t, &fakeSFTP{}, 4096, 8)
	_, err := s.Open("/nope")
	var st *sftp.StatusError
	if !errors.As(err, &st) || st.Code != codeNoSuchFile {
		t.Fatalf("open = %v", err)
	}
	// The stream is still in step: the next file opens.
	if _, err := s.Open("/file"); err != nil {
		t.Fatal(err)
	}
}

func TestStreamWriteErrorIsReturned(t *testing.T) {
	s := startFake(t, &fakeSFTP{data: randData(20_000)}, 4096, 4)
	h, err := s.Open("/file")
	if err != nil {
		t.Fatal(err)
	}
	full := errors.New("disk full")
	n, rerr, werr := s.CopyTo(failWriter{full}, h, 0)
	if werr != full || rerr != nil || n != 0 {
		t.Fatalf("copyTo = %d, %v, %v", n, rerr, werr)
	}
}

type failWriter struct{ err error }

func (w failWriter) Write([]byte) (int, error) { return 0, w.err }

// hostileReadAnswers are answers to a READ that make no sense, by name.
func hostileReadAnswers() map[string]func(id uint32, off int64, want uint32) []byte {
	return map[string]func(id uint32, off int64, want uint32) []byte{
		"more data than asked": func(id uint32, _ int64, want uint32) []byte {
			return fakeData(id, make([]byte, want+1))
		},
		"empty data": func(id uint32, _ int64, _ uint32) []byte {
			return fakeData(id, nil)
		},
		"data length beyond the packet": func(id uint32, _ int64, _ uint32) []byte {
			b := fakeData(id, []byte("abc"))
			binary.BigEndian.PutUint32(b[9:], 200)
			return b
		},
		"answer to another request": func(id uint32, _ int64, _ uint32) []byte {
			return fakeData(id+1000, []byte("abc"))
		},
		"huge status": func(id uint32, _ int64, _ uint32) []byte {
			b := fakeStatus(id, codeFailure, "x")
			binary.BigEndian.PutUint32(b, 1<<30)
			return b
		},
		"data claiming 2 GiB": func(id uint32, _ int64, _ uint32) []byte {
			// Lengths that overflow an int of 32 bits, and agree.
			b := fakeData(id, []byte("abc"))
			binary.BigEndian.PutUint32(b, 0x8000000d)
			binary.BigEndian.PutUint32(b[9:], 0x80000004)
			return b
		},
		"status claiming 4 GiB": func(id uint32, _ int64, _ uint32) []byte {
			b := fakeStatus(id, codeFailure, "x")
			binary.BigEndian.PutUint32(b, 0xffffffff)
			return b
		},
		"handle instead of data": func(id uint32, _ int64, _ uint32) []byte {
			return fakeReply(fxpHandle, binary.BigEndian.AppendUint32(u32(id), 1), 'h')
		},
		"status OK instead of data": func(id uint32, _ int64, _ uint32) []byte {
			return fakeStatus(id, 0, "Success")
		},
		"status without a code": func(id uint32, _ int64, _ uint32) []byte {
			return fakeReply(fxpStatus, u32(id), 0, 0)
		},
	}
}

// Answers that make no sense are protocol errors, never a panic, a huge
// allocation or bytes written out of place.
func TestStreamRejectsHostileAnswers(t *testing.T) {
	cases := hostileReadAnswers()
	for name, hostile := range cases {
		t.Run(name, func(t *testing.T) {
			f := &fakeSFTP{data: randData(20_000), hostile: func(id uint32, off int64, want uint32) []byte {
				if off == 4096 {
					return hostile(id, off, want)
				}
				return nil
			}}
			s := startFake(t, f, 4096, 4)
			got, err := fetch(t, s, 0)
			if !errors.Is(err, ErrProtocol) {
				t.Fatalf("err = %v, want a protocol error", err)
			}
			if !bytes.Equal(got, f.data[:len(got)]) || len(got) > 4096 {
				t.Fatalf("wrote %d bytes", len(got))
			}
		})
	}
}

// A server that does not start with VERSION is refused.
func TestStreamNeedsVersion(t *testing.T) {
	cr, sw := io.Pipe()
	sr, cw := io.Pipe()
	go func() {
		io.ReadFull(sr, make([]byte, 9))
		sw.Write(fakeStatus(0, codeFailure, "no"))
	}()
	defer cw.Close()
	if _, err := New(cr, cw, 4096, 4); !errors.Is(err, ErrProtocol) {
		t.Fatalf("err = %v", err)
	}
}

// hostileOpenAnswers are answers to an OPEN that make no sense, by name.
func hostileOpenAnswers() map[string]func(id uint32) []byte {
	return map[string]func(id uint32) []byte{
		"huge data": func(id uint32) []byte {
			b := fakeData(id, []byte("x"))
			binary.BigEndian.PutUint32(b, 0xffffffff)
			return b
		},
		"huge handle": func(id uint32) []byte {
			b := fakeReply(fxpHandle, binary.BigEndian.AppendUint32(u32(id), 1), 'h')
			binary.BigEndian.PutUint32(b, maxControlPacket+100)
			return b
		},
		"handle string past the packet": func(id uint32) []byte {
			return fakeReply(fxpHandle, binary.BigEndian.AppendUint32(u32(id), 50), 'h')
		},
	}
}

// An answer to OPEN that is not a handle or a status is refused before its
// body is read: a DATA claiming 4 GiB allocates nothing.
func TestStreamOpenRejectsHostileAnswers(t *testing.T) {
	cases := hostileOpenAnswers()
	for name, reply := range cases {
		t.Run(name, func(t *testing.T) {
			s := startFake(t, &fakeSFTP{openReply: reply}, 4096, 4)
			if _, err := s.Open("/file"); !errors.Is(err, ErrProtocol) {
				t.Fatalf("open = %v, want a protocol error", err)
			}
		})
	}
}

// A server that reports the end of the file and then sends data past it
// has a file that changed under the copy: an error, not a short file.
func TestStreamDataPastEndIsAnError(t *testing.T) {
	data := randData(40_000)
	f := &fakeSFTP{data: data, hostile: func(id uint32, off int64, _ uint32) []byte {
		if off == 8192 {
			return fakeStatus(id, codeEOF, "EOF")
		}
		return nil
	}}
	s := startFake(t, f, 4096, 8)
	got, err := fetch(t, s, 0)
	if !errors.Is(err, ErrChangedWhileRead) {
		t.Fatalf("err = %v, want ErrChangedWhileRead", err)
	}
	if !bytes.Equal(got, data[:8192]) {
		t.Fatalf("wrote %d bytes", len(got))
	}
}
