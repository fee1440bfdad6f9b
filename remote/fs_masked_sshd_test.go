package remote

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"testing"

	"github.com/ferry-tui/ferry/remote/sshdtest"
	"github.com/ferry-tui/ferry/transfer"
)

// TestSSHDCreateExclMasked: the file is made with at most the bits asked
// for and opened for writing by pkg/sftp in the same round trip; an
// existing file is refused and left alone; bits without the owner's write
// bit are not this method's to create.
func TestSSHDCreateExclMasked(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t)
	f := streamSSHDSession(t, s).FS
	ctx, cancel := context.WithTimeout(context.Background(), streamSSHDWait)
	defer cancel()

	name := path.Join(s.Dir, "new")
	w, err := f.CreateExclMasked(ctx, name, 0o640)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.FromSlash(name))
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got&^0o640 != 0 || got&0o600 != 0o600 {
		t.Errorf("created with %v, want at most 0640 and the owner's read and write", got)
	}
	data := bytes.Repeat([]byte("masked "), 100000)
	if _, err := w.(transfer.ConcurrentReaderFrom).ReadFromWithConcurrency(bytes.NewReader(data), 16); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(filepath.FromSlash(name)); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("written %d bytes, read back %d (%v)", len(data), len(got), err)
	}

	// OpenSSH answers a plain failure (status 4) for an existing file.
	if _, err := f.CreateExclMasked(ctx, name, 0o600); err == nil {
		t.Error("create over an existing file succeeded")
	}
	if got, _ := os.ReadFile(filepath.FromSlash(name)); !bytes.Equal(got, data) {
		t.Error("the existing file changed")
	}

	ro := path.Join(s.Dir, "read-only")
	if _, err := f.CreateExclMasked(ctx, ro, 0o444); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("create 0444: %v, want errors.ErrUnsupported", err)
	}
	if _, err := os.Lstat(filepath.FromSlash(ro)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("create 0444 left %v", err)
	}
	// Nothing stays open: the session still lists and removes.
	if err := f.Remove(ctx, name); err != nil {
		t.Fatal(err)
	}
}
