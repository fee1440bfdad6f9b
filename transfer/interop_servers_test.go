package transfer_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/remote/servertest"
	"github.com/ferry-tui/ferry/transfer"
)

// Sizes of the interop suite. Its engines use the small sizes
// (transfer.SmallSizes: ranges from 4 MiB, of 1 MiB at least, a resume
// rewinds 1 MiB), so the big file of 8 MiB each way is split into byte
// ranges as a file of 32 MiB or more is with the real sizes, and still
// outruns every window and request queue several times over;
// FERRY_INTEROP_MIB=100 runs the 100 MiB of issue 9. The interrupted
// upload is large enough that each of its four ranges is still past the
// resume's rewind when it is cut, and at least resumableFile (8 MiB), so
// that it has a resume record.
const (
	interopResumeSize = 16 << 20
	interopTreeFiles  = 300
)

// interopBigSize is the size of the big file each way (FERRY_INTEROP_MIB).
func interopBigSize() int64 { return int64(envInt("FERRY_INTEROP_MIB", 8)) << 20 }

// TestServersInterop runs ferry's real code path (remote.Dial, remote.FS,
// the transfer engine) against every kind of server servertest has:
// listing, directory operations, a big upload and download compared
// by hash, a 300-file tree both ways, and an interrupted upload resumed.
// Servers that are not installed are skipped unless
// FERRY_REQUIRE_SERVERS=1.
func TestServersInterop(t *testing.T) {
	t.Parallel()
	// The large sources are made once and only read: uploads read them,
	// downloads read hard links to them in each server's directory.
	src := t.TempDir()
	big := interopFile{path: filepath.Join(src, "big.bin")}
	big.sha256 = writeRandomFile(t, big.path, interopBigSize(), 1)
	resume := interopFile{path: filepath.Join(src, "resume.bin")}
	resume.sha256 = writeRandomFile(t, resume.path, interopResumeSize, 2)
	for _, kind := range servertest.Kinds() {
		t.Run(kind.String(), func(t *testing.T) {
			t.Parallel()
			s := servertest.Start(t, kind)
			// The cases share the server, each in a directory and over
			// a connection of its own, so they run at once too.
			for _, c := range []struct {
				name string
				run  func(*testing.T)
			}{
				{"List", func(t *testing.T) { interopList(t, s) }},
				{"DirOps", func(t *testing.T) { interopDirOps(t, s) }},
				{"UploadBig", func(t *testing.T) { interopUpload(t, s, big) }},
				{"DownloadBig", func(t *testing.T) { interopDownload(t, s, big) }},
				{"TreeUp", func(t *testing.T) { interopTreeUp(t, s) }},
				{"TreeDown", func(t *testing.T) { interopTreeDown(t, s) }},
				{"ResumeUpload", func(t *testing.T) { interopResumeUpload(t, s, resume) }},
			} {
				t.Run(c.name, func(t *testing.T) {
					t.Parallel()
					c.run(t)
				})
			}
		})
	}
}

// interopFile is a local file the suite made, with its hash.
type interopFile struct {
	path, sha256 string
}

// caseDir makes a directory of its own for one case below s.Dir.
func caseDir(t *testing.T, s *servertest.Server, name string) string {
	t.Helper()
	d := filepath.Join(s.Dir, name)
	if err := os.Mkdir(d, 0o755); err != nil {
		t.Fatal(err)
	}
	return d
}

// interopList lists a directory the test filled on disk.
func interopList(t *testing.T, s *servertest.Server) {
	dir := caseDir(t, s, "list")
	want := map[string]int64{}
	for i, name := range []string{"a.txt", "b.bin", "with space.txt", "ünïcødé.md", ".hidden"} {
		data := randBytes(uint64(100+i), i*1000+1)
		writeFile(t, filepath.Join(dir, name), data, 0o644, baseTime)
		want[name] = int64(len(data))
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	want["sub/"] = -1
	sess := dialServer(t, s)
	var infos []fs.FileInfo
	err := within(t, "ReadDir", func(ctx context.Context) error {
		var err error
		infos, err = sess.FS.ReadDir(ctx, dir)
		return err
	})
	if err != nil {
		t.Fatalf("ReadDir %s: %v", dir, err)
	}
	got := map[string]int64{}
	for _, fi := range infos {
		switch {
		case fi.IsDir():
			got[fi.Name()+"/"] = -1
		default:
			got[fi.Name()] = fi.Size()
			if !fi.ModTime().Equal(baseTime) {
				t.Errorf("%s: mtime %v, want %v", fi.Name(), fi.ModTime(), baseTime)
			}
		}
	}
	if !equalSizes(got, want) {
		t.Fatalf("ReadDir %s = %v, want %v", dir, got, want)
	}
	home := ""
	err = within(t, "Home", func(ctx context.Context) error {
		var err error
		home, err = sess.FS.Home(ctx)
		return err
	})
	if err != nil || home != s.Dir {
		t.Errorf("Home() = %q, %v; want the start directory %q", home, err, s.Dir)
	}
}

// equalSizes compares two listings.
func equalSizes(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// interopDirOps makes, renames and removes directories and files through
// remote.FS and checks each step on disk.
func interopDirOps(t *testing.T, s *servertest.Server) {
	dir := caseDir(t, s, "ops")
	sess := dialServer(t, s)
	rfs := sess.FS
	step := func(what string, fn func(ctx context.Context) error) {
		t.Helper()
		if err := within(t, what, fn); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	d1, d2 := path.Join(dir, "made"), path.Join(dir, "renamed")
	step("Mkdir", func(ctx context.Context) error { return rfs.Mkdir(ctx, d1, 0o755) })
	if fi, err := os.Stat(d1); err != nil || !fi.IsDir() {
		t.Fatalf("after Mkdir: %v, %v", fi, err)
	}
	err := within(t, "Mkdir again", func(ctx context.Context) error { return rfs.Mkdir(ctx, d1, 0o755) })
	if err == nil {
		t.Errorf("Mkdir of an existing directory succeeded")
	}
	step("Rename dir", func(ctx context.Context) error { return rfs.Rename(ctx, d1, d2) })
	if _, err := os.Stat(d1); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("old name after Rename: %v", err)
	}
	if fi, err := os.Stat(d2); err != nil || !fi.IsDir() {
		t.Fatalf("new name after Rename: %v, %v", fi, err)
	}
	f1, f2 := path.Join(d2, "file.txt"), path.Join(d2, "moved.txt")
	writeFile(t, f1, []byte("contents"), 0o644, baseTime)
	step("Rename file", func(ctx context.Context) error { return rfs.Rename(ctx, f1, f2) })
	if b, err := os.ReadFile(f2); err != nil || string(b) != "contents" {
		t.Fatalf("after Rename of a file: %q, %v", b, err)
	}
	err = within(t, "Remove non-empty dir", func(ctx context.Context) error { return rfs.Remove(ctx, d2) })
	if err == nil {
		t.Errorf("Remove of a non-empty directory succeeded")
	}
	step("Remove file", func(ctx context.Context) error { return rfs.Remove(ctx, f2) })
	if _, err := os.Stat(f2); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("file after Remove: %v", err)
	}
	step("Remove dir", func(ctx context.Context) error { return rfs.Remove(ctx, d2) })
	if _, err := os.Stat(d2); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("directory after Remove: %v", err)
	}
	err = within(t, "Stat missing", func(ctx context.Context) error {
		_, err := rfs.Stat(ctx, d2)
		return err
	})
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Stat of a removed directory: %v, want fs.ErrNotExist", err)
	}
}

// interopUpload uploads the big file and compares hashes.
func interopUpload(t *testing.T, s *servertest.Server, src interopFile) {
	dst := path.Join(caseDir(t, s, "up"), "big.bin")
	sess := dialServer(t, s)
	e, rec := newEngine(t, transfer.SmallSizes(transfer.Options{}))
	defer logNotices(t, rec)
	start := time.Now()
	id, ok := transferWithin(t, e, "upload", transfer.Request{Src: localFS(), Dst: sess.FS, Items: []transfer.Item{{Src: src.path, Dst: dst}}})
	if !ok || !checkAllDone(t, e, "upload", id) {
		return
	}
	t.Logf("uploaded %d MiB in %v", interopBigSize()>>20, time.Since(start).Round(time.Millisecond))
	// With nothing broken on purpose, no server should need a retry (a
	// server that mishandles parallel ranges gets one stream from the
	// start).
	rec.finished(t, id)
	for _, ev := range rec.of(transfer.Notice) {
		if strings.Contains(ev.Message, "trying again") || strings.Contains(ev.Message, "ranges failed") {
			t.Errorf("the upload did not go through cleanly: %s", ev.Message)
		}
	}
	if got := hashOf(dst); got != src.sha256 {
		t.Errorf("uploaded file's sha256 %s, want %s", got, src.sha256)
	}
	noTemps(t, filepath.Dir(dst))
}

// interopDownload downloads the big file from the server's side and compares
// hashes.
func interopDownload(t *testing.T, s *servertest.Server, big interopFile) {
	src := path.Join(caseDir(t, s, "down"), "big.bin")
	linkOrCopy(t, big.path, src)
	out := t.TempDir()
	dst := filepath.Join(out, "big.bin")
	sess := dialServer(t, s)
	e, rec := newEngine(t, transfer.SmallSizes(transfer.Options{}))
	defer logNotices(t, rec)
	start := time.Now()
	id, ok := transferWithin(t, e, "download", transfer.Request{Src: sess.FS, Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: dst}}})
	if !ok || !checkAllDone(t, e, "download", id) {
		return
	}
	t.Logf("downloaded %d MiB in %v", interopBigSize()>>20, time.Since(start).Round(time.Millisecond))
	if got := hashOf(dst); got != big.sha256 {
		t.Errorf("downloaded file's sha256 %s, want %s", got, big.sha256)
	}
	noTemps(t, out)
}

// interopTreeUp uploads a tree of 300 files and compares it on disk.
func interopTreeUp(t *testing.T, s *servertest.Server) {
	src := filepath.Join(t.TempDir(), "tree")
	makeInteropTree(t, src, interopTreeFiles, 1000)
	dst := path.Join(caseDir(t, s, "tree-up"), "tree")
	sess := dialServer(t, s)
	e, rec := newEngine(t, transfer.Options{})
	defer logNotices(t, rec)
	start := time.Now()
	id, ok := transferWithin(t, e, "tree upload", transfer.Request{Src: localFS(), Dst: sess.FS, Items: []transfer.Item{{Src: src, Dst: dst}}})
	if ok {
		checkAllDone(t, e, "tree upload", id)
	}
	t.Logf("uploaded %d files in %v", interopTreeFiles, time.Since(start).Round(time.Millisecond))
	compareDigests(t, "uploaded tree", treeDigest(t, src), treeDigest(t, dst))
}

// interopTreeDown downloads a tree of 300 files the test wrote on the
// server's side and compares it.
func interopTreeDown(t *testing.T, s *servertest.Server) {
	src := path.Join(caseDir(t, s, "tree-down"), "tree")
	makeInteropTree(t, src, interopTreeFiles, 2000)
	dst := filepath.Join(t.TempDir(), "tree")
	sess := dialServer(t, s)
	e, rec := newEngine(t, transfer.Options{})
	defer logNotices(t, rec)
	start := time.Now()
	id, ok := transferWithin(t, e, "tree download", transfer.Request{Src: sess.FS, Dst: localFS(), Items: []transfer.Item{{Src: src, Dst: dst}}})
	if ok {
		checkAllDone(t, e, "tree download", id)
	}
	t.Logf("downloaded %d files in %v", interopTreeFiles, time.Since(start).Round(time.Millisecond))
	compareDigests(t, "downloaded tree", treeDigest(t, src), treeDigest(t, dst))
}

// interopResumeUpload cancels a 16 MiB upload once half of it has moved,
// then submits it again with the Resume policy: the job must continue
// from the partial file (Resumed > 0) and the result match the source.
func interopResumeUpload(t *testing.T, s *servertest.Server, file interopFile) {
	src, want := file.path, file.sha256
	dir := caseDir(t, s, "resume")
	dst := path.Join(dir, "resume.bin")
	sess := dialServer(t, s)
	// The limit keeps a fast server from taking the whole file before
	// the test, however late a busy machine schedules it, has seen half.
	e, rec := newEngine(t, transfer.SmallSizes(transfer.Options{Limit: 8 << 20}))
	defer logNotices(t, rec)
	req := transfer.Request{Src: localFS(), Dst: sess.FS, Items: []transfer.Item{{Src: src, Dst: dst}}}
	first, err := e.Submit(req)
	if err != nil {
		t.Fatal(err)
	}
	// Cancel once half has moved (or the job has ended on its own). A
	// resume rewinds 1 MiB and checks the 64 KiB before that, in every
	// byte range of a ranged upload: with four ranges of 4 MiB, each must
	// have got past that for anything to be kept.
	deadline := time.Now().Add(interopTimeout)
	for {
		snap := e.Snapshot()
		if snap.DoneBytes >= interopResumeSize/2 || snap.States[transfer.Done]+snap.States[transfer.Failed] > 0 {
			break
		}
		if time.Now().After(deadline) {
			e.CancelAll()
			t.Fatalf("the upload moved %d bytes in %v; jobs:\n%s", snap.DoneBytes, interopTimeout, describeJobs(e.Jobs(0, 0)))
		}
		time.Sleep(2 * time.Millisecond)
	}
	// What has moved is what was read; hold the upload until the server
	// has all but 256 KiB of it: up to 4.5 MiB a range (2 MiB for servers
	// other than OpenSSH) can be in flight, far more than the 1 MiB a
	// resume rewinds.
	e.Pause()
	part := filepath.Join(dir, "."+path.Base(dst)+".ferry-part")
	for stored(part) < e.Snapshot().DoneBytes-256<<10 {
		if time.Now().After(deadline) {
			t.Fatalf("the server holds %d of the %d bytes sent", stored(part), e.Snapshot().DoneBytes)
		}
		time.Sleep(2 * time.Millisecond)
	}
	err = e.CancelBatch(first.ID())
	e.SetLimit(0)
	e.Resume()
	if err != nil {
		t.Fatal(err)
	}
	if !waitWithin(t, e, "cancelled upload") {
		return
	}
	j := jobFor(t, e, src)
	if j.State != transfer.Cancelled {
		t.Fatalf("the first upload was not interrupted: %s", describeJobs([]transfer.JobStatus{j}))
	}
	t.Logf("interrupted at %d of %d bytes; left in %s: %s", j.Done, j.Size, dir, listNames(dir))

	req.Policy = transfer.Resume
	second, ok := transferWithin(t, e, "resumed upload", req)
	if !ok || !checkAllDone(t, e, "resumed upload", second) {
		return
	}
	var rj transfer.JobStatus
	for _, j := range e.Jobs(0, 0) {
		if j.Batch == second && j.Src == src {
			rj = j
		}
	}
	if rj.Resumed <= 0 {
		t.Errorf("the upload started again from 0 instead of resuming: %s", describeJobs([]transfer.JobStatus{rj}))
	} else {
		t.Logf("resumed at %d", rj.Resumed)
	}
	if got := hashOf(dst); got != want {
		t.Errorf("resumed upload's sha256 %s, want %s", got, want)
	}
	noTemps(t, dir)
}

// listNames returns the names in dir with their sizes, for messages.
func listNames(dir string) string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err.Error()
	}
	var out []string
	for _, e := range entries {
		if fi, err := e.Info(); err == nil {
			out = append(out, fmt.Sprintf("%s (%d bytes)", e.Name(), fi.Size()))
		}
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

// logNotices logs the engine's notices, such as a fallback from byte
// ranges to one stream.
func logNotices(t *testing.T, r *recorder) {
	t.Helper()
	for _, ev := range r.of(transfer.Notice) {
		t.Logf("notice: %s", ev.Message)
	}
}
