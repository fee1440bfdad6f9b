package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferry-tui/ferry/remote/sshdtest"
)

// TestSSHDCopyFsyncFlag checks that --fsync reaches the engine: the SFTP
// server (logging every request) sees fsync@openssh.com for a new file
// with --fsync=always, not with the default auto, for a replaced file with
// auto, and never with --fsync=never; a bad value is a usage error.
func TestSSHDCopyFsyncFlag(t *testing.T) {
	t.Parallel()
	const server = "/usr/lib/openssh/sftp-server"
	if _, err := os.Stat(server); err != nil {
		t.Skipf("no %s: %v", server, err)
	}
	dir, logPath := t.TempDir(), filepath.Join(t.TempDir(), "sftp.log")
	srv := sshdtest.Start(t, sshdtest.WithDir(dir), sshdtest.WithConfig(
		"Match all",
		"ForceCommand "+server+" -e -l DEBUG3 -d "+dir+" 2>>"+logPath,
	))
	cfg := sshConfigFor(t, "", map[string]*sshdtest.Server{"box": srv})
	src := t.TempDir()
	for _, name := range []string{"a", "b", "c", "d"} {
		if err := os.WriteFile(filepath.Join(src, name), []byte("data "+name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "d"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	flushes := func(name string) int {
		b, _ := os.ReadFile(logPath)
		return strings.Count(string(b), `fsync "`+filepath.Join(dir, "."+name+".ferry-part")+`"`)
	}
	for _, c := range []struct {
		args []string
		file string
		want int
	}{
		{[]string{"put", "--fsync=always"}, "a", 1},
		{[]string{"put"}, "b", 0},
		{[]string{"cp", "--fsync", "never"}, "c", 0},
		{[]string{"put", "-f"}, "d", 1},
	} {
		args := append(append(c.args, "-F", cfg), filepath.Join(src, c.file), "box:")
		if code, _, errs := ferry(t, args...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		if got := flushes(c.file); got != c.want {
			t.Errorf("%v: %d flushes of %s, want %d", c.args, got, c.file, c.want)
		}
		if b, err := os.ReadFile(filepath.Join(dir, c.file)); err != nil || string(b) != "data "+c.file {
			t.Errorf("%v: %s = %q, %v", c.args, c.file, b, err)
		}
	}
	code, _, errs := ferry(t, "put", "-F", cfg, "--fsync=sometimes", filepath.Join(src, "a"), "box:")
	if code != 2 || !strings.Contains(errs, "--fsync") {
		t.Errorf("--fsync=sometimes: exit %d, %q; want 2 and a usage error", code, errs)
	}
}
