package sftpwire

import (
	"bytes"
	"context"
	"errors"
	"io"
	"runtime"
	"testing"
)

// fuzzMax is the bound on a packet's body in the fuzz tests.
const fuzzMax = 4096

// attrSeeds are well-formed and cut-short attributes.
func attrSeeds() [][]byte {
	full := AppendAttrs(nil, Attrs{Flags: AttrSize | AttrUIDGID | AttrPerm | AttrTimes,
		Size: 1 << 40, UID: 1000, GID: 100, Perm: 0o100644, Atime: 1, Mtime: 2})
	ext := AppendUint32(nil, AttrUIDGID|AttrExtended)
	ext = AppendUint32(AppendUint32(ext, 5), 6)
	ext = AppendUint32(ext, 1)
	ext = AppendString(AppendString(ext, "name@x"), "data")
	huge := AppendUint32(AppendUint32(nil, AttrExtended), 0xffffffff)
	return [][]byte{full, full[:len(full)-1], ext, ext[:len(ext)-3], huge, AppendUint32(nil, 0), nil}
}

// FuzzParse parses any bytes as attributes, a status and a NAME body.
// Parsing must not panic, must only return bytes of its input, and
// attributes without extensions must encode back to the bytes they came
// from.
func FuzzParse(f *testing.F) {
	for _, s := range attrSeeds() {
		f.Add(s)
	}
	name := AppendUint32(nil, 1)
	name = AppendString(AppendString(name, "f"), "-rw-r--r-- 1 alice staff 5 Jan 1 00:00 f")
	name = AppendAttrs(name, Attrs{Flags: AttrUIDGID, UID: 1, GID: 2})
	f.Add(name)
	f.Add(AppendString(AppendUint32(nil, 4), "failure"))
	f.Fuzz(func(t *testing.T, b []byte) {
		in := bytes.Clone(b)
		a, rest, ok := CutAttrs(b)
		if ok {
			if len(rest) > len(b) || !bytes.Equal(rest, b[len(b)-len(rest):]) {
				t.Fatalf("rest of attributes is not a suffix of the input")
			}
			if a.Flags&AttrExtended == 0 {
				if got := AppendAttrs(nil, a); !bytes.Equal(got, b[:len(b)-len(rest)]) {
					t.Fatalf("attributes %+v encode to %x, parsed from %x", a, got, b[:len(b)-len(rest)])
				}
			}
		}
		if st, err := ParseStatus(b); err == nil {
			if len(b) < 4 || len(st.Message) > len(b)-4 {
				t.Fatalf("status %+v from %d bytes", st, len(b))
			}
		} else if !errors.Is(err, ErrProtocol) {
			t.Fatalf("ParseStatus: %v, want ErrProtocol", err)
		}
		p := NewParser(b)
		n := p.Uint32()
		for i := uint32(0); i < n && p.Err() == nil; i++ {
			p.String()
			p.String()
			p.Attrs()
		}
		if p.Err() != nil && (!errors.Is(p.Err(), ErrProtocol) || p.Len() != 0) {
			t.Fatalf("failed parser: %v with %d bytes left", p.Err(), p.Len())
		}
		if !bytes.Equal(b, in) {
			t.Fatal("parsing changed its input")
		}
	})
}

// FuzzClientAnswers hands any bytes to a Client as the server's answers
// to three requests in flight. Every request must end, with an answer or
// an error, and the Client must not allocate more than a bounded packet
// per answer it read.
func FuzzClientAnswers(f *testing.F) {
	var seed []byte
	for _, id := range []uint32{3, 1, 2} {
		seed = append(seed, Finish(AppendString(BeginID(nil, TypeHandle, id), "h"))...)
	}
	f.Add(seed)
	f.Add(seed[:len(seed)-2])
	f.Add(Finish(AppendUint32(BeginID(nil, TypeStatus, 2), 4)))
	f.Add(AppendUint32(nil, 0xffffffff))
	f.Add([]byte{0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, answers []byte) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		pr, pw := io.Pipe()
		c := Start(pr, io.Discard, fuzzMax)
		done := make(chan error, 3)
		for range 3 {
			go func() {
				rep, err := c.Request(context.Background(), TypeOpendir, nil)
				if err == nil && len(rep.Body) > fuzzMax {
					t.Errorf("answer of %d bytes, more than %d", len(rep.Body), fuzzMax)
				}
				done <- err
			}()
		}
		go func() {
			_, _ = pw.Write(answers)
			pw.Close()
		}()
		for range 3 {
			<-done
		}
		<-c.Done()
		if c.Err() == nil {
			t.Fatal("the client stopped without saying why")
		}
		runtime.ReadMemStats(&after)
		limit := uint64(len(answers))*2 + fuzzMax + 256<<10
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > limit {
			t.Fatalf("allocated %d bytes for %d bytes of answers, more than %d", alloc, len(answers), limit)
		}
	})
}
