package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferry-tui/ferry/remote/servertest"
)

// serverConfig writes an ssh config naming s "box".
func serverConfig(t *testing.T, s *servertest.Server) string {
	t.Helper()
	cfg := fmt.Sprintf("Host box\n  HostName %s\n  Port %d\n  User %s\n  IdentityFile %s\n  IdentitiesOnly yes\n  UserKnownHostsFile %s\n  StrictHostKeyChecking yes\n  BatchMode yes\n  IdentityAgent none\n",
		s.Host, s.Port, s.User, s.ClientKeyPath, s.KnownHostsPath)
	p := filepath.Join(t.TempDir(), "ssh_config")
	if err := os.WriteFile(p, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestSyncChecksumServerHash runs ferry sync --checksum both ways against
// ProFTPD, which hashes the remote files itself (check-file), and OpenSSH,
// which does not: the plans are the same, and only ProFTPD's run says the
// server hashed the files. A real run then makes the trees equal.
func TestSyncChecksumServerHash(t *testing.T) {
	t.Parallel()
	for _, kind := range []servertest.Kind{servertest.ProFTPD, servertest.OpenSSH} {
		t.Run(kind.String(), func(t *testing.T) {
			t.Parallel()
			srv := servertest.Start(t, kind)
			cfg := serverConfig(t, srv)
			loc := filepath.Join(t.TempDir(), "tree")
			rem := filepath.Join(srv.Dir, "tree")
			for _, root := range []string{loc, rem} {
				writeAt(t, root, "same.txt", strings.Repeat("x", 5000), syncTime)
			}
			writeAt(t, loc, "sub/differs", "AAAA", syncTime)
			writeAt(t, rem, "sub/differs", "BBBB", syncTime)
			served := "2 files hashed by the server"
			for _, dir := range [][2]string{{loc, "box:tree"}, {"box:tree", loc}} {
				out, errs := syncOK(t, "-F", cfg, "-n", "--checksum", dir[0], dir[1])
				wantPlan(t, out, "~ sub/differs (4 bytes, contents differ)")
				if got := strings.Contains(errs, served); got != (kind == servertest.ProFTPD) {
					t.Errorf("%s -> %s: stderr %q; server hashed: %v", dir[0], dir[1], errs, got)
				}
			}
			syncOK(t, "-F", cfg, "--checksum", loc, "box:tree")
			sameTree(t, loc, rem)
		})
	}
}
