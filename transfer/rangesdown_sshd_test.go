package transfer_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"net"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/config"
	"github.com/ferry-tui/ferry/remote"
	"github.com/ferry-tui/ferry/remote/sshdtest"
	"github.com/ferry-tui/ferry/remote/sshdtest/delayproxy"
	"github.com/ferry-tui/ferry/transfer"
	"golang.org/x/crypto/ssh/knownhosts"
)

// rangeRTT is the round trip the download tests add: on loopback one
// channel's window is no limit and a download is not split.
const rangeRTT = 20 * time.Millisecond

// dialDelayed connects through a proxy adding rtt of round trip, as
// dialSession does directly.
func dialDelayed(t *testing.T, s *sshdtest.Server, rtt time.Duration) *remote.Session {
	t.Helper()
	p := delayproxy.Start(t, s.Addr, rtt)
	host, portStr, err := net.SplitHostPort(p.Addr)
	if err != nil {
		t.Fatal(err)
	}
	port, _ := strconv.Atoi(portStr)
	var kh strings.Builder
	for _, k := range s.HostKeys.All() {
		kh.WriteString(knownhosts.Line([]string{knownhosts.Normalize(p.Addr)}, k) + "\n")
	}
	khPath := filepath.Join(t.TempDir(), "known_hosts")
	if err := os.WriteFile(khPath, []byte(kh.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	sess, err := remote.Dial(context.Background(), config.Host{
		Alias: "sshd", HostName: host, Port: port, User: s.User,
		IdentityFiles: []string{s.ClientKeyPath}, IdentitiesOnly: true, IdentityAgent: "none",
		UserKnownHostsFiles: []string{khPath}, StrictHostKeyChecking: "yes", BatchMode: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sess.Close() })
	return sess
}

// remoteSource writes size random bytes to the server's "big.bin" and
// returns its path and data.
func remoteSource(t *testing.T, s *sshdtest.Server, size int) (string, []byte) {
	t.Helper()
	data := randomBytes(size)
	src := path.Join(s.Dir, "big.bin")
	if err := os.WriteFile(src, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return src, data
}

// checkDownload fails t unless dst holds data.
func checkDownload(t *testing.T, dst string, data []byte) {
	t.Helper()
	got, err := os.ReadFile(dst)
	if err != nil || sha256.Sum256(got) != sha256.Sum256(data) {
		t.Fatalf("downloaded file differs (%d bytes, want %d; %v)", len(got), len(data), err)
	}
}

// TestSSHDRangedDownload downloads a 6 MiB file, which with the small
// sizes goes as byte ranges over several stream channels at once: the
// result is byte-identical and the server's log shows the channels.
func TestSSHDRangedDownload(t *testing.T) {
	t.Parallel()
	s := startSSHD(t)
	sess := dialDelayed(t, s, rangeRTT)
	if sess.FS.StreamParts() < 2 {
		t.Fatal("a dialled session offers no download ranges")
	}
	src, data := remoteSource(t, s, 6<<20+12345)
	before := sftpSubsystems(t, s)
	e, _ := newEngine(t, transfer.SmallSizes(transfer.Options{}))
	dst := filepath.Join(t.TempDir(), "big.bin")
	run(t, e, transfer.Request{Src: sess.FS, Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: dst}}})
	checkDownload(t, dst, data)
	if n := sftpSubsystems(t, s) - before; n < 2 {
		t.Fatalf("%d new sftp channels; a ranged download should open several", n)
	}
	noTemps(t, filepath.Dir(dst))
}

// TestSSHDRangedDownloadFewerChannels: a server that allows three
// channels (the main one and two streams) gets the file's four ranges
// over two channels, and keeps its download ranges.
func TestSSHDRangedDownloadFewerChannels(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t, sshdtest.WithConfig("MaxSessions 3"))
	sess := dialDelayed(t, s, rangeRTT)
	src, data := remoteSource(t, s, 6<<20)
	e, _ := newEngine(t, transfer.SmallSizes(transfer.Options{}))
	dst := filepath.Join(t.TempDir(), "big.bin")
	run(t, e, transfer.Request{Src: sess.FS, Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: dst}}})
	checkDownload(t, dst, data)
	if sess.FS.StreamParts() < 2 {
		t.Fatal("the session gave up download ranges although two channels were allowed")
	}
	if n := sftpSubsystems(t, s); n != 3 {
		t.Fatalf("%d sftp channels, want 3 (the main one and two streams)", n)
	}
}

// TestSSHDRangedDownloadFallsBackWhenChannelsRefused: with MaxSessions 1
// the server refuses every stream channel; the download goes over the
// main channel and succeeds, and the session stops offering ranges.
func TestSSHDRangedDownloadFallsBackWhenChannelsRefused(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t, sshdtest.WithConfig("MaxSessions 1"))
	sess := dialDelayed(t, s, rangeRTT)
	src, data := remoteSource(t, s, 6<<20)
	e, _ := newEngine(t, transfer.SmallSizes(transfer.Options{}))
	dst := filepath.Join(t.TempDir(), "big.bin")
	run(t, e, transfer.Request{Src: sess.FS, Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: dst}}})
	checkDownload(t, dst, data)
	if sess.FS.StreamParts() != 1 {
		t.Fatal("the session still offers download ranges after the server refused a channel")
	}
}

// TestSSHDRangedDownloadInterruptedResumes drops the connection in the
// middle of a ranged download: the resume record lists every range, the
// retry continues each range where it got to (more than the first range
// alone holds is resumed), and the file arrives byte-identical. With the
// small sizes the 32 MiB file goes as four ranges of 8 MiB. It is cut at
// 16 MiB: each stream may hold about its window (2 MiB) already read, and
// what is left must be more than the four can finish without the
// connection.
func TestSSHDRangedDownloadInterruptedResumes(t *testing.T) {
	t.Parallel()
	s := startSSHD(t)
	sess := dialDelayed(t, s, rangeRTT)
	src, data := remoteSource(t, s, 32<<20)
	dir := t.TempDir()
	dst := filepath.Join(dir, "big.bin")
	// The limit keeps the download from finishing before the test,
	// however late a busy machine schedules it, has seen 16 MiB arrive.
	e, rec := newEngine(t, transfer.SmallSizes(transfer.Options{Limit: 16 << 20}))
	defer logNotices(t, rec)
	if _, err := e.Submit(transfer.Request{Src: sess.FS, Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: dst}}}); err != nil {
		t.Fatal(err)
	}
	// Hold the ranges still once a good part has been written (so that
	// the download cannot finish first), and drop the connection.
	deadline := time.Now().Add(waitTimeout)
	for e.Snapshot().DoneBytes < 16<<20 {
		if time.Now().After(deadline) {
			t.Fatalf("the download moved %d bytes in %v", e.Snapshot().DoneBytes, waitTimeout)
		}
		time.Sleep(time.Millisecond)
	}
	e.Pause()
	sess.FS.Abort(errors.New("test: connection dropped"))
	e.SetLimit(0)
	e.Resume()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	if err := e.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	retried := false
	for _, ev := range rec.of(transfer.Notice) {
		retried = retried || strings.Contains(ev.Message, "trying again")
	}
	j := e.Jobs(0, 1)[0]
	if !retried {
		t.Fatalf("the download was not interrupted: no notice of a retry; %s", describeJobs([]transfer.JobStatus{j}))
	}
	// Each of the four ranges is 8 MiB; 16 MiB were written, so the
	// ranges after the first had data to keep (each keeps all but the
	// last 1 MiB and 64 KiB).
	if j.State != transfer.Done || j.Resumed <= 8<<20 {
		t.Fatalf("retry: %v, resumed %d bytes: %v", j.State, j.Resumed, j.Err)
	}
	checkDownload(t, dst, data)
	noTemps(t, dir)
}

// brokenStreams is a server whose stream channels fail a ranged download
// after 1 MiB of each range.
type brokenStreams struct{ *remote.FS }

func (f brokenStreams) LeaseStreams(ctx context.Context, n int) ([]func(ctx context.Context, name string, off, end int64, dst io.Writer) (int64, error), func()) {
	copies, release := f.FS.LeaseStreams(ctx, n)
	for i, c := range copies {
		copies[i] = func(ctx context.Context, name string, off, end int64, dst io.Writer) (int64, error) {
			n, err := c(ctx, name, off, min(end, off+1<<20), dst)
			if err == nil {
				err = errors.New(`sftp: "Invalid handle" (SSH_FX_FAILURE)`)
			}
			return n, err
		}
	}
	return copies, release
}

// TestSSHDRangedDownloadFailureFallsBackToOneStream: a ranged download
// that fails turns ranges off for the session, says so once, and the file
// is fetched again as one stream; the next large file goes as one stream
// too.
func TestSSHDRangedDownloadFailureFallsBackToOneStream(t *testing.T) {
	t.Parallel()
	s := startSSHD(t)
	sess := dialDelayed(t, s, rangeRTT)
	dir := t.TempDir()
	var items []transfer.Item
	var datas [][]byte
	for _, name := range []string{"big0.bin", "big1.bin"} {
		data := randomBytes(6 << 20) // ranges of 1.5 MiB: each fails after 1 MiB
		if err := os.WriteFile(path.Join(s.Dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
		items = append(items, transfer.Item{Src: path.Join(s.Dir, name), Dst: filepath.Join(dir, name)})
		datas = append(datas, data)
	}
	e, rec := newEngine(t, transfer.SmallSizes(transfer.Options{Workers: 1}))
	id := run(t, e, transfer.Request{Src: brokenStreams{sess.FS}, Dst: localFS(), Items: items})
	onlyDone(t, e)
	rec.finished(t, id)
	for i, it := range items {
		checkDownload(t, it.Dst, datas[i])
	}
	var off int
	for _, ev := range rec.of(transfer.Notice) {
		if strings.Contains(ev.Message, "one stream from now on") {
			off++
		}
	}
	if off != 1 || sess.FS.StreamParts() != 1 {
		t.Fatalf("%d notices that ranges are off (want 1); StreamParts %d", off, sess.FS.StreamParts())
	}
	noTemps(t, dir)
}
