package sftpstream

import (
	"bytes"
	"errors"
	"io"
	"runtime"
	"sort"
	"sync"
	"testing"
)

// The fuzz test's stream reads chunks of fuzzChunk bytes, fuzzDepth at a
// time; its seeds were recorded with the same sizes, since the requests'
// ids and lengths, which the answers must match, depend on them.
const (
	fuzzChunk = 4096
	fuzzDepth = 4
	// allocSlack is what the runtime and the test itself may allocate in
	// one run besides the stream.
	allocSlack = 256 << 10
)

// scenario is what the fuzz test does with a stream: it copies /file
// whole, then again from an offset, on the same stream, stopping at the
// first error. It returns the bytes written to dst and dst's error.
func scenario(s *Stream, dst io.Writer) (written int64, writeErr error) {
	for _, off := range []int64{0, 5000} {
		h, err := s.Open("/file")
		if err != nil {
			return written, nil
		}
		n, rerr, werr := s.CopyTo(dst, h, off)
		written += n
		if werr != nil || rerr != nil {
			return written, werr
		}
		if err := s.Close(h); err != nil {
			return written, nil
		}
	}
	return written, nil
}

// lockedBuffer is a bytes.Buffer written by the fake server's goroutine.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) bytes() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return bytes.Clone(b.buf.Bytes())
}

// recordAnswers runs scenario against f and returns everything f sent:
// a seed that replays f's answers.
func recordAnswers(f *fakeSFTP) []byte {
	cr, sw := io.Pipe() // server to client
	sr, cw := io.Pipe() // client to server
	var rec lockedBuffer
	done := make(chan struct{})
	go func() {
		defer close(done)
		f.serve(sr, io.MultiWriter(&rec, sw))
	}()
	if s, err := New(cr, cw, fuzzChunk, fuzzDepth); err == nil {
		_, _ = scenario(s, io.Discard)
	}
	cw.Close()
	sw.Close()
	<-done
	return rec.bytes()
}

// fuzzSeeds are the answers of the servers of the tests above: well
// behaved ones (short, reordered), and each hostile answer to OPEN and to
// READ.
func fuzzSeeds() [][]byte {
	data := randData(3*fuzzChunk + 1000)
	servers := []*fakeSFTP{
		{data: data},
		{data: data, maxData: 1000},
		{data: data, reorder: true},
		{data: data, reorder: true, maxData: 3000},
		{data: data, failAt: 2 * fuzzChunk, failure: codeFailure},
		{data: data, closeStatus: codeFailure},
		{data: data, hostile: func(id uint32, off int64, _ uint32) []byte {
			if off == 2*fuzzChunk {
				return fakeStatus(id, codeEOF, "EOF")
			}
			return nil
		}},
	}
	read := hostileReadAnswers()
	names := make([]string, 0, len(read))
	for name := range read {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		hostile := read[name]
		servers = append(servers, &fakeSFTP{data: data, hostile: func(id uint32, off int64, want uint32) []byte {
			if off == fuzzChunk {
				return hostile(id, off, want)
			}
			return nil
		}})
	}
	open := hostileOpenAnswers()
	names = names[:0]
	for name := range open {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		servers = append(servers, &fakeSFTP{data: data, openReply: open[name]})
	}
	var seeds [][]byte
	for _, f := range servers {
		seeds = append(seeds, recordAnswers(f))
	}
	// A server that answers INIT with something else than VERSION.
	seeds = append(seeds, fakeStatus(0, codeFailure, "no"), nil)
	return seeds
}

// countWriter counts what is written to it.
type countWriter struct{ n int64 }

func (w *countWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}

// FuzzStreamAnswers replays a server's answers, whatever they are, to a
// stream that copies a file twice. The stream must not panic or hang; it
// must write no more bytes than the answers hold and report what it
// wrote; and it must not allocate more than what its limits allow: its
// chunk buffers, one control packet of at most maxControlPacket bytes
// whose body never came, and the answers it read.
func FuzzStreamAnswers(f *testing.F) {
	for _, seed := range fuzzSeeds() {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, answers []byte) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		var w countWriter
		written, werr := 0, error(nil)
		if s, err := New(bytes.NewReader(answers), io.Discard, fuzzChunk, fuzzDepth); err == nil {
			var n int64
			n, werr = scenario(s, &w)
			written = int(n)
		}
		runtime.ReadMemStats(&after)
		if werr != nil {
			t.Fatalf("a writer that never fails failed: %v", werr)
		}
		if int64(written) != w.n {
			t.Fatalf("CopyTo reported %d bytes, wrote %d", written, w.n)
		}
		if written > len(answers) {
			t.Fatalf("wrote %d bytes from %d bytes of answers", written, len(answers))
		}
		limit := uint64(len(answers)) + maxControlPacket + fuzzChunk*fuzzDepth + allocSlack
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > limit {
			t.Fatalf("allocated %d bytes for %d bytes of answers, more than %d", alloc, len(answers), limit)
		}
	})
}

// TestFuzzSeedsCopy checks that the recorded seeds replay what their
// servers did: the well-behaved server's answers copy the file twice.
func TestFuzzSeedsCopy(t *testing.T) {
	data := randData(3*fuzzChunk + 1000)
	answers := recordAnswers(&fakeSFTP{data: data})
	s, err := New(bytes.NewReader(answers), io.Discard, fuzzChunk, fuzzDepth)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := scenario(s, &buf); err != nil {
		t.Fatal(err)
	}
	if want := append(bytes.Clone(data), data[5000:]...); !bytes.Equal(buf.Bytes(), want) {
		t.Fatalf("replayed %d bytes, want the file and then its tail from 5000 (%d bytes)", buf.Len(), len(want))
	}
	// Past the recorded answers the stream only finds the end of input.
	if _, err := s.Open("/file"); !errors.Is(err, io.EOF) {
		t.Fatalf("Open after the recorded answers: %v, want io.EOF", err)
	}
}
