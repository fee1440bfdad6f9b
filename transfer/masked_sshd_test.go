package transfer_test

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/ferry-tui/ferry/remote"
	"github.com/ferry-tui/ferry/remote/sshdtest"
	"github.com/ferry-tui/ferry/transfer"
)

// maskedCount is a remote.FS that counts its CreateExclMasked calls.
type maskedCount struct {
	*remote.FS
	n atomic.Int32
}

func (m *maskedCount) CreateExclMasked(ctx context.Context, name string, perm fs.FileMode) (io.WriteCloser, error) {
	m.n.Add(1)
	return m.FS.CreateExclMasked(ctx, name, perm)
}

// TestSSHDUploadModeExact: a file that is not small is created with its
// mode in the OPEN (CreateExclMasked), where the server's umask (022 here)
// takes bits away, and ends with exactly the source's bits; one without
// the owner's write bit goes the old way.
func TestSSHDUploadModeExact(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t)
	rfs, _ := dialFS(t, s)
	dst := &maskedCount{FS: rfs}
	dir := t.TempDir()
	modes := []fs.FileMode{0o664, 0o640, 0o755, 0o444}
	var items []transfer.Item
	for _, m := range modes {
		src := filepath.Join(dir, m.String())
		writeFile(t, src, randomBytes(1<<20), m, baseTime)
		items = append(items, transfer.Item{Src: src, Dst: path.Join(s.Dir, m.String())})
	}
	e, _ := newEngine(t, transfer.Options{})
	run(t, e, transfer.Request{Src: localFS(), Dst: dst, Items: items})
	onlyDone(t, e)
	for i, it := range items {
		fi, err := os.Stat(it.Dst)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != modes[i] {
			t.Errorf("%s: mode %v, want %v", it.Dst, fi.Mode().Perm(), modes[i])
		}
		want, _ := os.ReadFile(it.Src)
		if got, _ := os.ReadFile(it.Dst); !bytes.Equal(got, want) {
			t.Errorf("%s differs from its source", it.Dst)
		}
	}
	if n := dst.n.Load(); n < 3 {
		t.Errorf("%d creates with the mode in the OPEN, want at least the 3 writable files", n)
	}
	noTemps(t, s.Dir)
}
