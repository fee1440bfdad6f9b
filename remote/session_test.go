package remote_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferry-tui/ferry/config"
	"github.com/ferry-tui/ferry/remote"
	"github.com/ferry-tui/ferry/remote/sshdtest"
)

// hostFor is a config.Host that reaches srv with its client key and a
// known_hosts file holding all of its host keys.
func hostFor(t *testing.T, srv *sshdtest.Server) config.Host {
	t.Helper()
	return config.Host{
		Alias:                 "sshd",
		HostName:              srv.Host,
		Port:                  srv.Port,
		User:                  srv.User,
		IdentityFiles:         []string{srv.ClientKeyPath},
		IdentitiesOnly:        true,
		IdentityAgent:         "none",
		UserKnownHostsFiles:   []string{srv.WriteKnownHosts(t)},
		StrictHostKeyChecking: "yes",
		BatchMode:             true,
	}
}

func dial(t *testing.T, h config.Host) *remote.Session {
	t.Helper()
	s, err := remote.Dial(context.Background(), h)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestSSHDDialAndList(t *testing.T) {
	t.Parallel()
	srv := sshdtest.Start(t)
	if err := os.WriteFile(filepath.Join(srv.Dir, "hello world.txt"), []byte("hi"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := dial(t, hostFor(t, srv))
	ctx := context.Background()
	home, err := s.FS.Home(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if home != srv.Dir {
		t.Fatalf("Home = %q, want the sftp start directory %q", home, srv.Dir)
	}
	fis, err := s.FS.ReadDir(ctx, home)
	if err != nil {
		t.Fatal(err)
	}
	if len(fis) != 1 || fis[0].Name() != "hello world.txt" || fis[0].Size() != 2 {
		t.Fatalf("listing = %v", fis)
	}
	if s.FS.Label() != "sshd" {
		t.Fatalf("label %q", s.FS.Label())
	}
}

func TestSSHDUnknownHostKeyRefusedUnderYes(t *testing.T) {
	t.Parallel()
	srv := sshdtest.Start(t)
	h := hostFor(t, srv)
	h.UserKnownHostsFiles = []string{filepath.Join(t.TempDir(), "known_hosts")}
	_, err := remote.Dial(context.Background(), h)
	var ce *remote.ConnError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v, want a *remote.ConnError", err)
	}
	if _, statErr := os.Stat(h.UserKnownHostsFiles[0]); !os.IsNotExist(statErr) {
		t.Fatalf("known_hosts was written under StrictHostKeyChecking yes (%v)", statErr)
	}
}

// TestSSHDErrorsNameOperationPathAndMeaning checks the SFTP status
// explanations against what OpenSSH's sftp-server really sends.
func TestSSHDErrorsNameOperationPathAndMeaning(t *testing.T) {
	t.Parallel()
	srv := sshdtest.Start(t)
	s := dial(t, hostFor(t, srv))
	ctx := context.Background()
	missing := srv.Dir + "/no such dir"

	_, err := s.FS.Stat(ctx, missing)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("stat missing: errors.Is(ErrNotExist) false for %v", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "stat "+missing) || !strings.Contains(msg, "no such file") {
		t.Fatalf("stat missing: %q should name the operation, the path and the meaning", msg)
	}

	if err := os.Mkdir(filepath.Join(srv.Dir, "d"), 0o755); err != nil {
		t.Fatal(err)
	}
	err = s.FS.Mkdir(ctx, srv.Dir+"/d", 0o755)
	if err == nil || !strings.Contains(err.Error(), "mkdir "+srv.Dir+"/d") || !strings.Contains(err.Error(), "already exist") {
		t.Fatalf("mkdir existing: %v", err)
	}
	var se *remote.StatusError
	if !errors.As(err, &se) || se.Code != 4 {
		t.Fatalf("mkdir existing: want SFTP status 4, got %v", err)
	}

	if err := os.WriteFile(filepath.Join(srv.Dir, "d", "f"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	err = s.FS.Remove(ctx, srv.Dir+"/d")
	if err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("rmdir non-empty: %v", err)
	}

	_, err = s.FS.ReadDir(ctx, missing)
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "ls "+missing) {
		t.Fatalf("ls missing: %v", err)
	}
}

func TestSSHDRenameReplacesWithPosixRename(t *testing.T) {
	t.Parallel()
	srv := sshdtest.Start(t)
	s := dial(t, hostFor(t, srv))
	ctx := context.Background()
	for name, body := range map[string]string{"a": "new", "b": "old"} {
		if err := os.WriteFile(filepath.Join(srv.Dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.FS.Rename(ctx, srv.Dir+"/a", srv.Dir+"/b"); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(srv.Dir, "b"))
	if err != nil || string(b) != "new" {
		t.Fatalf("b = %q, %v; want the renamed file's content", b, err)
	}
}

// TestSSHDPermissionDenied writes where even root may not (sysfs): the
// error must say permission denied, SFTP status 3, with the path.
func TestSSHDPermissionDenied(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat("/sys/kernel"); err != nil {
		t.Skip("no sysfs")
	}
	srv := sshdtest.Start(t)
	s := dial(t, hostFor(t, srv))
	_, err := s.FS.CreateExcl(context.Background(), "/sys/kernel/ferry-test", 0o644)
	if err == nil {
		t.Fatal("creating a file in /sys/kernel succeeded")
	}
	if !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), "create /sys/kernel/ferry-test: permission denied (SFTP status 3)") {
		t.Fatalf("err = %v", err)
	}
}
