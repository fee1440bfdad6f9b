package remote

import (
	"context"
	"encoding/binary"
	"errors"
	"io/fs"
	"sync"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/remote/internal/sftpwire"
	"github.com/pkg/sftp"
)

// TestReadSmallCancelClosesHandle checks that a ReadSmall cancelled while
// its OPEN is on the way still closes the handle the server answers
// with, instead of leaving it open on the server.
func TestReadSmallCancelClosesHandle(t *testing.T) {
	var mu sync.Mutex
	open := 0
	var cancel context.CancelFunc
	f := fakeFS(t, func(typ byte, id uint32, body []byte) []byte {
		mu.Lock()
		defer mu.Unlock()
		switch typ {
		case sftpwire.TypeOpen:
			open++
			cancel() // the user cancels while the answer is on its way
			return packet(sftpwire.TypeHandle, id, sftpwire.AppendBytes(nil, []byte("h")))
		case sftpwire.TypeClose:
			open--
		}
		return packet(sftpwire.TypeStatus, id, statusBody(0))
	})
	for range 10 {
		ctx, c := context.WithCancel(context.Background())
		mu.Lock()
		cancel = c
		mu.Unlock()
		if _, err := f.ReadSmall(ctx, "/a", 10); !errors.Is(err, context.Canceled) {
			t.Fatalf("ReadSmall cancelled: %v, want context.Canceled", err)
		}
	}
	waitUntil(t, "every handle closed on the server", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return open == 0
	})
}

// modeServer answers a small upload: its FSETSTAT of permission bits
// with chmod (a status code), everything else with OK, and an LSTAT
// with a regular file of permission bits perm.
func modeServer(chmod uint32, perm fs.FileMode) func(typ byte, id uint32, body []byte) []byte {
	return func(typ byte, id uint32, body []byte) []byte {
		switch typ {
		case sftpwire.TypeOpen:
			return packet(sftpwire.TypeHandle, id, sftpwire.AppendBytes(nil, []byte("h")))
		case sftpwire.TypeFsetstat:
			h, _, _ := sftpwire.CutString(body)
			if binary.BigEndian.Uint32(body[4+len(h):])&sftpwire.AttrPerm != 0 {
				return packet(sftpwire.TypeStatus, id, statusBody(chmod))
			}
		case 7: // LSTAT
			attrs := binary.BigEndian.AppendUint32(nil, sftpwire.AttrPerm)
			attrs = binary.BigEndian.AppendUint32(attrs, 0o100000|uint32(perm))
			return packet(105, id, attrs)
		}
		return packet(sftpwire.TypeStatus, id, statusBody(0))
	}
}

// TestWriteAndCloseRefusedMode checks that a server refusing to set the
// permission bits fails a small upload only when the file does not have
// them anyway, as transfer's createExcl, which sends no chmod when a
// directory's new files get the bits wanted, would; any other failure of
// the chmod fails it.
func TestWriteAndCloseRefusedMode(t *testing.T) {
	for _, tc := range []struct {
		name   string
		chmod  uint32
		served fs.FileMode
		fails  bool
	}{
		{"refused, bits already right", uint32(sftp.ErrSSHFxPermissionDenied), 0o644, false},
		{"unsupported, bits already right", uint32(sftp.ErrSSHFxOpUnsupported), 0o644, false},
		{"refused, bits wrong", uint32(sftp.ErrSSHFxPermissionDenied), 0o600, true},
		{"failed, bits already right", uint32(sftp.ErrSSHFxFailure), 0o644, true},
		{"done", 0, 0o600, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := fakeFS(t, modeServer(tc.chmod, tc.served))
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			w, err := f.CreateSmall(ctx, "/up/f", 0o644)
			if err != nil {
				t.Fatal(err)
			}
			err = w.(*smallFile).WriteAndClose(ctx, []byte("data"), time.Unix(1e9, 0), false)
			if (err != nil) != tc.fails {
				t.Errorf("WriteAndClose: %v, want failure %v", err, tc.fails)
			}
			var pe *fs.PathError
			if err != nil && (!errors.As(err, &pe) || pe.Op != "chmod" || pe.Path != "/up/f") {
				t.Errorf("error %v does not name the chmod of /up/f", err)
			}
		})
	}
}
