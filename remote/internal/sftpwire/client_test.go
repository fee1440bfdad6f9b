package sftpwire

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"

	"github.com/pkg/sftp"
)

// fakeServer is the server's end of a Client over two io.Pipes.
type fakeServer struct {
	r *io.PipeReader // what the client sends
	w *io.PipeWriter // what the client reads
}

// newPipes returns a Client, after its handshake, and the server's end.
// The server advertises one extension.
func newPipes(t *testing.T) (*Client, map[string]string, *fakeServer) {
	t.Helper()
	cr, sw := io.Pipe()
	sr, cw := io.Pipe()
	s := &fakeServer{r: sr, w: sw}
	go func() {
		if typ, body, err := ReadPacket(sr, 1024); err != nil || typ != TypeInit || !bytes.Equal(body, AppendUint32(nil, 3)) {
			t.Errorf("INIT: %d %x %v", typ, body, err)
		}
		v := AppendUint32(Begin(nil, TypeVersion), 3)
		v = AppendString(AppendString(v, "check-file"), "1")
		_, _ = sw.Write(Finish(v))
	}()
	c, ext, err := NewClient(cr, cw, 1<<16)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sw.Close()
		sr.Close()
		<-c.Done()
	})
	return c, ext, s
}

// next reads the client's next request and returns its type, id and
// payload.
func (s *fakeServer) next(t *testing.T) (byte, uint32, []byte) {
	typ, body, err := ReadPacket(s.r, 1<<16)
	if err != nil {
		t.Errorf("reading a request: %v", err)
		return 0, 0, nil
	}
	id, rest, ok := CutUint32(body)
	if !ok {
		t.Errorf("request without an id")
	}
	return typ, id, rest
}

// answer sends a packet of typ for id with payload.
func (s *fakeServer) answer(id uint32, typ byte, payload []byte) {
	_, _ = s.w.Write(Finish(append(BeginID(nil, typ, id), payload...)))
}

// result is what Request returned.
type result struct {
	rep Reply
	err error
}

// request runs c.Request in a goroutine.
func request(ctx context.Context, c *Client, payload string) chan result {
	ch := make(chan result, 1)
	go func() {
		rep, err := c.Request(ctx, TypeOpendir, AppendString(nil, payload))
		ch <- result{rep, err}
	}()
	return ch
}

func TestClientHello(t *testing.T) {
	_, ext, _ := newPipes(t)
	if ext["check-file"] != "1" || len(ext) != 1 {
		t.Fatalf("extensions %v, want check-file=1", ext)
	}
}

func TestClientHelloRefused(t *testing.T) {
	cr, sw := io.Pipe()
	go func() { _, _ = sw.Write(Finish(AppendUint32(BeginID(nil, TypeStatus, 0), 4))) }()
	_, _, err := NewClient(cr, io.Discard, 1024)
	if !errors.Is(err, ErrProtocol) {
		t.Fatalf("STATUS instead of VERSION: %v, want ErrProtocol", err)
	}
}

func TestClientOutOfOrder(t *testing.T) {
	c, _, s := newPipes(t)
	ctx := context.Background()
	chans := map[string]chan result{}
	for _, p := range []string{"a", "b", "c"} {
		chans[p] = request(ctx, c, p)
	}
	type req struct {
		id      uint32
		payload []byte
	}
	var got []req
	for range 3 {
		typ, id, payload := s.next(t)
		if typ != TypeOpendir {
			t.Fatalf("request of type %d", typ)
		}
		got = append(got, req{id, payload})
	}
	for i := len(got) - 1; i >= 0; i-- { // answer in reverse order
		s.answer(got[i].id, TypeHandle, got[i].payload)
	}
	for p, ch := range chans {
		r := <-ch
		if r.err != nil {
			t.Fatalf("request %s: %v", p, r.err)
		}
		h, _, _ := CutString(r.rep.Body)
		if r.rep.Type != TypeHandle || string(h) != p {
			t.Fatalf("request %s got answer %d %q", p, r.rep.Type, h)
		}
	}
}

func TestClientChannelEnded(t *testing.T) {
	c, _, s := newPipes(t)
	ch := request(context.Background(), c, "a")
	s.next(t)
	s.w.Close()
	r := <-ch
	if !errors.Is(r.err, io.EOF) {
		t.Fatalf("request when the channel ended: %v, want io.EOF", r.err)
	}
	<-c.Done()
	if _, err := c.Request(context.Background(), TypeOpendir, nil); !errors.Is(err, io.EOF) {
		t.Fatalf("request after the channel ended: %v, want io.EOF", err)
	}
}

func TestClientRefusesLargePacket(t *testing.T) {
	c, _, s := newPipes(t)
	ch := request(context.Background(), c, "a")
	_, id, _ := s.next(t)
	// The client stops reading after the header: write from a goroutine.
	go s.answer(id, TypeHandle, make([]byte, 1<<16))
	if r := <-ch; !errors.Is(r.err, ErrProtocol) {
		t.Fatalf("answer larger than the bound: %v, want ErrProtocol", r.err)
	}
}

func TestClientCancelled(t *testing.T) {
	c, _, s := newPipes(t)
	ctx, cancel := context.WithCancel(context.Background())
	ch := request(ctx, c, "slow")
	_, slow, _ := s.next(t)
	cancel()
	if r := <-ch; !errors.Is(r.err, context.Canceled) {
		t.Fatalf("cancelled request: %v, want context.Canceled", r.err)
	}
	// The late answer is dropped; the next request gets its own.
	ch = request(context.Background(), c, "next")
	_, id, payload := s.next(t)
	s.answer(slow, TypeHandle, AppendString(nil, "slow"))
	s.answer(id, TypeHandle, payload)
	r := <-ch
	if h, _, _ := CutString(r.rep.Body); r.err != nil || string(h) != "next" {
		t.Fatalf("request after a cancelled one: %q, %v", h, r.err)
	}
}

func TestClientCallStatus(t *testing.T) {
	c, _, s := newPipes(t)
	for _, code := range []uint32{StatusOK, StatusEOF, 4} {
		ch := make(chan error, 1)
		go func() {
			_, err := c.Call(context.Background(), TypeClose, nil)
			ch <- err
		}()
		_, id, _ := s.next(t)
		s.answer(id, TypeStatus, AppendString(AppendUint32(nil, code), "msg"))
		err := <-ch
		var st *sftp.StatusError
		switch {
		case code == StatusOK && err != nil:
			t.Fatalf("status OK: %v", err)
		case code != StatusOK && (!errors.As(err, &st) || st.Code != code):
			t.Fatalf("status %d: %v, want *sftp.StatusError with its code", code, err)
		}
	}
}

func TestReadHeaderBound(t *testing.T) {
	for _, n := range []uint32{0, 1 << 20, 0xffffffff} {
		_, _, err := ReadHeader(bytes.NewReader(append(AppendUint32(nil, n), TypeData)), 1024)
		if !errors.Is(err, ErrProtocol) {
			t.Fatalf("packet of %d bytes: %v, want ErrProtocol", n, err)
		}
	}
	typ, n, err := ReadHeader(bytes.NewReader(append(AppendUint32(nil, 1025), TypeData)), 1024)
	if err != nil || typ != TypeData || n != 1024 {
		t.Fatalf("packet at the bound: %d %d %v", typ, n, err)
	}
}
