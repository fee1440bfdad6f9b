package remote

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"sync"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/remote/sshdtest"
	"github.com/ferry-tui/ferry/transfer"
)

// TestSSHDSmallFilesBesidePkgSFTP writes and reads small files through
// the mux from many goroutines while pkg/sftp, on the same channel,
// uploads and downloads a large file with many requests in flight: every
// byte must land where it belongs, with the mode and time asked for.
func TestSSHDSmallFilesBesidePkgSFTP(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t)
	sess := streamSSHDSession(t, s)
	f := sess.FS
	if f.cur().mux == nil {
		t.Fatal("a dialled session has no mux")
	}
	ctx, cancel := context.WithTimeout(context.Background(), streamSSHDWait)
	defer cancel()

	big := make([]byte, 24<<20)
	rand.Read(big)
	var wg sync.WaitGroup
	wg.Go(func() {
		w, err := f.CreateExcl(ctx, path.Join(s.Dir, "big"), 0o600)
		if err != nil {
			t.Error(err)
			return
		}
		if _, err := w.(transfer.ConcurrentReaderFrom).ReadFromWithConcurrency(bytes.NewReader(big), 64); err != nil {
			t.Error(err)
		}
		if err := w.Close(); err != nil {
			t.Error(err)
		}
		r, err := f.Open(ctx, path.Join(s.Dir, "big"))
		if err != nil {
			t.Error(err)
			return
		}
		defer r.Close()
		var got bytes.Buffer
		if _, err := r.(io.WriterTo).WriteTo(&got); err != nil || !bytes.Equal(got.Bytes(), big) {
			t.Errorf("big file read back: %d bytes, %v", got.Len(), err)
		}
	})
	mt := time.Date(2023, 1, 2, 3, 4, 5, 0, time.UTC)
	for i := range 16 {
		wg.Go(func() {
			for k := range 8 {
				name := path.Join(s.Dir, fmt.Sprintf("small-%d-%d", i, k))
				data := make([]byte, (i*k*7919)%(200<<10))
				rand.Read(data)
				w, err := f.CreateSmall(ctx, name, 0o604)
				if err != nil {
					t.Error(err)
					return
				}
				if err := w.(transfer.SmallWriter).WriteAndClose(ctx, data, mt, k%2 == 0); err != nil {
					t.Error(err)
					return
				}
				got, err := f.ReadSmall(ctx, name, int64(len(data)))
				if err != nil || !bytes.Equal(got, data) {
					t.Errorf("%s: read back %d bytes of %d, %v", name, len(got), len(data), err)
					return
				}
				fi, err := os.Stat(name)
				if err != nil || fi.Mode().Perm() != 0o604 || !fi.ModTime().Equal(mt) {
					t.Errorf("%s: %v %v, %v", name, fi.Mode(), fi.ModTime(), err)
				}
			}
		})
	}
	wg.Wait()
}

// TestSSHDSmallFileAnswers checks what the server says reaches the
// caller as ferry's other calls say it: an existing name refuses the
// create, a missing directory is fs.ErrNotExist, and a file that is not
// its listed size any more reads as nil without an error.
func TestSSHDSmallFileAnswers(t *testing.T) {
	t.Parallel()
	s := sshdtest.Start(t)
	f := streamSSHDSession(t, s).FS
	ctx := context.Background()
	name := path.Join(s.Dir, "a")
	if err := os.WriteFile(name, []byte("12345"), 0o644); err != nil {
		t.Fatal(err)
	}
	if w, err := f.CreateSmall(ctx, name, 0o644); err == nil {
		w.Close()
		t.Error("CreateSmall over an existing file succeeded")
	}
	if _, err := f.CreateSmall(ctx, path.Join(s.Dir, "no", "b"), 0o644); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("CreateSmall in a missing directory: %v, want fs.ErrNotExist", err)
	}
	if _, err := f.ReadSmall(ctx, path.Join(s.Dir, "missing"), 3); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadSmall of a missing file: %v, want fs.ErrNotExist", err)
	}
	for _, size := range []int64{0, 4, 6} {
		if b, err := f.ReadSmall(ctx, name, size); b != nil || err != nil {
			t.Errorf("ReadSmall(%d) of a 5-byte file: %q, %v; want nil, nil", size, b, err)
		}
	}
	if b, err := f.ReadSmall(ctx, name, 5); string(b) != "12345" || err != nil {
		t.Errorf("ReadSmall(5): %q, %v", b, err)
	}
	// A failing write is reported and the file is closed all the same.
	w, err := f.CreateSmall(ctx, path.Join(s.Dir, "c"), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	sw := w.(*smallFile)
	sw.handle = append([]byte(nil), "not a handle"...)
	if err := sw.WriteAndClose(ctx, []byte("x"), time.Time{}, false); err == nil {
		t.Error("WriteAndClose on a bad handle succeeded")
	}
	if err := w.Close(); !errors.Is(err, fs.ErrClosed) {
		t.Errorf("Close after WriteAndClose: %v, want fs.ErrClosed", err)
	}
	// The channel is still good for pkg/sftp and for the mux.
	if _, err := f.Stat(ctx, name); err != nil {
		t.Error(err)
	}
	if b, err := f.ReadSmall(ctx, name, 5); string(b) != "12345" || err != nil {
		t.Errorf("ReadSmall after a failure: %q, %v", b, err)
	}
}
