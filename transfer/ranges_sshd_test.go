package transfer_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/config"
	"github.com/ferry-tui/ferry/remote"
	"github.com/ferry-tui/ferry/remote/sshdtest"
	"github.com/ferry-tui/ferry/transfer"
)

// dialSession connects through remote.Dial, which gives the file system
// its extra channels for byte ranges.
func dialSession(t *testing.T, s *sshdtest.Server) *remote.Session {
	t.Helper()
	sess, err := remote.Dial(context.Background(), config.Host{
		Alias: "sshd", HostName: s.Host, Port: s.Port, User: s.User,
		IdentityFiles: []string{s.ClientKeyPath}, IdentitiesOnly: true, IdentityAgent: "none",
		UserKnownHostsFiles: []string{s.WriteKnownHosts(t)}, StrictHostKeyChecking: "yes", BatchMode: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sess.Close() })
	return sess
}

func sftpSubsystems(t *testing.T, s *sshdtest.Server) int {
	t.Helper()
	b, err := os.ReadFile(s.LogPath)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(b), "subsystem 'sftp'")
}

// TestSSHDRangedUpload uploads a 6 MiB file, which with the small sizes
// goes as byte ranges over several SFTP channels: the result is
// byte-identical and the server's log shows the extra channels.
func TestSSHDRangedUpload(t *testing.T) {
	t.Parallel()
	s := startSSHD(t)
	sess := dialSession(t, s)
	if sess.FS.RangeParts() < 2 {
		t.Fatal("a dialled session offers no byte ranges")
	}
	src, data := randomSource(t, 6<<20+12345)
	before := sftpSubsystems(t, s)
	e, _ := newEngine(t, transfer.SmallSizes(transfer.Options{}))
	dst := path.Join(s.Dir, "big.bin")
	run(t, e, transfer.Request{Src: localFS(), Dst: sess.FS, Items: []transfer.Item{{Src: src, Dst: dst}}})
	got, err := os.ReadFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	if sha256.Sum256(got) != sha256.Sum256(data) {
		t.Fatalf("uploaded file differs (%d bytes, want %d)", len(got), len(data))
	}
	if n := sftpSubsystems(t, s) - before; n < 2 {
		t.Fatalf("%d new sftp channels; a ranged upload should open extra ones", n)
	}
	noTemps(t, s.Dir)
}

// TestSSHDRangedUploadInterruptedResumes cancels a ranged upload over an
// existing file: the old file stays byte-identical, the resume record
// lists how far each range got, and a retry continues each range and
// writes the whole file correctly. With the small sizes the 16 MiB file
// goes as four ranges of 4 MiB, and a resume rewinds 1 MiB in each.
func TestSSHDRangedUploadInterruptedResumes(t *testing.T) {
	t.Parallel()
	s := startSSHD(t)
	sess := dialSession(t, s)
	src, data := randomSource(t, 16<<20)
	dst := path.Join(s.Dir, "big.bin")
	if err := os.WriteFile(dst, []byte("old contents"), 0o644); err != nil {
		t.Fatal(err)
	}
	// The limit keeps the upload from finishing before the test, however
	// late a busy machine schedules it, has seen half of it sent.
	e, events := newEngine(t, transfer.SmallSizes(transfer.Options{Limit: 8 << 20}))
	defer logNotices(t, events)
	b, err := e.Submit(transfer.Request{Src: localFS(), Dst: sess.FS, Items: []transfer.Item{{Src: src, Dst: dst}}, Policy: transfer.Overwrite})
	if err != nil {
		t.Fatal(err)
	}
	// Hold the ranges still once a good part has moved, then cancel.
	deadline := time.Now().Add(waitTimeout)
	for e.Snapshot().DoneBytes < 8<<20 {
		if time.Now().After(deadline) {
			t.Fatalf("the upload moved %d bytes in %v", e.Snapshot().DoneBytes, waitTimeout)
		}
		time.Sleep(time.Millisecond)
	}
	e.Pause()
	// The ranges count what they have read; the writes still in flight
	// (up to 4.5 MiB a range) must reach the server before the cancel, or
	// a range can be more than the 1 MiB a resume rewinds behind, and the
	// retry rightly starts it over.
	part := filepath.Join(s.Dir, ".big.bin.ferry-part")
	for stored(part) < e.Snapshot().DoneBytes-256<<10 {
		if time.Now().After(deadline) {
			t.Fatalf("the server holds %d of the %d bytes sent", stored(part), e.Snapshot().DoneBytes)
		}
		time.Sleep(time.Millisecond)
	}
	if err := e.CancelBatch(b.ID()); err != nil {
		t.Fatal(err)
	}
	e.SetLimit(0)
	e.Resume()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_ = e.Wait(ctx)
	if got, _ := os.ReadFile(dst); !bytes.Equal(got, []byte("old contents")) {
		t.Fatalf("the destination changed although the copy was cancelled (%d bytes)", len(got))
	}
	rec, err := os.ReadFile(filepath.Join(s.Dir, ".big.bin.ferry-part.meta"))
	if err != nil || bytes.Count(rec, []byte("\nrange ")) != 4 {
		t.Fatalf("resume record %q: %v", rec, err)
	}
	for _, j := range e.Jobs(0, 10) {
		if j.State == transfer.Cancelled {
			_ = e.Retry(j.ID)
		}
	}
	if err := e.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	// 8 MiB were sent; every range keeps all but its last 1 MiB (and
	// 64 KiB it checks), however unevenly the ranges ran.
	j := e.Jobs(0, 1)[0]
	if j.State != transfer.Done || j.Resumed < 3<<20 {
		t.Fatalf("retry: %v, resumed %d bytes: %v\nresume record at the cancel:\n%s", j.State, j.Resumed, j.Err, rec)
	}
	got, err := os.ReadFile(dst)
	if err != nil || sha256.Sum256(got) != sha256.Sum256(data) {
		t.Fatalf("after retry the file differs (%d bytes, %v)", len(got), err)
	}
	noTemps(t, s.Dir)
}

// TestSSHDRangedUploadFallsBackWhenChannelsRefused: with MaxSessions 1
// the server refuses extra channels; the upload goes as one stream and
// succeeds, and the session stops offering ranges.
func TestSSHDRangedUploadFallsBackWhenChannelsRefused(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t, sshdtest.WithConfig("MaxSessions 1"))
	sess := dialSession(t, s)
	src, data := randomSource(t, 6<<20)
	e, _ := newEngine(t, transfer.SmallSizes(transfer.Options{}))
	dst := path.Join(s.Dir, "big.bin")
	run(t, e, transfer.Request{Src: localFS(), Dst: sess.FS, Items: []transfer.Item{{Src: src, Dst: dst}}})
	got, err := os.ReadFile(dst)
	if err != nil || sha256.Sum256(got) != sha256.Sum256(data) {
		t.Fatalf("upload with channels refused: %d bytes, %v", len(got), err)
	}
	if sess.FS.RangeParts() != 1 {
		t.Fatal("the session still offers ranges after the server refused a channel")
	}
	noTemps(t, s.Dir)
}

// TestSSHDReadOnlyLargeFileIsNotRanged: a 0444 source's temporary file
// gets mode 0444 before the data, which extra channels could not reopen
// for writing as an ordinary user; such files go as one stream.
func TestSSHDReadOnlyLargeFileIsNotRanged(t *testing.T) {
	t.Parallel()
	s := startSSHD(t)
	sess := dialSession(t, s)
	data := randomBytes(6 << 20) // ranged, with the small sizes, were it writable
	src := filepath.Join(t.TempDir(), "ro.iso")
	if err := os.WriteFile(src, data, 0o444); err != nil {
		t.Fatal(err)
	}
	before := sftpSubsystems(t, s)
	e, _ := newEngine(t, transfer.SmallSizes(transfer.Options{}))
	dst := path.Join(s.Dir, "ro.iso")
	run(t, e, transfer.Request{Src: localFS(), Dst: sess.FS, Items: []transfer.Item{{Src: src, Dst: dst}}})
	got, err := os.ReadFile(dst)
	if err != nil || sha256.Sum256(got) != sha256.Sum256(data) {
		t.Fatalf("read-only upload: %d bytes, %v", len(got), err)
	}
	if fi, _ := os.Stat(dst); fi.Mode().Perm() != 0o444 {
		t.Fatalf("mode %v, want 0444", fi.Mode().Perm())
	}
	if n := sftpSubsystems(t, s) - before; n != 0 {
		t.Fatalf("%d extra sftp channels opened for a read-only file", n)
	}
}

// brokenRanges is a server whose extra channels fail a ranged upload, as
// ProFTPD's mod_sftp did: the first byte range written over an extra
// channel fails after 1 MiB.
type brokenRanges struct{ *remote.FS }

func (f brokenRanges) OpenRangeWriter(ctx context.Context, name string, part int, off int64) (io.WriteCloser, error) {
	wc, err := f.FS.OpenRangeWriter(ctx, name, part, off)
	if err != nil {
		return nil, err
	}
	return &brokenRange{wc}, nil
}

type brokenRange struct{ io.WriteCloser }

func (b *brokenRange) ReadFromWithConcurrency(r io.Reader, _ int) (int64, error) {
	n, _ := io.CopyN(b.WriteCloser, r, 1<<20)
	return n, errors.New(`sftp: "Invalid handle" (SSH_FX_FAILURE)`)
}

// TestSSHDRangedUploadFailureFallsBackToOneStream: a ranged upload that
// fails turns ranges off for the session, says so once, and the file is
// sent again as one stream; the next large file goes as one stream too.
func TestSSHDRangedUploadFailureFallsBackToOneStream(t *testing.T) {
	t.Parallel()
	s := startSSHD(t)
	sess := dialSession(t, s)
	dir := t.TempDir()
	var items []transfer.Item
	var datas [][]byte
	for i := range 2 {
		data := randomBytes(6 << 20) // ranges of 1.5 MiB: each fails after 1 MiB
		src := filepath.Join(dir, fmt.Sprintf("big%d.bin", i))
		if err := os.WriteFile(src, data, 0o644); err != nil {
			t.Fatal(err)
		}
		items = append(items, transfer.Item{Src: src, Dst: path.Join(s.Dir, fmt.Sprintf("big%d.bin", i))})
		datas = append(datas, data)
	}
	e, rec := newEngine(t, transfer.SmallSizes(transfer.Options{Workers: 1}))
	id := run(t, e, transfer.Request{Src: localFS(), Dst: brokenRanges{sess.FS}, Items: items})
	onlyDone(t, e)
	rec.finished(t, id)
	for i, it := range items {
		got, err := os.ReadFile(it.Dst)
		if err != nil || sha256.Sum256(got) != sha256.Sum256(datas[i]) {
			t.Fatalf("%s differs (%d bytes, %v)", it.Dst, len(got), err)
		}
	}
	var off int
	for _, ev := range rec.of(transfer.Notice) {
		if strings.Contains(ev.Message, "one stream from now on") {
			off++
		}
	}
	if off != 1 || sess.FS.RangeParts() != 1 {
		t.Fatalf("%d notices that ranges are off (want 1); RangeParts %d", off, sess.FS.RangeParts())
	}
	noTemps(t, s.Dir)
}

// stuckRecord is a server where a resume record, once written, can be
// neither removed nor written again (an upload-only account, say).
type stuckRecord struct {
	*remote.FS
	creates atomic.Int32
}

func (f *stuckRecord) CreateExcl(ctx context.Context, name string, perm fs.FileMode) (io.WriteCloser, error) {
	if strings.HasSuffix(name, ".meta") && f.creates.Add(1) > 1 {
		return nil, &fs.PathError{Op: "create", Path: name, Err: fs.ErrPermission}
	}
	return f.FS.CreateExcl(ctx, name, perm)
}

func (f *stuckRecord) CreateSmall(ctx context.Context, name string, perm fs.FileMode) (io.WriteCloser, error) {
	if strings.HasSuffix(name, ".meta") && f.creates.Add(1) > 1 {
		return nil, &fs.PathError{Op: "create", Path: name, Err: fs.ErrPermission}
	}
	return f.FS.CreateSmall(ctx, name, perm)
}

func (f *stuckRecord) OpenFile(ctx context.Context, name string, flag int) (io.ReadWriteCloser, error) {
	if strings.HasSuffix(name, ".meta") && flag&(os.O_WRONLY|os.O_RDWR) != 0 {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return f.FS.OpenFile(ctx, name, flag)
}

func (f *stuckRecord) Remove(ctx context.Context, name string) error {
	if strings.HasSuffix(name, ".meta") {
		return &fs.PathError{Op: "remove", Path: name, Err: fs.ErrPermission}
	}
	return f.FS.Remove(ctx, name)
}

// TestSSHDRangedUploadRecordsItsRangesOnce: a fresh upload that goes in
// ranges writes its resume record once, listing the ranges, before any
// range is written (a plain record first would have made a resume
// continue after holes, had the ranged one then failed): on a server
// where a record, once written, can be neither written again nor removed,
// the upload still goes in ranges, and the record it leaves lists them.
func TestSSHDRangedUploadRecordsItsRangesOnce(t *testing.T) {
	t.Parallel()
	s := startSSHD(t)
	sess := dialSession(t, s)
	// A resume record is kept from 8 MiB (resumableFile) on.
	src, data := randomSource(t, 9<<20)
	e, rec := newEngine(t, transfer.SmallSizes(transfer.Options{}))
	dst := path.Join(s.Dir, "big.bin")
	before := sftpSubsystems(t, s)
	stuck := &stuckRecord{FS: sess.FS}
	id := run(t, e, transfer.Request{Src: localFS(), Dst: stuck, Items: []transfer.Item{{Src: src, Dst: dst}}})
	onlyDone(t, e)
	rec.finished(t, id)
	got, err := os.ReadFile(dst)
	if err != nil || sha256.Sum256(got) != sha256.Sum256(data) {
		t.Fatalf("uploaded file differs (%d bytes, %v)", len(got), err)
	}
	if n := stuck.creates.Load(); n != 1 {
		t.Errorf("%d resume records created, want 1", n)
	}
	left, err := os.ReadFile(path.Join(s.Dir, ".big.bin.ferry-part.meta"))
	if err != nil || !bytes.Contains(left, []byte("\nrange ")) {
		t.Errorf("the record left behind does not list the ranges: %q, %v", left, err)
	}
	if fi, err := os.Stat(path.Join(s.Dir, ".big.bin.ferry-part.meta")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the record's mode: %v, %v; want 0600", fi.Mode(), err)
	}
	if n := sftpSubsystems(t, s) - before; n == 0 {
		t.Error("the upload went as one stream")
	}
	for _, ev := range rec.of(transfer.Notice) {
		if strings.Contains(ev.Message, "one stream") {
			t.Errorf("notice: %s", ev.Message)
		}
	}
}

// randomSource writes size random bytes to a new local file "big.bin"
// and returns its path and data.
func randomSource(t *testing.T, size int) (string, []byte) {
	t.Helper()
	data := randomBytes(size)
	src := filepath.Join(t.TempDir(), "big.bin")
	if err := os.WriteFile(src, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return src, data
}
