package mirror

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/config"
	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/remote"
	"github.com/ferry-tui/ferry/remote/servertest"
	"github.com/ferry-tui/ferry/transfer"
)

// countingFS counts the bytes read from the files it opens.
type countingFS struct {
	transfer.FS
	read *atomic.Int64
}

func (c countingFS) Open(ctx context.Context, name string) (io.ReadCloser, error) {
	r, err := c.FS.Open(ctx, name)
	if err != nil {
		return nil, err
	}
	return &countingReader{r, c.read}, nil
}

type countingReader struct {
	io.ReadCloser
	n *atomic.Int64
}

func (r *countingReader) Read(p []byte) (int, error) {
	n, err := r.ReadCloser.Read(p)
	r.n.Add(int64(n))
	return n, err
}

// dialFS connects to s as ferry does and returns its file system.
func dialFS(t *testing.T, s *servertest.Server) *remote.FS {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	sess, err := remote.Dial(ctx, config.Host{
		Alias: strings.ToLower(s.Kind.String()), HostName: s.Host, Port: s.Port, User: s.User,
		IdentityFiles: []string{s.ClientKeyPath}, IdentitiesOnly: true, IdentityAgent: "none",
		UserKnownHostsFiles: []string{s.KnownHostsPath}, StrictHostKeyChecking: "yes", BatchMode: true,
	})
	if err != nil {
		t.Fatalf("dial %v: %v", s.Kind, err)
	}
	t.Cleanup(func() { sess.Close() })
	return sess.FS
}

// TestChecksumServerHash plans --checksum between a local tree and the
// same tree on a real server, both directions. ProFTPD hashes the remote
// files itself (check-file): not a byte of them is read, and the plan is
// the one reading them gives. OpenSSH has no such extension: the files
// are read, with the same plan.
func TestChecksumServerHash(t *testing.T) {
	t.Parallel()
	for _, kind := range []servertest.Kind{servertest.ProFTPD, servertest.OpenSSH} {
		t.Run(kind.String(), func(t *testing.T) {
			t.Parallel()
			srv := servertest.Start(t, kind)
			rfs := dialFS(t, srv)
			h, err := rfs.OpenHasher(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			defer h.Close()
			loc := t.TempDir()
			rem := filepath.Join(srv.Dir, "tree")
			sameData := strings.Repeat("same ", 2000)
			for _, root := range []string{loc, rem} {
				put(t, root, "same.txt", sameData)
				put(t, root, "sub/empty", "")
			}
			put(t, loc, "sub/differs", "AAAA")
			put(t, rem, "sub/differs", "BBBB")
			put(t, loc, "size", "1")
			put(t, rem, "size", "12")
			hashedBytes := int64(len(sameData) + 4)
			for _, up := range []bool{true, false} {
				var read atomic.Int64
				cfs := countingFS{rfs, &read}
				mk := func(sum SumFunc) *Plan {
					o := Options{Checksum: true}
					var p *Plan
					var err error
					if up {
						o.DstSum = sum
						p, err = MakePlan(t.Context(), local.New(), loc, cfs, rem, o)
					} else {
						o.SrcSum = sum
						p, err = MakePlan(t.Context(), cfs, rem, local.New(), loc, o)
					}
					if err != nil {
						t.Fatal(err)
					}
					return p
				}
				streamed := mk(nil)
				if got := read.Load(); got != hashedBytes {
					t.Errorf("up=%v: streamed hash read %d bytes of the server's files, want %d", up, got, hashedBytes)
				}
				read.Store(0)
				served := mk(h.Sum)
				wantServed, wantRead := int64(2), int64(0)
				if kind == servertest.OpenSSH {
					wantServed, wantRead = 0, hashedBytes
				}
				if served.ServerHashed != wantServed || read.Load() != wantRead {
					t.Errorf("up=%v: %d files hashed by the server, %d bytes read; want %d and %d", up, served.ServerHashed, read.Load(), wantServed, wantRead)
				}
				want := []string{"~ size (size 2 -> 1)", "~ sub/differs (contents differ)"}
				if !up {
					want[0] = "~ size (size 1 -> 2)"
				}
				for _, p := range []*Plan{streamed, served} {
					if got := lines(p); strings.Join(got, "\n") != strings.Join(want, "\n") {
						t.Errorf("up=%v: plan %q, want %q", up, got, want)
					}
				}
			}
		})
	}
}
