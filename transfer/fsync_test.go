package transfer_test

import (
	"context"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/transfer"
)

// syncCountFS is a local file system whose writers count their Sync
// calls per file name. It hides local.FS's os.Root, so that every write
// goes through CreateExcl.
type syncCountFS struct {
	transfer.FS
	mu    sync.Mutex
	syncs map[string]int // by the base name of the target
}

func newSyncCountFS() *syncCountFS {
	return &syncCountFS{FS: localFS(), syncs: map[string]int{}}
}

func (s *syncCountFS) CreateExcl(ctx context.Context, name string, perm fs.FileMode) (io.WriteCloser, error) {
	f, err := s.FS.CreateExcl(ctx, name, perm)
	if err != nil {
		return nil, err
	}
	return &syncCounter{WriteCloser: f, fs: s, name: name}, nil
}

// count returns how often the temporary file of target base was synced.
func (s *syncCountFS) count(base string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.syncs[base]
}

// syncCounter is a writer that counts its Sync calls.
type syncCounter struct {
	io.WriteCloser
	fs   *syncCountFS
	name string
}

func (c *syncCounter) Sync() error {
	base := filepath.Base(c.name)
	// ".NAME.ferry-part" -> "NAME"
	const prefix, suffix = ".", ".ferry-part"
	if len(base) > len(prefix)+len(suffix) {
		base = base[len(prefix) : len(base)-len(suffix)]
	}
	c.fs.mu.Lock()
	c.fs.syncs[base]++
	c.fs.mu.Unlock()
	return c.WriteCloser.(interface{ Sync() error }).Sync()
}

// TestFsyncPolicies checks which files each durability policy flushes:
// auto the one that replaces an existing file (and every file of a move),
// always every file, never none; a Request's policy wins over the
// engine's.
func TestFsyncPolicies(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name          string
		opts, req     transfer.Fsync
		move          bool
		newSyncs, old int
	}{
		{name: "zero value is auto", newSyncs: 0, old: 1},
		{name: "auto", opts: transfer.FsyncAuto, newSyncs: 0, old: 1},
		{name: "auto move", opts: transfer.FsyncAuto, move: true, newSyncs: 1, old: 1},
		{name: "always", opts: transfer.FsyncAlways, newSyncs: 1, old: 1},
		{name: "never", opts: transfer.FsyncNever, newSyncs: 0, old: 0},
		{name: "never move", opts: transfer.FsyncNever, move: true, newSyncs: 0, old: 0},
		{name: "request always over engine never", opts: transfer.FsyncNever, req: transfer.FsyncAlways, newSyncs: 1, old: 1},
		{name: "request never over engine auto", req: transfer.FsyncNever, newSyncs: 0, old: 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			src, dst := t.TempDir(), t.TempDir()
			mt := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
			writeFile(t, filepath.Join(src, "new"), []byte("new file"), 0o644, mt)
			writeFile(t, filepath.Join(src, "old"), []byte("replacement"), 0o644, mt)
			writeFile(t, filepath.Join(dst, "old"), []byte("old content"), 0o644, mt.Add(-time.Hour))
			dfs := newSyncCountFS()
			e, _ := newEngine(t, transfer.Options{Fsync: tc.opts})
			run(t, e, transfer.Request{Src: localFS(), Dst: dfs, Policy: transfer.Overwrite, Move: tc.move, Fsync: tc.req,
				Items: []transfer.Item{
					{Src: filepath.Join(src, "new"), Dst: filepath.Join(dst, "new")},
					{Src: filepath.Join(src, "old"), Dst: filepath.Join(dst, "old")},
				}})
			onlyDone(t, e)
			if got := dfs.count("new"); got != tc.newSyncs {
				t.Errorf("new file synced %d times, want %d", got, tc.newSyncs)
			}
			if got := dfs.count("old"); got != tc.old {
				t.Errorf("replacing file synced %d times, want %d", got, tc.old)
			}
			for name, want := range map[string]string{"new": "new file", "old": "replacement"} {
				b, err := os.ReadFile(filepath.Join(dst, name))
				if err != nil || string(b) != want {
					t.Errorf("%s = %q, %v; want %q", name, b, err, want)
				}
			}
			noTemps(t, dst)
		})
	}
}

func TestParseFsync(t *testing.T) {
	for s, want := range map[string]transfer.Fsync{"auto": transfer.FsyncAuto, "Always": transfer.FsyncAlways, "never": transfer.FsyncNever} {
		got, err := transfer.ParseFsync(s)
		if err != nil || got != want {
			t.Errorf("ParseFsync(%q) = %v, %v; want %v", s, got, err, want)
		}
		if got.String() != want.String() {
			t.Errorf("String of %v", got)
		}
	}
	if _, err := transfer.ParseFsync("sometimes"); err == nil {
		t.Error("ParseFsync(sometimes) should fail")
	}
}
