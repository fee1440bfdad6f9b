package remote

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/ferry-tui/ferry/remote/sshdtest"
)

// TestSSHDStreamFileRefusedChannel runs against a server that allows one
// session per connection: the stream channel is refused, StreamFile says
// so without an error, and later calls do not ask the server again.
func TestSSHDStreamFileRefusedChannel(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t, sshdtest.WithConfig("MaxSessions 1"))
	sess := streamSSHDSession(t, s)
	f := sess.FS
	p, _ := streamSSHDFile(t, s, "f.bin", 1<<20)
	const channelOpen = "ctype session"
	before := streamSSHDLogCount(t, s, channelOpen)
	if before != 1 {
		t.Fatalf("%d session channels in sshd's log before any stream, want the main one", before)
	}
	var buf bytes.Buffer
	n, handled, err := f.StreamFile(context.Background(), p, 0, &buf)
	if handled || err != nil || n != 0 || buf.Len() != 0 {
		t.Fatalf("StreamFile under MaxSessions 1: %d, %v, %v, %d bytes; want not handled, no error", n, handled, err, buf.Len())
	}
	if open, idle, refused := streamSSHDPool(f); !refused || open != 0 || idle != 0 {
		t.Fatalf("pool after refusal: open %d, idle %d, refused %v", open, idle, refused)
	}
	if got := streamSSHDLogCount(t, s, channelOpen); got != 2 {
		t.Fatalf("%d session channels asked for, want 2 (main and the refused stream)", got)
	}
	n, handled, err = f.StreamFile(context.Background(), p, 0, &buf)
	if handled || err != nil || n != 0 || buf.Len() != 0 {
		t.Fatalf("second StreamFile: %d, %v, %v; want not handled", n, handled, err)
	}
	if got := streamSSHDLogCount(t, s, channelOpen); got != 2 {
		t.Fatalf("%d session channels asked for after a second call, want still 2: a refused pool must not retry", got)
	}
	// The main channel is unharmed.
	if fi, err := f.Lstat(context.Background(), p); err != nil || fi.Size() != 1<<20 {
		t.Fatalf("Lstat over the main channel: %v, %v", fi, err)
	}
}

// TestSSHDStreamFileAfterSessionClose: a closed session lends no streams,
// neither new ones nor the idle one it had, and says it is closed.
func TestSSHDStreamFileAfterSessionClose(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t)
	sess := streamSSHDSession(t, s)
	f := sess.FS
	p, data := streamSSHDFile(t, s, "f.bin", 1<<20)
	streamSSHDExpect(t, f, p, 0, data)
	streamSSHDCheckPool(t, f, 1)
	sess.Close()
	if open, idle, _ := streamSSHDPool(f); open != 0 || idle != 0 {
		t.Fatalf("pool after Session.Close: open %d, idle %d; want the idle channel closed", open, idle)
	}
	var buf bytes.Buffer
	n, handled, err := f.StreamFile(context.Background(), p, 0, &buf)
	if !handled || !errors.Is(err, ErrSessionClosed) || n != 0 || buf.Len() != 0 {
		t.Fatalf("StreamFile after Session.Close: %d, %v, %v; want handled with ErrSessionClosed", n, handled, err)
	}
}

// TestSSHDStreamFileNeedsDial: an FS made by NewFS alone has no streams.
func TestSSHDStreamFileNeedsDial(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t)
	_, sc := s.Dial(t)
	f := NewFS("plain", sc)
	p, _ := streamSSHDFile(t, s, "f.bin", 10)
	if n, handled, err := f.StreamFile(context.Background(), p, 0, &bytes.Buffer{}); handled || err != nil || n != 0 {
		t.Fatalf("StreamFile on NewFS: %d, %v, %v; want not handled", n, handled, err)
	}
}

// TestSSHDStreamFileDeadIdleChannel: an idle channel that has ended since
// it was last used (a server reaping idle channels, say) is dropped and
// the call is left to the ordinary path, which still works; the next call
// opens a fresh channel.
func TestSSHDStreamFileDeadIdleChannel(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t)
	sess := streamSSHDSession(t, s)
	f := sess.FS
	p, data := streamSSHDFile(t, s, "f.bin", 1<<20)
	streamSSHDExpect(t, f, p, 0, data)
	streamSSHDCheckPool(t, f, 1)
	f.cur().streams.mu.Lock()
	f.cur().streams.idle[0].sess.Close()
	f.cur().streams.mu.Unlock()
	var buf bytes.Buffer
	n, handled, err := f.StreamFile(context.Background(), p, 0, &buf)
	if handled || err != nil || n != 0 || buf.Len() != 0 {
		t.Fatalf("StreamFile on a dead idle channel: %d, %v, %v; want not handled", n, handled, err)
	}
	if open, _, refused := streamSSHDPool(f); open != 0 || refused {
		t.Fatalf("pool: open %d, refused %v; want the dead channel dropped, streams still allowed", open, refused)
	}
	streamSSHDExpect(t, f, p, 0, data)
	streamSSHDCheckPool(t, f, 1)
}
