package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferry-tui/ferry/remote/demo"
)

// demoConfig starts the demo server on dir and writes an ssh_config whose
// alias "demo" reaches it with the demo's key and host key.
func demoConfig(t *testing.T, dir string) string {
	t.Helper()
	srv, err := demo.Start(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	key, kh, err := srv.WriteClientFiles(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(t.TempDir(), "ssh_config")
	body := fmt.Sprintf("Host demo\n  HostName 127.0.0.1\n  Port %d\n  User %s\n  IdentityFile %s\n  IdentitiesOnly yes\n  UserKnownHostsFile %s\n  StrictHostKeyChecking yes\n  BatchMode yes\n  IdentityAgent none\n",
		srv.Port, demo.User, key, kh)
	if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestE2EDemoConfinedToDir runs ferry's own ls and cp against the demo
// server (issue 11): "/" lists DIR, and no path or symbolic link reaches
// the directory beside it, for reading or for writing.
func TestE2EDemoConfinedToDir(t *testing.T) {
	base := t.TempDir()
	dir, outside := filepath.Join(base, "served"), filepath.Join(base, "outside")
	for _, d := range []string{dir, outside} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "only-here.txt"), []byte("in"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(outside, "secret.txt"), []byte("out"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "abs-out")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../outside", filepath.Join(dir, "rel-out")); err != nil {
		t.Fatal(err)
	}
	cfg := demoConfig(t, dir)

	for _, p := range []string{"demo:/", "demo:/..", "demo:", "demo:../.."} {
		code, out, errs := ferry(t, "ls", "-F", cfg, p)
		if code != 0 || out != "abs-out\nonly-here.txt\nrel-out\n" {
			t.Fatalf("ls %s: exit %d, out %q, err %q; want DIR's entries", p, code, out, errs)
		}
	}
	for _, p := range []string{"demo:abs-out", "demo:rel-out", "demo:/../outside", "demo:" + outside} {
		if code, out, _ := ferry(t, "ls", "-F", cfg, p); code == 0 || strings.Contains(out, "secret.txt") {
			t.Errorf("ls %s: exit %d, out %q; want it refused", p, code, out)
		}
	}

	local := filepath.Join(t.TempDir(), "up.txt")
	if err := os.WriteFile(local, []byte("escaped"), 0o644); err != nil {
		t.Fatal(err)
	}
	got := t.TempDir()
	for _, p := range []string{"/../outside", "../outside", outside, "abs-out", "rel-out"} {
		if code, _, _ := ferry(t, "cp", "-F", cfg, local, "demo:"+p+"/new.txt"); code == 0 {
			t.Errorf("cp up.txt demo:%s/new.txt succeeded", p)
		}
		if code, _, _ := ferry(t, "cp", "-F", cfg, "demo:"+p+"/secret.txt", got); code == 0 {
			t.Errorf("cp demo:%s/secret.txt succeeded", p)
		}
	}
	entries, err := os.ReadDir(outside)
	if err != nil || len(entries) != 1 {
		t.Fatalf("the directory beside DIR changed: %v, %v", entries, err)
	}
	if b, err := os.ReadFile(filepath.Join(outside, "secret.txt")); err != nil || string(b) != "out" {
		t.Fatalf("secret.txt: %q, %v", b, err)
	}
	if left, _ := os.ReadDir(got); len(left) != 0 {
		t.Fatalf("downloaded from outside DIR: %v", left)
	}

	// Within DIR, copies work, and an absolute path is one below DIR.
	if code, _, errs := ferry(t, "cp", "-F", cfg, local, "demo:/copied.txt"); code != 0 {
		t.Fatalf("cp into DIR: exit %d, %s", code, errs)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "copied.txt")); err != nil || string(b) != "escaped" {
		t.Fatalf("copied.txt in DIR: %q, %v", b, err)
	}
}
