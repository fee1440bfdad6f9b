package transfer_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/config"
	"github.com/ferry-tui/ferry/remote"
	"github.com/ferry-tui/ferry/remote/servertest"
	"github.com/ferry-tui/ferry/transfer"
)

// interopTimeout bounds every transfer and every file system call of the
// interop suite, so that a server (or client) that hangs fails its case
// instead of blocking the run.
const interopTimeout = 2 * time.Minute

// dialServer connects to s exactly as ferry does (remote.Dial: SFTP
// options, extra channels for byte ranges, known_hosts verification) and
// closes the session when t ends.
func dialServer(t *testing.T, s *servertest.Server) *remote.Session {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), interopTimeout)
	defer cancel()
	sess, err := remote.Dial(ctx, config.Host{
		Alias: strings.ToLower(s.Kind.String()), HostName: s.Host, Port: s.Port, User: s.User,
		IdentityFiles: []string{s.ClientKeyPath}, IdentitiesOnly: true, IdentityAgent: "none",
		UserKnownHostsFiles: []string{s.KnownHostsPath}, StrictHostKeyChecking: "yes", BatchMode: true,
	})
	if err != nil {
		t.Fatalf("dial %v at %s: %v", s.Kind, s.Addr, err)
	}
	t.Cleanup(func() { sess.Close() })
	return sess
}

// within runs fn, a file system call, and fails t if it has not returned
// within interopTimeout. The call is left running; closing the session at
// the end of the test ends it.
func within(t *testing.T, what string, fn func(ctx context.Context) error) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), interopTimeout)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- fn(ctx) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		t.Fatalf("%s: no answer within %v", what, interopTimeout)
		return nil
	}
}

// transferWithin submits req and waits until the engine is idle or
// interopTimeout has passed; then it cancels everything, fails t with the
// jobs that were not done, and returns false.
func transferWithin(t *testing.T, e *transfer.Engine, what string, req transfer.Request) (transfer.BatchID, bool) {
	t.Helper()
	b, err := e.Submit(req)
	if err != nil {
		t.Fatalf("%s: Submit: %v", what, err)
	}
	return b.ID(), waitWithin(t, e, what)
}

// waitWithin waits until e is idle, for at most interopTimeout; after
// that it cancels everything and fails t as transferWithin does.
func waitWithin(t *testing.T, e *transfer.Engine, what string) bool {
	t.Helper()
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), interopTimeout)
	defer cancel()
	if err := e.Wait(ctx); err != nil {
		snap := e.Snapshot()
		e.CancelAll()
		t.Errorf("%s: not done after %v (%d of %d bytes moved); cancelled. Running jobs:\n%s",
			what, time.Since(start).Round(time.Second), snap.DoneBytes, snap.TotalBytes, describeJobs(snap.Active))
		return false
	}
	return true
}

// checkAllDone fails t with every job of batch id that did not end Done,
// and reports whether all did.
func checkAllDone(t *testing.T, e *transfer.Engine, what string, id transfer.BatchID) bool {
	t.Helper()
	var bad []transfer.JobStatus
	n := 0
	for _, j := range e.Jobs(0, 0) {
		if j.Batch != id {
			continue
		}
		n++
		if j.State != transfer.Done {
			bad = append(bad, j)
		}
	}
	if n == 0 {
		t.Errorf("%s: the batch has no jobs", what)
		return false
	}
	if len(bad) > 0 {
		t.Errorf("%s: %d of %d jobs not done:\n%s", what, len(bad), n, describeJobs(bad))
		return false
	}
	return true
}

// describeJobs lists jobs one a line with their state and error, the
// first ten of them.
func describeJobs(jobs []transfer.JobStatus) string {
	var b strings.Builder
	for i, j := range jobs {
		if i == 10 {
			fmt.Fprintf(&b, "  ... and %d more\n", len(jobs)-i)
			break
		}
		fmt.Fprintf(&b, "  %s -> %s: %v, %d of %d bytes, resumed at %d, err: %v\n",
			j.Src, j.Dst, j.State, j.Done, j.Size, j.Resumed, j.Err)
	}
	return b.String()
}

// writeRandomFile writes size pseudo-random bytes from seed to path,
// without holding them in memory, and returns their SHA-256 in hex.
func writeRandomFile(t testing.TB, path string, size int64, seed uint64) string {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	r := randStream(seed)
	h := sha256.New()
	buf := make([]byte, 1<<20)
	for left := size; left > 0; {
		n := min(left, int64(len(buf)))
		clear(buf[:n])
		r.XORKeyStream(buf[:n], buf[:n])
		h.Write(buf[:n])
		if _, err := f.Write(buf[:n]); err != nil {
			t.Fatal(err)
		}
		left -= n
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// linkOrCopy makes dst a hard link to src, or a copy where a link cannot
// be made (another file system).
func linkOrCopy(t *testing.T, src, dst string) {
	t.Helper()
	if err := os.Link(src, dst); err == nil {
		return
	}
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// hashOf returns the SHA-256 of a file in hex, or a note saying why there
// is none.
func hashOf(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Sprintf("(%v)", err)
	}
	defer f.Close()
	// io.Copy's own 32 KiB buffer: a buffer of 1 MiB, zeroed for each of
	// the thousands of small files of the tree cases, cost more than the
	// hashing.
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return fmt.Sprintf("(%v)", err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// interopTreeDirs are the directories of makeInteropTree, "" the top.
var interopTreeDirs = []string{"", "docs", "src/pkg", "src/pkg/internal", "assets/img/2026"}

// makeInteropTree writes files small files spread over
// interopTreeDirs below dir, of sizes from 0 to about 20 KiB, and an empty
// directory.
func makeInteropTree(t *testing.T, dir string, files int, seed uint64) {
	t.Helper()
	for i := range files {
		sub := interopTreeDirs[i%len(interopTreeDirs)]
		p := filepath.Join(dir, filepath.FromSlash(sub), fmt.Sprintf("file-%03d.dat", i))
		size := (i * 677) % 20011
		writeFile(t, p, randBytes(seed+uint64(i), size), 0o644, baseTime)
	}
	if err := os.MkdirAll(filepath.Join(dir, "empty"), 0o755); err != nil {
		t.Fatal(err)
	}
}

// treeDigest describes the tree below dir: directories by name, files by
// name and content hash, one a line, sorted.
func treeDigest(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		switch {
		case rel == ".":
		case d.IsDir():
			out = append(out, rel+"/")
		case d.Type().IsRegular():
			out = append(out, rel+" "+hashOf(p))
		default:
			out = append(out, rel+" ("+d.Type().String()+")")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// compareDigests fails t with the lines in which two tree digests differ.
func compareDigests(t *testing.T, what string, want, got []string) {
	t.Helper()
	w := map[string]bool{}
	for _, l := range want {
		w[l] = true
	}
	g := map[string]bool{}
	for _, l := range got {
		g[l] = true
	}
	var diffs []string
	for _, l := range want {
		if !g[l] {
			diffs = append(diffs, "missing or different: "+l)
		}
	}
	for _, l := range got {
		if !w[l] {
			diffs = append(diffs, "unexpected: "+l)
		}
	}
	if len(diffs) > 0 {
		if len(diffs) > 20 {
			diffs = append(diffs[:20], fmt.Sprintf("... %d more", len(diffs)-20))
		}
		t.Errorf("%s: %d of %d entries differ:\n%s", what, len(diffs), len(want), strings.Join(diffs, "\n"))
	}
}
