package transfer_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/transfer"
)

// TestTargetsTypedWithSeparator checks cp's rule for a destination typed
// with a trailing separator: it must be an existing directory.
func TestTargetsTypedWithSeparator(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "file"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, fsys := context.Background(), local.New()
	for typed, want := range map[string]string{
		"": "", "new": "", "file": "", ".": "", "./": "",
		"new/": "no such directory", "file/": "not a directory",
	} {
		_, err := transfer.Targets(ctx, fsys, []string{filepath.Join(dir, "file")}, fsys, filepath.Join(dir, typed), typed)
		switch {
		case want == "" && err != nil:
			t.Errorf("%q: %v", typed, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), typed)):
			t.Errorf("%q: %v, want an error naming it and saying %q", typed, err, want)
		}
	}
}

// statCounter counts the Stat calls made on an FS.
type statCounter struct {
	transfer.FS
	n int
}

func (s *statCounter) Stat(ctx context.Context, name string) (fs.FileInfo, error) {
	s.n++
	return s.FS.Stat(ctx, name)
}

// TestTargetsStatsTheDestinationOnce: the trailing-separator rule and the
// mapping share one Stat, a round trip on a server.
func TestTargetsStatsTheDestinationOnce(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "a.txt")
	if err := os.WriteFile(src, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	dst := &statCounter{FS: local.New()}
	items, err := transfer.Targets(t.Context(), local.New(), []string{src}, dst, dir, dir+"/")
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 || items[0].Dst != filepath.Join(dir, "a.txt") {
		t.Errorf("items %+v", items)
	}
	if dst.n != 1 {
		t.Errorf("%d Stats of the destination, want 1", dst.n)
	}
}
