package transfer_test

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/transfer"
)

// waitTimeout bounds every wait in these tests; none is a timing test.
const waitTimeout = 2 * time.Minute

// recorder collects an engine's events.
type recorder struct {
	mu     sync.Mutex
	events []transfer.Event
	notify chan struct{}
	done   chan struct{}
}

// newEngine starts an engine closed at the end of t, with its events
// recorded.
func newEngine(t *testing.T, opts transfer.Options) (*transfer.Engine, *recorder) {
	t.Helper()
	e := transfer.New(opts)
	r := &recorder{notify: make(chan struct{}, 1), done: make(chan struct{})}
	go func() {
		defer close(r.done)
		for ev := range e.Events() {
			r.mu.Lock()
			r.events = append(r.events, ev)
			r.mu.Unlock()
			select {
			case r.notify <- struct{}{}:
			default:
			}
		}
	}()
	t.Cleanup(func() {
		e.Close()
		<-r.done
	})
	return e, r
}

// all returns the events so far.
func (r *recorder) all() []transfer.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]transfer.Event(nil), r.events...)
}

// waitFor waits until an event satisfying match has arrived and returns it.
func (r *recorder) waitFor(t *testing.T, what string, match func(transfer.Event) bool) transfer.Event {
	t.Helper()
	deadline := time.After(waitTimeout)
	for {
		for _, ev := range r.all() {
			if match(ev) {
				return ev
			}
		}
		select {
		case <-r.notify:
		case <-deadline:
			t.Fatalf("timed out waiting for %s; events: %+v", what, r.all())
		}
	}
}

// finished waits until the BatchFinished event of batch id has arrived.
// The engine emits it after every other event of the batch, before Wait
// returns; the recorder may read them later, so a test that counts a
// batch's events waits for this first.
func (r *recorder) finished(t *testing.T, id transfer.BatchID) {
	t.Helper()
	r.waitFor(t, "the end of the batch", func(ev transfer.Event) bool {
		return ev.Kind == transfer.BatchFinished && ev.Batch == id
	})
}

// of returns the events of kind k.
func (r *recorder) of(k transfer.EventKind) []transfer.Event {
	var out []transfer.Event
	for _, ev := range r.all() {
		if ev.Kind == k {
			out = append(out, ev)
		}
	}
	return out
}

// run submits req and waits until the engine is idle.
func run(t *testing.T, e *transfer.Engine, req transfer.Request) transfer.BatchID {
	t.Helper()
	b, err := e.Submit(req)
	if err != nil {
		t.Fatalf("Submit: %v", err)
	}
	wait(t, e)
	return b.ID()
}

// wait waits until e is idle.
func wait(t *testing.T, e *transfer.Engine) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	if err := e.Wait(ctx); err != nil {
		t.Fatalf("Wait: %v; snapshot %+v", err, e.Snapshot())
	}
}

// jobsIn returns all jobs of the engine in state st.
func jobsIn(e *transfer.Engine, st transfer.State) []transfer.JobStatus {
	var out []transfer.JobStatus
	for _, j := range e.Jobs(0, 0) {
		if j.State == st {
			out = append(out, j)
		}
	}
	return out
}

// jobFor returns the job whose source is src.
func jobFor(t *testing.T, e *transfer.Engine, src string) transfer.JobStatus {
	t.Helper()
	for _, j := range e.Jobs(0, 0) {
		if j.Src == src {
			return j
		}
	}
	t.Fatalf("no job for %s in %+v", src, e.Jobs(0, 0))
	return transfer.JobStatus{}
}

// onlyDone fails t unless every job is done.
func onlyDone(t *testing.T, e *transfer.Engine) {
	t.Helper()
	for _, j := range e.Jobs(0, 0) {
		if j.State != transfer.Done {
			t.Errorf("job %d %s (%v): %v, err %v", j.ID, j.Src, j.Kind, j.State, j.Err)
		}
	}
}

// randBytes returns n reproducible pseudo-random bytes: the AES-CTR key
// stream of a key made from seed, which AES-NI writes at gigabytes a
// second: 24 MiB took over a second under the race detector with a store
// per byte, and a quarter of a second with crypto/rand or ChaCha8.
func randBytes(seed uint64, n int) []byte {
	b := make([]byte, n)
	randStream(seed).XORKeyStream(b, b)
	return b
}

// randomBytes returns n pseudo-random bytes that differ from run to run.
func randomBytes(n int) []byte { return randBytes(rand.Uint64(), n) }

// randStream returns the key stream of randBytes for seed: XORed into
// zeros, it gives the same bytes.
func randStream(seed uint64) cipher.Stream {
	var key [16]byte
	binary.LittleEndian.PutUint64(key[:], seed)
	block, err := aes.NewCipher(key[:])
	if err != nil {
		panic(err) // a 16-byte key is always valid
	}
	return cipher.NewCTR(block, make([]byte, aes.BlockSize))
}

// writeFile writes data to path with mode and mtime, creating parents.
func writeFile(t *testing.T, path string, data []byte, mode fs.FileMode, mtime time.Time) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, mtime, mtime); err != nil {
		t.Fatal(err)
	}
}

// baseTime is a fixed modification time, whole seconds as SFTP keeps them.
var baseTime = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)

// makeTree builds the standard test tree below dir: files of sizes around
// the engine's thresholds, nested and empty directories, and symbolic
// links that stay inside the tree (relative and absolute) and leave it.
func makeTree(t *testing.T, dir string) {
	t.Helper()
	sizes := map[string]int{
		"empty.txt":           0,
		"one.txt":             1,
		"small.bin":           16 << 10,
		"a/b/c/deep.txt":      100,
		"a/exact-1MiB.bin":    1 << 20,
		"a/just-over.bin":     1<<20 + 1,
		"a/b/large.bin":       9<<20 + 7,
		"spaces in name.txt":  42,
		"unicode-ü-名前.txt":    77,
		"a/b/c/d/e/f/leaf.md": 5,
	}
	i := uint64(1)
	for name, n := range sizes {
		mode := fs.FileMode(0o644)
		if strings.HasSuffix(name, ".md") {
			mode = 0o600
		}
		writeFile(t, filepath.Join(dir, name), randBytes(i, n), mode, baseTime.Add(time.Duration(i)*time.Hour))
		i++
	}
	writeFile(t, filepath.Join(dir, "run.sh"), []byte("#!/bin/sh\necho hi\n"), 0o755, baseTime)
	for _, d := range []string{"empty-dir", "a/empty-nested/deeper"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	links := map[string]string{
		"link-rel":          "a/b/large.bin",
		"a/b/link-up":       "../exact-1MiB.bin",
		"a/link-dir":        "b/c",
		"link-abs-inside":   filepath.Join(dir, "one.txt"),
		"link-outside":      "../../etc/passwd",
		"link-abs-outside":  "/etc/passwd",
		"a/b/dangling-in":   "missing-but-inside",
		"a/link-escape-dot": "b/../../..",
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
}

// outsideLinks are makeTree's links whose targets leave the tree; the
// others (link-rel, a/b/link-up, a/link-dir, link-abs-inside,
// a/b/dangling-in) stay inside it and are recreated.
var outsideLinks = []string{"link-outside", "link-abs-outside", "a/link-escape-dot"}

// entry is one file in a tree summary.
type entry struct {
	kind  string // "file", "dir" or "link"
	hash  string // file contents' SHA-256, or a link's target
	mode  fs.FileMode
	mtime int64
}

// summarize describes the tree below dir by relative path.
func summarize(t *testing.T, dir string) map[string]entry {
	t.Helper()
	out := map[string]entry{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if rel == "." {
			return nil
		}
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		switch {
		case fi.Mode()&fs.ModeSymlink != 0:
			tgt, err := os.Readlink(p)
			if err != nil {
				return err
			}
			out[rel] = entry{kind: "link", hash: tgt}
		case fi.IsDir():
			out[rel] = entry{kind: "dir", mode: fi.Mode().Perm(), mtime: fi.ModTime().Unix()}
		default:
			out[rel] = entry{kind: "file", hash: hashFile(t, p), mode: fi.Mode().Perm(), mtime: fi.ModTime().Unix()}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// hashFile returns the SHA-256 of a file's contents.
func hashFile(t *testing.T, p string) string {
	t.Helper()
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// compareTrees checks that dst is a faithful copy of the tree makeTree
// built at src: every file byte-identical with mode and time, every
// directory, the inside links recreated (an absolute one made relative),
// the outside links absent, and no temporary files left.
func compareTrees(t *testing.T, src, dst string) {
	t.Helper()
	want := summarize(t, src)
	got := summarize(t, dst)
	for _, l := range outsideLinks {
		delete(want, l)
	}
	if e, ok := want["link-abs-inside"]; ok {
		e.hash = "one.txt"
		want["link-abs-inside"] = e
	}
	var diffs []string
	for k, w := range want {
		g, ok := got[k]
		switch {
		case !ok:
			diffs = append(diffs, "missing "+k)
		case g != w:
			diffs = append(diffs, fmt.Sprintf("%s: got %+v, want %+v", k, g, w))
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			diffs = append(diffs, "unexpected "+k)
		}
	}
	sort.Strings(diffs)
	if len(diffs) > 0 {
		t.Errorf("copy of %s differs:\n%s", src, strings.Join(diffs, "\n"))
	}
}

// checkTreeJobs checks the fates of makeTree's links in e's jobs: outside
// links skipped with ErrLinkOutside, everything else done.
func checkTreeJobs(t *testing.T, e *transfer.Engine, srcRoot string, join func(...string) string) {
	t.Helper()
	outside := map[string]bool{}
	for _, l := range outsideLinks {
		outside[join(srcRoot, l)] = true
	}
	for _, j := range e.Jobs(0, 0) {
		switch {
		case outside[j.Src]:
			if j.State != transfer.Skipped || !errors.Is(j.Err, transfer.ErrLinkOutside) {
				t.Errorf("outside link %s: %v, %v; want skipped with ErrLinkOutside", j.Src, j.State, j.Err)
			}
		case j.State != transfer.Done:
			t.Errorf("job %s (%v): %v, err %v", j.Src, j.Kind, j.State, j.Err)
		}
	}
}

// noTemps fails t if any ferry temporary file is left below dir.
func noTemps(t *testing.T, dir string) {
	t.Helper()
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && (strings.Contains(d.Name(), ".ferry-part") || strings.Contains(d.Name(), ".ferry-old")) {
			t.Errorf("left behind: %s", p)
		}
		return nil
	})
}

// gateFS wraps a file system so that the first Open of one file returns a
// reader that stops after a number of bytes until released.
type gateFS struct {
	transfer.FS
	name    string
	after   int64
	reached chan struct{}
	release chan struct{}
	once    sync.Once
	opens   sync.Once
}

// newGate stops the first read of name after n bytes.
func newGate(fsys transfer.FS, name string, n int64) *gateFS {
	return &gateFS{FS: fsys, name: name, after: n, reached: make(chan struct{}), release: make(chan struct{})}
}

// Open returns a gated reader for the first Open of g.name.
func (g *gateFS) Open(ctx context.Context, name string) (io.ReadCloser, error) {
	rc, err := g.FS.Open(ctx, name)
	if err != nil || name != g.name {
		return rc, err
	}
	gated := false
	g.opens.Do(func() { gated = true })
	if !gated {
		return rc, nil
	}
	return &gatedReader{rc: rc, g: g, left: g.after}, nil
}

// waitReached waits until the gated reader has stopped.
func (g *gateFS) waitReached(t *testing.T) {
	t.Helper()
	select {
	case <-g.reached:
	case <-time.After(waitTimeout):
		t.Fatal("gated reader never reached its limit")
	}
}

// open lets the gated reader go on.
func (g *gateFS) open() { g.once.Do(func() { close(g.release) }) }

// gatedReader reads until its budget is spent, then waits for release.
type gatedReader struct {
	rc   io.ReadCloser
	g    *gateFS
	left int64
	hit  bool
}

func (r *gatedReader) Read(b []byte) (int, error) {
	if r.left <= 0 {
		if !r.hit {
			r.hit = true
			close(r.g.reached)
		}
		<-r.g.release
		return r.rc.Read(b)
	}
	if int64(len(b)) > r.left {
		b = b[:r.left]
	}
	n, err := r.rc.Read(b)
	r.left -= int64(n)
	return n, err
}

func (r *gatedReader) Seek(off int64, whence int) (int64, error) {
	s, ok := r.rc.(io.Seeker)
	if !ok {
		return 0, errors.ErrUnsupported
	}
	return s.Seek(off, whence)
}

func (r *gatedReader) Close() error { return r.rc.Close() }

// localFS returns the local file system.
func localFS() *local.FS { return local.New() }
