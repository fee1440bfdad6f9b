package remote

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferry-tui/ferry/remote/sshdtest"
)

func TestSSHDLookupIDsFromLongListing(t *testing.T) {
	t.Parallel()
	if os.Getuid() != 0 {
		t.Skip("needs root to give files to other users")
	}
	s := sshdtest.Start(t)
	sess := streamSSHDSession(t, s)
	ctx := context.Background()
	dir := filepath.Join(s.Dir, "d")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(dir, "f")
	if err := os.WriteFile(f, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	// daemon (1) owns f, with group bin (2), as /etc/passwd and /etc/group
	// name them on the server (this machine).
	if err := os.Chown(f, 1, 2); err != nil {
		t.Fatal(err)
	}
	uid, gid, err := sess.FS.LookupIDs(ctx, dir, "daemon", "bin")
	if err != nil || uid != 1 || gid != 2 {
		t.Fatalf("LookupIDs(daemon, bin) = %d, %d, %v; want 1, 2", uid, gid, err)
	}
	// root owns "/": found without anything near.
	if uid, gid, err := sess.FS.LookupIDs(ctx, dir, "root", ""); err != nil || uid != 0 || gid != -1 {
		t.Errorf("LookupIDs(root) = %d, %d, %v", uid, gid, err)
	}
	_, _, err = sess.FS.LookupIDs(ctx, dir, "no-such-user", "")
	if err == nil || !strings.Contains(err.Error(), "no user named no-such-user") || !strings.Contains(err.Error(), "numeric id") {
		t.Errorf("unknown user: %v", err)
	}
	// A directory that cannot be listed is skipped, not an error.
	if uid, _, err := sess.FS.LookupIDs(ctx, filepath.Join(dir, "missing"), "daemon", ""); err != nil || uid != 1 {
		t.Errorf("LookupIDs near a missing directory = %d, %v", uid, err)
	}
	// An FS without its own SSH connection says names are unknown.
	_, client := s.Dial(t)
	if _, _, err := NewFS("plain", client).LookupIDs(ctx, dir, "daemon", ""); err == nil || !strings.Contains(err.Error(), "names are not known") {
		t.Errorf("NewFS: %v", err)
	}
}
