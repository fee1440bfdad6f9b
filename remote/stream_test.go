package remote

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"strings"
	"testing"

	"github.com/ferry-tui/ferry/remote/internal/sftpstream"
	"github.com/pkg/sftp"
)

// A channel that ends mid-copy reads as a lost connection; an answer the
// stream cannot make sense of, or a file that changed under the copy,
// keeps its cause and names the path.
func TestStreamErrExplainsEndOfChannel(t *testing.T) {
	for _, err := range []error{io.EOF, io.ErrUnexpectedEOF} {
		e := streamErr("read", "/srv/big", err)
		if got := e.Error(); got != "read /srv/big: connection lost (SFTP status 7)" {
			t.Fatalf("%v: %q", err, got)
		}
	}
	if e := streamErr("read", "/srv/big", net.ErrClosed); e.Error() != "read /srv/big: connection lost (SFTP status 7)" {
		t.Fatalf("a closed connection: %v", e)
	}
	e := streamErr("read", "/srv/big", fmt.Errorf("%w: packet type 9", sftpstream.ErrProtocol))
	if !strings.Contains(e.Error(), "/srv/big") || !errors.Is(e, sftpstream.ErrProtocol) {
		t.Fatalf("protocol errors keep their cause and the path: %v", e)
	}
	e = streamErr("read", "/srv/big", sftpstream.ErrChangedWhileRead)
	if e.Error() != "read /srv/big: "+sftpstream.ErrChangedWhileRead.Error() {
		t.Fatalf("a file that changed while it was read: %v", e)
	}
	var se *StatusError
	if errors.As(e, &se) {
		t.Fatalf("a file that changed while it was read is not a lost connection: %v", e)
	}
}

// closeFailReader serves a file whose CLOSE the server answers with a
// failure.
type closeFailReader struct{ *bytes.Reader }

func (closeFailReader) Close() error { return errors.New("close failed") }

// oneFile serves /file, whose CLOSE fails, and nothing else.
type oneFile struct{ data []byte }

func (o oneFile) Fileread(r *sftp.Request) (io.ReaderAt, error) {
	if r.Filepath != "/file" {
		return nil, os.ErrNotExist
	}
	return closeFailReader{bytes.NewReader(o.data)}, nil
}

// Once every byte has arrived, a CLOSE that fails costs the copy nothing,
// and the channel, still in step, is kept; a missing file is a status,
// explained, after which the channel is kept too. The server is
// pkg/sftp's.
func TestStreamCopyIgnoresCloseStatus(t *testing.T) {
	data := make([]byte, 10_000)
	for i := range data {
		data[i] = byte(i * 7)
	}
	handlers := sftp.InMemHandler()
	handlers.FileGet = oneFile{data}
	cc, sc := net.Pipe()
	srv := sftp.NewRequestServer(sc, handlers)
	go srv.Serve()
	t.Cleanup(func() { srv.Close(); cc.Close() })
	s, err := sftpstream.New(cc, cc, 4096, 4)
	if err != nil {
		t.Fatal(err)
	}
	// The server does fail the CLOSE.
	h, err := s.Open("/file")
	if err != nil {
		t.Fatal(err)
	}
	if _, rerr, werr := s.CopyTo(io.Discard, h, 0); rerr != nil || werr != nil {
		t.Fatal(rerr, werr)
	}
	var st *sftp.StatusError
	if err := s.Close(h); !errors.As(err, &st) || st.Code != codeFailure {
		t.Fatalf("Close = %v, want status %d", err, codeFailure)
	}
	c := &streamChan{s: s}
	var buf bytes.Buffer
	n, opened, bad, err := c.copy("/file", 0, -1, &buf)
	if err != nil || !opened || bad || n != int64(len(data)) || !bytes.Equal(buf.Bytes(), data) {
		t.Fatalf("copy = %d, opened %v, bad %v, %v", n, opened, bad, err)
	}
	n, opened, bad, err = c.copy("/missing", 0, -1, &buf)
	if !errors.Is(err, fs.ErrNotExist) || opened || bad || n != 0 {
		t.Fatalf("missing: %d, opened %v, bad %v, %v", n, opened, bad, err)
	}
	if got, want := err.Error(), "open /missing: no such file or directory (SFTP status 2)"; got != want {
		t.Fatalf("missing: %q, want %q", got, want)
	}
	// Still in step: the file copies again.
	buf.Reset()
	if n, _, bad, err := c.copy("/file", 100, -1, &buf); err != nil || bad || !bytes.Equal(buf.Bytes(), data[100:]) {
		t.Fatalf("copy after the missing file = %d, bad %v, %v", n, bad, err)
	}
}
