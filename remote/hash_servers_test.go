package remote_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/config"
	"github.com/ferry-tui/ferry/remote"
	"github.com/ferry-tui/ferry/remote/servertest"
)

// TestHasherServers asks real servers for file hashes: ProFTPD gives the
// SHA-256 of a file (and "no such file" for a missing one), OpenSSH says
// it has no hash extension, every time.
func TestHasherServers(t *testing.T) {
	t.Parallel()
	for _, kind := range []servertest.Kind{servertest.ProFTPD, servertest.OpenSSH} {
		t.Run(kind.String(), func(t *testing.T) {
			t.Parallel()
			s := servertest.Start(t, kind)
			ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
			defer cancel()
			sess, err := remote.Dial(ctx, config.Host{
				Alias: strings.ToLower(s.Kind.String()), HostName: s.Host, Port: s.Port, User: s.User,
				IdentityFiles: []string{s.ClientKeyPath}, IdentitiesOnly: true, IdentityAgent: "none",
				UserKnownHostsFiles: []string{s.KnownHostsPath}, StrictHostKeyChecking: "yes", BatchMode: true,
			})
			if err != nil {
				t.Fatal(err)
			}
			defer sess.Close()
			data := []byte(strings.Repeat("hash me ", 1000))
			p := filepath.Join(s.Dir, "f")
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
			h, err := sess.FS.OpenHasher(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer h.Close()
			for range 2 {
				algo, sum, err := h.Sum(ctx, p, []string{"sha256", "md5"})
				if kind == servertest.OpenSSH {
					if !errors.Is(err, remote.ErrNoServerHash) || !errors.Is(err, errors.ErrUnsupported) {
						t.Fatalf("Sum on OpenSSH: %v, want ErrNoServerHash", err)
					}
					continue
				}
				want := sha256.Sum256(data)
				if err != nil || algo != "sha256" || string(sum) != string(want[:]) {
					t.Fatalf("Sum: %q %x %v, want sha256 %x", algo, sum, err, want)
				}
			}
			if kind == servertest.ProFTPD {
				_, _, err := h.Sum(ctx, p+".missing", []string{"sha256"})
				if !errors.Is(err, fs.ErrNotExist) {
					t.Errorf("Sum of a missing file: %v, want fs.ErrNotExist", err)
				}
			}
		})
	}
}
