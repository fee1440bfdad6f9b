package remote

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/config"
	"github.com/ferry-tui/ferry/remote/sshdtest"
)

// These tests run StreamFile against a real OpenSSH sshd through a Session
// from Dial, the only way an FS gets its stream channels.

// streamSSHDWait bounds every wait below; none is a timing test.
const streamSSHDWait = 2 * time.Minute

// streamSSHDSession dials s as ferry does (remote.Dial), which gives the
// FS its stream pool, and closes the session when t ends.
func streamSSHDSession(t *testing.T, s *sshdtest.Server) *Session {
	t.Helper()
	d := Dialer{ReconnectBackoff: testBackoff}
	sess, err := d.Dial(context.Background(), config.Host{
		Alias: "sshd", HostName: s.Host, Port: s.Port, User: s.User,
		IdentityFiles: []string{s.ClientKeyPath}, IdentitiesOnly: true, IdentityAgent: "none",
		UserKnownHostsFiles: []string{s.WriteKnownHosts(t)}, StrictHostKeyChecking: "yes", BatchMode: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sess.Close() })
	if sess.FS.cur().streams == nil {
		t.Fatal("a dialled session has no stream pool")
	}
	return sess
}

// streamSSHDLogCount counts the lines of sshd's log that contain what.
func streamSSHDLogCount(t *testing.T, s *sshdtest.Server, what string) int {
	t.Helper()
	b, err := os.ReadFile(s.LogPath)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(b), what)
}

// streamSSHDSubsystems counts the SFTP subsystems sshd has started.
func streamSSHDSubsystems(t *testing.T, s *sshdtest.Server) int {
	t.Helper()
	return streamSSHDLogCount(t, s, "subsystem 'sftp'")
}

// streamSSHDFile writes n random bytes to name in the server's directory
// and returns its path and contents.
func streamSSHDFile(t *testing.T, s *sshdtest.Server, name string, n int) (string, []byte) {
	t.Helper()
	data := make([]byte, n)
	rand.Read(data)
	p := path.Join(s.Dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p, data
}

// streamSSHDPool returns the pool's channel count, idle channels and
// whether a channel was refused.
func streamSSHDPool(f *FS) (open, idle int, refused bool) {
	return streamSSHDPoolOf(f.cur().streams)
}

// streamSSHDPoolOf is streamSSHDPool for the pool of one connection.
func streamSSHDPoolOf(p *streamPool) (open, idle int, refused bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.open, len(p.idle), p.refused
}

// streamSSHDCheckPool fails t unless the pool holds open channels, all idle.
func streamSSHDCheckPool(t *testing.T, f *FS, open int) {
	t.Helper()
	o, idle, refused := streamSSHDPool(f)
	if o != open || idle != open || refused {
		t.Fatalf("pool: open %d, idle %d, refused %v; want %d open, all idle, not refused", o, idle, refused, open)
	}
}

// streamSSHDGet streams name from off into memory; it fails t unless a
// stream handled it and the count matches the bytes written.
func streamSSHDGet(t *testing.T, f *FS, name string, off int64) ([]byte, error) {
	t.Helper()
	var buf bytes.Buffer
	n, handled, err := f.StreamFile(context.Background(), name, off, &buf)
	if !handled {
		t.Fatalf("StreamFile(%s, %d) not handled (err %v)", name, off, err)
	}
	if n != int64(buf.Len()) {
		t.Fatalf("StreamFile(%s, %d) reported %d bytes, wrote %d", name, off, n, buf.Len())
	}
	return buf.Bytes(), err
}

// streamSSHDExpect streams name from off and fails t unless it yields
// exactly want.
func streamSSHDExpect(t *testing.T, f *FS, name string, off int64, want []byte) {
	t.Helper()
	got, err := streamSSHDGet(t, f, name, off)
	if err != nil {
		t.Fatalf("StreamFile(%s, %d): %v", name, off, err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("StreamFile(%s, %d): %d bytes that differ from the %d expected", name, off, len(got), len(want))
	}
}

// streamSSHDWriter hands each Write to fn first, with the number of the
// call (1 for the first); fn's error, if any, is the Write's.
type streamSSHDWriter struct {
	buf   bytes.Buffer
	calls int
	fn    func(call int, b []byte) error
}

func (w *streamSSHDWriter) Write(b []byte) (int, error) {
	w.calls++
	if w.fn != nil {
		if err := w.fn(w.calls, b); err != nil {
			return 0, err
		}
	}
	return w.buf.Write(b)
}

// TestSSHDStreamFileReusesChannel reads a file whole and from an offset
// that is not chunk-aligned: both come out exact, over one channel that is
// kept between them.
func TestSSHDStreamFileReusesChannel(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t)
	sess := streamSSHDSession(t, s)
	f := sess.FS
	p, data := streamSSHDFile(t, s, "three.bin", 3<<20+7)
	if n := streamSSHDSubsystems(t, s); n != 1 {
		t.Fatalf("%d sftp subsystems before any stream, want the main one", n)
	}
	streamSSHDExpect(t, f, p, 0, data)
	streamSSHDCheckPool(t, f, 1)
	off := int64(1<<20 + 3)
	streamSSHDExpect(t, f, p, off, data[off:])
	streamSSHDCheckPool(t, f, 1)
	if n := streamSSHDSubsystems(t, s); n != 2 {
		t.Fatalf("%d sftp subsystems in sshd's log, want 2 (main and one stream reused)", n)
	}
}

// TestSSHDStreamFileMissing streams a file that does not exist: the error
// is fs.ErrNotExist naming the path and the status, and the channel,
// still in step with the server, serves the next file.
func TestSSHDStreamFileMissing(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t)
	sess := streamSSHDSession(t, s)
	f := sess.FS
	missing := path.Join(s.Dir, "no such.bin")
	got, err := streamSSHDGet(t, f, missing, 0)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("err = %v, want fs.ErrNotExist", err)
	}
	var pe *fs.PathError
	if !errors.As(err, &pe) || pe.Path != missing || !strings.Contains(err.Error(), missing) {
		t.Errorf("err = %v, want a *fs.PathError naming %s", err, missing)
	}
	var se *StatusError
	if !errors.As(err, &se) || se.Code != codeNoSuchFile {
		t.Errorf("err = %v, want a *StatusError with code 2", err)
	}
	if !strings.Contains(err.Error(), "no such file or directory") || !strings.Contains(err.Error(), "SFTP status 2") {
		t.Errorf("err = %q, want it to explain the status", err)
	}
	if len(got) != 0 {
		t.Errorf("%d bytes written for a missing file", len(got))
	}
	streamSSHDCheckPool(t, f, 1)

	p, data := streamSSHDFile(t, s, "there.bin", 1<<20+5)
	streamSSHDExpect(t, f, p, 0, data)
	streamSSHDCheckPool(t, f, 1)
	if n := streamSSHDSubsystems(t, s); n != 2 {
		t.Fatalf("%d sftp subsystems, want 2: the channel should have been reused after the missing file", n)
	}
}

// TestSSHDStreamFileSizesAtTheEdges streams files whose ends fall where
// the reader's bookkeeping turns: empty, whole chunks, more than the
// requests in flight cover, and offsets at and past the end.
func TestSSHDStreamFileSizesAtTheEdges(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t)
	sess := streamSSHDSession(t, s)
	f := sess.FS
	const chunk = 261120
	if f.cur().streams.chunk != chunk || f.cur().streams.depth != 16 {
		t.Fatalf("stream tuning %d x %d against %s, want %d x 16 (OpenSSH >= 8.6)",
			f.cur().streams.chunk, f.cur().streams.depth, sess.SSH().ServerVersion(), chunk)
	}
	for _, c := range []struct {
		name string
		size int
		offs []int64
	}{
		{"empty.bin", 0, []int64{0, 1}},
		{"one.bin", 1, []int64{0, 1}},
		{"chunk.bin", chunk, []int64{0, chunk - 1, chunk}},
		{"four-chunks.bin", 4 * chunk, []int64{0, chunk, 4*chunk - 1, 4 * chunk, 4*chunk + 1}},
		// Three times the requests in flight, and a tail.
		{"beyond-depth.bin", 3*16*chunk + 12345, []int64{0, 16*chunk + 1}},
		{"depth-exact.bin", 16 * chunk, []int64{0}},
	} {
		p, data := streamSSHDFile(t, s, c.name, c.size)
		for _, off := range c.offs {
			want := []byte{}
			if off < int64(len(data)) {
				want = data[off:]
			}
			streamSSHDExpect(t, f, p, off, want)
		}
	}
	streamSSHDCheckPool(t, f, 1)
}

// TestSSHDStreamFileBusyPool holds maxStreams streams busy: one call more
// is not handled, at once, and the busy ones finish exactly once let go.
func TestSSHDStreamFileBusyPool(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t)
	sess := streamSSHDSession(t, s)
	f := sess.FS
	p, data := streamSSHDFile(t, s, "shared.bin", 2<<20+99)

	type result struct {
		w       *streamSSHDWriter
		n       int64
		handled bool
		err     error
	}
	started := make(chan struct{}, maxStreams+1)
	release := make(chan struct{})
	results := make(chan result, maxStreams+1)
	var wg sync.WaitGroup
	for range maxStreams + 1 {
		wg.Go(func() {
			w := &streamSSHDWriter{fn: func(call int, _ []byte) error {
				if call == 1 {
					started <- struct{}{}
					<-release
				}
				return nil
			}}
			n, handled, err := f.StreamFile(context.Background(), p, 0, w)
			results <- result{w, n, handled, err}
		})
	}
	defer wg.Wait()
	var releaseOnce sync.Once
	defer releaseOnce.Do(func() { close(release) })

	// maxStreams calls hold a stream and wait in their first Write; the
	// one left over comes back without one.
	timeout := time.After(streamSSHDWait)
	var refusedRes []result
	for nStarted := 0; nStarted < maxStreams || len(refusedRes) < 1; {
		select {
		case <-started:
			nStarted++
			if nStarted > maxStreams {
				t.Fatalf("%d streams writing at once, want at most %d", nStarted, maxStreams)
			}
		case r := <-results:
			refusedRes = append(refusedRes, r)
		case <-timeout:
			t.Fatalf("timed out: %d streams writing, %d calls returned", nStarted, len(refusedRes))
		}
	}
	if r := refusedRes[0]; r.handled || r.err != nil || r.n != 0 || r.w.calls != 0 {
		t.Fatalf("the call beyond maxStreams: n %d, handled %v, err %v, %d writes; want not handled, nothing written",
			r.n, r.handled, r.err, r.w.calls)
	}
	if open, idle, refused := streamSSHDPool(f); open != maxStreams || idle != 0 || refused {
		t.Fatalf("pool while busy: open %d, idle %d, refused %v", open, idle, refused)
	}
	// Still busy: another call is not handled either.
	if n, handled, err := f.StreamFile(context.Background(), p, 0, &bytes.Buffer{}); handled || err != nil || n != 0 {
		t.Fatalf("a call while all streams are busy: %d, %v, %v", n, handled, err)
	}

	releaseOnce.Do(func() { close(release) })
	for range maxStreams {
		select {
		case r := <-results:
			if !r.handled || r.err != nil || r.n != int64(len(data)) || !bytes.Equal(r.w.buf.Bytes(), data) {
				t.Errorf("busy stream after release: n %d, handled %v, err %v, %d bytes equal %v",
					r.n, r.handled, r.err, r.w.buf.Len(), bytes.Equal(r.w.buf.Bytes(), data))
			}
		case <-time.After(streamSSHDWait):
			t.Fatal("timed out waiting for the released streams")
		}
	}
	streamSSHDCheckPool(t, f, maxStreams)
	if n := streamSSHDSubsystems(t, s); n != 1+maxStreams {
		t.Fatalf("%d sftp subsystems, want the main one and %d streams", n, maxStreams)
	}
}

// TestSSHDStreamFileCancel cancels the context from the first Write: the
// call ends with context.Canceled, the channel is thrown away, and the
// next call opens a fresh one.
func TestSSHDStreamFileCancel(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t)
	sess := streamSSHDSession(t, s)
	f := sess.FS
	p, data := streamSSHDFile(t, s, "big.bin", 32<<20)
	gen0, _ := f.ConnState()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w := &streamSSHDWriter{fn: func(call int, _ []byte) error {
		if call == 1 {
			cancel()
		}
		return nil
	}}
	n, handled, err := f.StreamFile(ctx, p, 0, w)
	if !handled || !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled StreamFile: n %d, handled %v, err %v; want handled, context.Canceled", n, handled, err)
	}
	if n != int64(w.buf.Len()) || n >= int64(len(data)) || !bytes.Equal(w.buf.Bytes(), data[:n]) {
		t.Fatalf("cancelled StreamFile: n %d, wrote %d of %d; want a true prefix", n, w.buf.Len(), len(data))
	}
	if open, idle, _ := streamSSHDPool(f); open != 0 || idle != 0 {
		t.Fatalf("pool after cancel: open %d, idle %d; want the channel discarded", open, idle)
	}
	streamSSHDExpect(t, f, p, 0, data)
	streamSSHDCheckPool(t, f, 1)
	// On a loaded machine a cancel still blocked after a second closes
	// the link (Session's abort); the main subsystem of each reconnect
	// then counts too.
	gen, _ := f.ConnState()
	if n, want := streamSSHDSubsystems(t, s), 3+int(gen-gen0); n != want {
		t.Fatalf("%d sftp subsystems, want %d (main, the cancelled stream, a fresh one, and %d reconnects)", n, want, gen-gen0)
	}
}

// TestSSHDStreamFileWriterError fails the first Write: that very error
// comes back and the channel, with reads still in flight, is discarded.
func TestSSHDStreamFileWriterError(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t)
	sess := streamSSHDSession(t, s)
	f := sess.FS
	p, data := streamSSHDFile(t, s, "big.bin", 9<<20)
	errDiskFull := errors.New("disk full")
	w := &streamSSHDWriter{fn: func(int, []byte) error { return errDiskFull }}
	n, handled, err := f.StreamFile(context.Background(), p, 0, w)
	if !handled || err != errDiskFull || n != 0 {
		t.Fatalf("StreamFile into a failing writer: n %d, handled %v, err %v; want the writer's own error", n, handled, err)
	}
	if w.calls != 1 {
		t.Errorf("%d writes after the first failed", w.calls-1)
	}
	if open, idle, _ := streamSSHDPool(f); open != 0 || idle != 0 {
		t.Fatalf("pool after a write error: open %d, idle %d; want the channel discarded", open, idle)
	}
	streamSSHDExpect(t, f, p, 0, data)
	streamSSHDCheckPool(t, f, 1)
}

// TestSSHDStreamFileConnectionLost closes the SSH connection from the
// first Write: the error names the path and says the connection was lost
// (as pkg/sftp's path says it). What the stream sees first when the
// connection goes varies from run to run (the end of its channel, or the
// transport's error on its next request), so the test loses several
// connections, each of which must be explained the same way. After each,
// the next stream runs on the connection the session dialled again.
func TestSSHDStreamFileConnectionLost(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t)
	p, data := streamSSHDFile(t, s, "big.bin", 32<<20)
	small, smallData := streamSSHDFile(t, s, "small.bin", 1<<20)
	const rounds = 8
	for round := 1; round <= rounds && !t.Failed(); round++ {
		sess := streamSSHDSession(t, s)
		f := sess.FS
		lost := f.cur()
		w := &streamSSHDWriter{fn: func(call int, _ []byte) error {
			if call == 1 {
				sess.SSH().Close()
			}
			return nil
		}}
		n, handled, err := f.StreamFile(context.Background(), p, 0, w)
		t.Logf("round %d, after losing the connection: n %d, handled %v, err %v", round, n, handled, err)
		if !handled || err == nil {
			t.Fatalf("round %d: StreamFile over a lost connection: n %d, handled %v, err %v", round, n, handled, err)
		}
		if n >= int64(len(data)) || !bytes.Equal(w.buf.Bytes(), data[:n]) {
			t.Fatalf("round %d: wrote %d of %d bytes; want a true prefix", round, n, len(data))
		}
		var pe *fs.PathError
		if !errors.As(err, &pe) || pe.Path != p {
			t.Errorf("round %d: err = %v, want a *fs.PathError naming %s", round, err, p)
		}
		var se *StatusError
		if !errors.As(err, &se) || se.Code != codeConnectionLost {
			t.Errorf("round %d: err = %q (%T under the *fs.PathError), want a *StatusError with code 7",
				round, err, errors.Unwrap(err))
		}
		if want := fmt.Sprintf("%s: connection lost (SFTP status 7)", p); !strings.Contains(err.Error(), want) {
			t.Errorf("round %d: err = %q, want it to contain %q", round, err, want)
		}
		if open, idle, _ := streamSSHDPoolOf(lost.streams); open != 0 || idle != 0 {
			t.Fatalf("round %d: pool after the connection was lost: open %d, idle %d; want the channel discarded", round, open, idle)
		}
		// Once the session has seen the connection go, the next stream
		// waits for it to reconnect and runs on the new connection.
		select {
		case <-lost.dead:
		case <-time.After(streamSSHDWait):
			t.Fatalf("round %d: the session did not see its connection go", round)
		}
		var again bytes.Buffer
		if n, handled, err := f.StreamFile(context.Background(), small, 0, &again); !handled || n != int64(len(smallData)) || err != nil {
			t.Fatalf("round %d: StreamFile after the connection was lost: %d, %v, %v; want the whole file over a new connection", round, n, handled, err)
		}
		if !bytes.Equal(again.Bytes(), smallData) {
			t.Fatalf("round %d: the file streamed after reconnecting differs", round)
		}
		if gen, up := f.ConnState(); gen == lost.gen || !up {
			t.Fatalf("round %d: ConnState = %d, %v after reconnecting; want a generation after %d, up", round, gen, up, lost.gen)
		}
	}
}
