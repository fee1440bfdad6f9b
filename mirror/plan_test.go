package mirror

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/transfer"
)

// baseTime is a whole-second modification time, as SFTP keeps them.
var baseTime = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)

// put writes a file below root with baseTime, creating its parents.
func put(t *testing.T, root, rel, data string) string {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	setTime(t, p, baseTime)
	return p
}

func setTime(t *testing.T, p string, mt time.Time) {
	t.Helper()
	if err := os.Chtimes(p, mt, mt); err != nil {
		t.Fatal(err)
	}
}

func plan(t *testing.T, src, dst string, o Options) *Plan {
	t.Helper()
	fsys := local.New()
	p, err := MakePlan(t.Context(), fsys, src, fsys, dst, o)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// lines renders a plan's actions as "+ path (reason)".
func lines(p *Plan) []string {
	var out []string
	for _, a := range p.Actions {
		out = append(out, fmt.Sprintf("%s %s (%s)", a.Kind.Symbol(), a.Path, a.Reason))
	}
	return out
}

func wantActions(t *testing.T, p *Plan, want ...string) {
	t.Helper()
	if got := lines(p); !slices.Equal(got, want) {
		t.Errorf("actions:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// execute runs p the way ferry sync does.
func execute(t *testing.T, p *Plan) {
	t.Helper()
	ctx := t.Context()
	if err := p.Prepare(ctx); err != nil {
		t.Fatal(err)
	}
	if req, ok := p.Request(); ok {
		eng := transfer.New(transfer.Options{Workers: 4})
		defer eng.Close()
		b, err := eng.Submit(req)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.Wait(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Delete(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if err := p.FixDirs(ctx); err != nil {
		t.Fatal(err)
	}
}

// snapshot describes a tree: every entry with its kind, contents or link
// target, mode and mtime to the second.
func snapshot(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		switch {
		case fi.Mode()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			out[rel] = "link " + target
		case fi.IsDir():
			out[rel] = fmt.Sprintf("dir %v %d", fi.Mode().Perm(), fi.ModTime().Unix())
		default:
			b, _ := os.ReadFile(p)
			out[rel] = fmt.Sprintf("file %q %v %d", b, fi.Mode().Perm(), fi.ModTime().Unix())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameTree(t *testing.T, a, b string) {
	t.Helper()
	sa, sb := snapshot(t, a), snapshot(t, b)
	for k, v := range sa {
		if sb[k] != v {
			t.Errorf("%s: %s in the source, %s in the copy", k, v, sb[k])
		}
	}
	for k, v := range sb {
		if _, ok := sa[k]; !ok {
			t.Errorf("%s: only in the copy (%s)", k, v)
		}
	}
}

func TestPlanNewTreeThenNothing(t *testing.T) {
	t.Parallel()
	src := t.TempDir()
	put(t, src, "a.txt", "alpha")
	put(t, src, "d/b.txt", "beta")
	if err := os.MkdirAll(filepath.Join(src, "d", "empty"), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../a.txt", filepath.Join(src, "d", "link")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/etc/passwd", filepath.Join(src, "outside")); err != nil {
		t.Fatal(err)
	}
	setTime(t, filepath.Join(src, "d", "empty"), baseTime)
	setTime(t, filepath.Join(src, "d"), baseTime)
	setTime(t, src, baseTime)
	dst := filepath.Join(t.TempDir(), "copy")

	p := plan(t, src, dst, Options{})
	if !p.DstMissing {
		t.Error("DstMissing not set")
	}
	wantActions(t, p, "+ a.txt (new)", "+ d (new)", "+ d/b.txt (new)", "+ d/empty (new)", "+ d/link (new)")
	if len(p.Notes) != 1 || p.Notes[0].Path != "outside" {
		t.Errorf("notes: %+v", p.Notes)
	}
	if tot := p.Totals(); tot.New != 5 || tot.NewBytes != 9 {
		t.Errorf("totals: %+v", tot)
	}
	execute(t, p)
	// Removing the link outside changes the root's time: put it back, or
	// the trees differ whenever the clock's second turned in between.
	os.Remove(filepath.Join(src, "outside"))
	setTime(t, src, baseTime)
	sameTree(t, src, dst)

	again := plan(t, src, dst, Options{Delete: true})
	wantActions(t, again)
	if again.Entries < 10 {
		t.Errorf("entries compared: %d", again.Entries)
	}
}

func TestPlanChangesAndDeletes(t *testing.T) {
	t.Parallel()
	src, dst := t.TempDir(), t.TempDir()
	for _, root := range []string{src, dst} {
		put(t, root, "same.txt", "same")
		put(t, root, "sub/newer.txt", "0123")
		put(t, root, "sub/older.txt", "0123")
		put(t, root, "keep.log", "log")
	}
	put(t, src, "size.txt", "longer")
	put(t, dst, "size.txt", "short")
	setTime(t, filepath.Join(src, "sub", "newer.txt"), baseTime.Add(time.Hour))
	setTime(t, filepath.Join(src, "sub", "older.txt"), baseTime.Add(-time.Hour))
	put(t, dst, "gone.txt", "x")
	put(t, dst, "gone dir/deep/f", "xyz")
	put(t, dst, "kept dir/sub/old.log", "excluded, so kept with its directories")
	put(t, dst, "kept dir/sub/other", "deleted")
	put(t, dst, "only.log", "excluded: kept")
	put(t, src, "skip.log", "excluded: not copied")
	put(t, dst, ".x.ferry-part", "a partial copy")
	f, err := NewFilter([]Rule{{Pattern: "*.log"}})
	if err != nil {
		t.Fatal(err)
	}

	p := plan(t, src, dst, Options{Filter: f})
	wantActions(t, p, "~ size.txt (size 5 -> 6)", "~ sub/newer.txt (newer)", "~ sub/older.txt (older)")

	p = plan(t, src, dst, Options{Filter: f, Delete: true})
	wantActions(t, p, "- gone dir (not in source)", "- gone dir/deep (not in source)", "- gone dir/deep/f (not in source)",
		"- gone.txt (not in source)", "- kept dir/sub/other (not in source)", "~ size.txt (size 5 -> 6)", "~ sub/newer.txt (newer)", "~ sub/older.txt (older)")
	if tot := p.Totals(); tot.Deleted != 5 || tot.DeletedBytes != 11 || tot.Changed != 3 || p.Deletions() != 5 {
		t.Errorf("totals: %+v, deletions %d", tot, p.Deletions())
	}
	execute(t, p)
	for _, gone := range []string{"gone.txt", "gone dir"} {
		if _, err := os.Lstat(filepath.Join(dst, gone)); err == nil {
			t.Errorf("%s not deleted", gone)
		}
	}
	for _, kept := range []string{"only.log", ".x.ferry-part", "keep.log", "kept dir/sub/old.log"} {
		if _, err := os.Lstat(filepath.Join(dst, kept)); err != nil {
			t.Errorf("%s deleted: %v", kept, err)
		}
	}
	if _, err := os.Lstat(filepath.Join(dst, "skip.log")); err == nil {
		t.Error("excluded skip.log copied")
	}
	wantActions(t, plan(t, src, dst, Options{Filter: f, Delete: true}))
	if b, _ := os.ReadFile(filepath.Join(dst, "sub", "older.txt")); string(b) != "0123" {
		t.Errorf("older.txt = %q", b)
	}
	fi, _ := os.Stat(filepath.Join(dst, "sub", "older.txt"))
	if !fi.ModTime().Equal(baseTime.Add(-time.Hour)) {
		t.Errorf("older.txt time %v", fi.ModTime())
	}
	// The directories' times were set back after the copies went in.
	for _, d := range []string{"", "sub"} {
		a, _ := os.Stat(filepath.Join(src, d))
		b, _ := os.Stat(filepath.Join(dst, d))
		if a.ModTime().Unix() != b.ModTime().Unix() {
			t.Errorf("dir %q: time %v, source %v", d, b.ModTime(), a.ModTime())
		}
	}
}

func TestPlanModifyWindow(t *testing.T) {
	t.Parallel()
	src, dst := t.TempDir(), t.TempDir()
	// As SFTP keeps it: the source's 10.9 s arrives as 10 s.
	put(t, src, "frac.txt", "x")
	put(t, dst, "frac.txt", "x")
	setTime(t, filepath.Join(src, "frac.txt"), baseTime.Add(900*time.Millisecond))
	// A whole second apart: changed by default, equal within 2 s.
	put(t, src, "one.txt", "x")
	put(t, dst, "one.txt", "x")
	setTime(t, filepath.Join(src, "one.txt"), baseTime.Add(time.Second))
	// Three seconds apart: changed either way.
	put(t, src, "three.txt", "x")
	put(t, dst, "three.txt", "x")
	setTime(t, filepath.Join(dst, "three.txt"), baseTime.Add(3*time.Second))

	wantActions(t, plan(t, src, dst, Options{}), "~ one.txt (newer)", "~ three.txt (older)")
	wantActions(t, plan(t, src, dst, Options{ModifyWindow: 2 * time.Second}), "~ three.txt (older)")
	wantActions(t, plan(t, src, dst, Options{SizeOnly: true}))
}

func TestPlanChecksum(t *testing.T) {
	t.Parallel()
	src, dst := t.TempDir(), t.TempDir()
	put(t, src, "a/same.bin", "identical")
	put(t, dst, "a/same.bin", "identical")
	put(t, src, "a/differs.bin", "contents1")
	put(t, dst, "a/differs.bin", "contents2")
	big := bytes.Repeat([]byte("ferry"), 1<<20)
	for _, root := range []string{src, dst} {
		put(t, root, "big.bin", string(big))
	}
	var last atomic.Value
	o := Options{Checksum: true, Progress: func(pr Progress) { last.Store(pr) }}
	wantActions(t, plan(t, src, dst, Options{}))
	p := plan(t, src, dst, o)
	wantActions(t, p, "~ a/differs.bin (contents differ)")
	if pr := last.Load().(Progress); pr.Hashed != 3 || pr.ToHash != 3 || pr.Entries == 0 {
		t.Errorf("last progress: %+v", pr)
	}
	execute(t, p)
	if b, _ := os.ReadFile(filepath.Join(dst, "a", "differs.bin")); string(b) != "contents1" {
		t.Errorf("differs.bin = %q after the sync", b)
	}
	wantActions(t, plan(t, src, dst, o))
	if _, err := MakePlan(t.Context(), local.New(), src, local.New(), dst, Options{Checksum: true, SizeOnly: true}); err == nil {
		t.Error("--checksum with --size-only accepted")
	}
}

func TestPlanReplacesOtherKinds(t *testing.T) {
	t.Parallel()
	src, dst := t.TempDir(), t.TempDir()
	put(t, src, "was dir", "now a file")
	put(t, dst, "was dir/inner", "x")
	put(t, src, "was file/inner", "now a dir")
	put(t, dst, "was file", "x")
	put(t, src, "link", "a file")
	if err := os.Symlink("was dir", filepath.Join(dst, "link")); err != nil {
		t.Fatal(err)
	}

	p := plan(t, src, dst, Options{})
	wantActions(t, p, "~ link (replaces a link)", "~ was dir (replaces a directory)", "~ was file (replaces a file)", "+ was file/inner (new)")
	if len(p.Refused()) != 2 || p.Deletions() != 0 {
		t.Errorf("refused %+v, deletions %d", p.Refused(), p.Deletions())
	}
	execute(t, p)
	if fi, _ := os.Lstat(filepath.Join(dst, "was dir")); !fi.IsDir() {
		t.Error("without Delete a directory was replaced")
	}
	if fi, _ := os.Lstat(filepath.Join(dst, "link")); !fi.Mode().IsRegular() {
		t.Error("the link was not replaced by the file")
	}

	p = plan(t, src, dst, Options{Delete: true})
	if p.Deletions() != 2 {
		t.Errorf("deletions %d, want 2", p.Deletions())
	}
	execute(t, p)
	sameTree(t, src, dst)
}

// slowFS delays every listing and records how many run at once.
type slowFS struct {
	*local.FS
	delay     time.Duration
	mu        sync.Mutex
	now, peak int
}

func (s *slowFS) ReadDir(ctx context.Context, name string) ([]fs.FileInfo, error) {
	s.mu.Lock()
	s.now++
	s.peak = max(s.peak, s.now)
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.now--
		s.mu.Unlock()
	}()
	select {
	case <-time.After(s.delay):
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return s.FS.ReadDir(ctx, name)
}

// TestPlanWalksDirectoriesConcurrently plans 40 directories on both sides
// of a file system that takes 20 ms per listing: many listings must be
// in flight at once, on both sides.
func TestPlanWalksDirectoriesConcurrently(t *testing.T) {
	t.Parallel()
	src, dst := t.TempDir(), t.TempDir()
	for i := range 40 {
		for _, root := range []string{src, dst} {
			put(t, root, fmt.Sprintf("d%02d/sub/f", i), "x")
		}
	}
	sfs := &slowFS{FS: local.New(), delay: 20 * time.Millisecond}
	dfs := &slowFS{FS: local.New(), delay: 20 * time.Millisecond}
	p, err := MakePlan(t.Context(), sfs, src, dfs, dst, Options{Parallel: 8})
	if err != nil {
		t.Fatal(err)
	}
	wantActions(t, p)
	if sfs.peak < 4 || dfs.peak < 4 {
		t.Errorf("at most %d source and %d destination listings at once", sfs.peak, dfs.peak)
	}
	if sfs.peak > 8+1 {
		t.Errorf("%d source listings at once, more than Parallel allows", sfs.peak)
	}
}

func TestPlanErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := put(t, dir, "f", "x")
	fsys := local.New()
	if _, err := MakePlan(t.Context(), fsys, file, fsys, filepath.Join(dir, "out"), Options{}); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("file as source: %v", err)
	}
	if _, err := MakePlan(t.Context(), fsys, filepath.Join(dir, "nope"), fsys, filepath.Join(dir, "out"), Options{}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing source: %v", err)
	}
	if _, err := MakePlan(t.Context(), fsys, dir, fsys, file, Options{}); err == nil {
		t.Error("file as destination accepted")
	}
}

// TestPlanStopsWhenCancelled cancels a plan of a slow tree: it ends at
// once with the context's error.
func TestPlanStopsWhenCancelled(t *testing.T) {
	t.Parallel()
	src, dst := t.TempDir(), t.TempDir()
	for i := range 20 {
		put(t, src, fmt.Sprintf("d%02d/f", i), "x")
	}
	sfs := &slowFS{FS: local.New(), delay: time.Hour}
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := MakePlan(ctx, sfs, src, local.New(), dst, Options{Progress: func(Progress) {}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v to stop", d)
	}
}

// TestPlanCleansRoots plans with roots written with trailing slashes:
// the copy's selection still matches the engine's paths.
func TestPlanCleansRoots(t *testing.T) {
	t.Parallel()
	src, dst := t.TempDir(), t.TempDir()
	put(t, src, "d/f", "x")
	p := plan(t, src+"//", dst+"/", Options{})
	wantActions(t, p, "+ d (new)", "+ d/f (new)")
	execute(t, p)
	sameTree(t, src, dst)
}
