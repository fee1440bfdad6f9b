package transfer_test

import (
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ferry-tui/ferry/remote/sshdtest"
	"github.com/ferry-tui/ferry/transfer"
)

// startLoggingSSHD runs sshd with its SFTP server logging every request
// (LogLevel DEBUG3), so that a test can see which ones it got.
func startLoggingSSHD(t *testing.T) (*sshdtest.Server, string) {
	t.Helper()
	const server = "/usr/lib/openssh/sftp-server"
	if _, err := os.Stat(server); err != nil {
		t.Skipf("no %s: %v", server, err)
	}
	dir, logDir := t.TempDir(), t.TempDir()
	log := filepath.Join(logDir, "sftp.log")
	return sshdtest.Start(t, sshdtest.WithDir(dir), sshdtest.WithConfig(
		"Match all",
		"ForceCommand "+server+" -e -l DEBUG3 -d "+dir+" 2>>"+log,
	)), log
}

// TestSSHDFsyncPolicies checks, on OpenSSH, that the remote flush
// (fsync@openssh.com) is sent as each durability policy says: under auto
// for the file that replaces one and not for the new one.
func TestSSHDFsyncPolicies(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		policy        transfer.Fsync
		newSyncs, old int
	}{
		{transfer.FsyncAuto, 0, 1},
		{transfer.FsyncAlways, 1, 1},
		{transfer.FsyncNever, 0, 0},
	} {
		t.Run(tc.policy.String(), func(t *testing.T) {
			t.Parallel()
			s, logPath := startLoggingSSHD(t)
			rfs, _ := dialFS(t, s)
			if data, ok := rfs.HasExtension("fsync@openssh.com"); !ok || data != "1" {
				t.Fatal("OpenSSH should advertise fsync@openssh.com")
			}
			src := t.TempDir()
			mt := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
			writeFile(t, filepath.Join(src, "new"), []byte("new file"), 0o644, mt)
			writeFile(t, filepath.Join(src, "old"), []byte("replacement"), 0o644, mt)
			writeFile(t, filepath.Join(s.Dir, "old"), []byte("old content"), 0o644, mt.Add(-time.Hour))
			e, _ := newEngine(t, transfer.Options{Fsync: tc.policy})
			run(t, e, transfer.Request{Src: localFS(), Dst: rfs, Policy: transfer.Overwrite, Items: []transfer.Item{
				{Src: filepath.Join(src, "new"), Dst: path.Join(s.Dir, "new")},
				{Src: filepath.Join(src, "old"), Dst: path.Join(s.Dir, "old")},
			}})
			onlyDone(t, e)
			log, err := os.ReadFile(logPath)
			if err != nil {
				t.Fatal(err)
			}
			count := func(name string) int {
				return strings.Count(string(log), `fsync "`+path.Join(s.Dir, "."+name+".ferry-part")+`"`)
			}
			if got := count("new"); got != tc.newSyncs {
				t.Errorf("new file flushed %d times, want %d", got, tc.newSyncs)
			}
			if got := count("old"); got != tc.old {
				t.Errorf("replacing file flushed %d times, want %d\n%s", got, tc.old, log)
			}
			if b, err := os.ReadFile(filepath.Join(s.Dir, "old")); err != nil || string(b) != "replacement" {
				t.Errorf("old = %q, %v", b, err)
			}
		})
	}
}
