package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferry-tui/ferry/remote"
	"github.com/ferry-tui/ferry/remote/sshdtest"
)

// testApp is an app with captured output and a private home directory,
// so nothing reads or writes the real ~/.ssh.
func testApp(t *testing.T) (*app, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	var out, errb bytes.Buffer
	home := t.TempDir()
	env := map[string]string{"HOME": home}
	return &app{
		stdout:   &out,
		stderr:   &errb,
		getenv:   func(k string) string { return env[k] },
		home:     home,
		user:     "tester",
		prompter: remote.NoPrompter{},
	}, &out, &errb
}

// sshConfigFor writes an ssh_config with an alias per server, each
// reaching it with its client key and a known_hosts file of its keys.
func sshConfigFor(t *testing.T, extra string, servers map[string]*sshdtest.Server) string {
	t.Helper()
	var b strings.Builder
	for alias, s := range servers {
		fmt.Fprintf(&b, "Host %s\n  HostName 127.0.0.1\n  Port %d\n  User %s\n  IdentityFile %s\n  IdentitiesOnly yes\n  UserKnownHostsFile %s\n  StrictHostKeyChecking yes\n  BatchMode yes\n  IdentityAgent none\n\n",
			alias, s.Port, s.User, s.ClientKeyPath, s.WriteKnownHosts(t))
	}
	b.WriteString(extra)
	p := filepath.Join(t.TempDir(), "ssh_config")
	if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// ferry runs one ferry command line in-process.
func ferry(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	a, out, errb := testApp(t)
	code = run(context.Background(), a, args)
	return code, out.String(), errb.String()
}

func TestSSHDHeadlessCommands(t *testing.T) {
	t.Parallel()
	srv := sshdtest.Start(t)
	cfg := sshConfigFor(t, "", map[string]*sshdtest.Server{"box": srv})
	d := srv.Dir
	if err := os.WriteFile(filepath.Join(d, "a file.txt"), []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}

	code, out, errs := ferry(t, "ls", "-F", cfg, "box:")
	if code != 0 || out != "a file.txt\n" {
		t.Fatalf("ls: code %d, out %q, err %q", code, out, errs)
	}
	code, out, _ = ferry(t, "ls", "-F", cfg, "-l", "box:"+d)
	if code != 0 || !strings.HasPrefix(out, "-rw-r--r-- ") || !strings.Contains(out, " 5 ") || !strings.HasSuffix(out, " a file.txt\n") {
		t.Fatalf("ls -l: code %d, out %q", code, out)
	}

	if code, _, errs := ferry(t, "mkdir", "-F", cfg, "box:new dir"); code != 0 {
		t.Fatalf("mkdir: %d %s", code, errs)
	}
	if fi, err := os.Stat(filepath.Join(d, "new dir")); err != nil || !fi.IsDir() {
		t.Fatalf("mkdir made nothing: %v", err)
	}
	if code, _, errs := ferry(t, "mkdir", "-F", cfg, "-p", "box:p/q/r", "box:new dir"); code != 0 {
		t.Fatalf("mkdir -p: %d %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(d, "p", "q", "r")); err != nil {
		t.Fatal(err)
	}

	if code, _, errs := ferry(t, "rename", "-F", cfg, "box:a file.txt", "renamed.txt"); code != 0 {
		t.Fatalf("rename: %d %s", code, errs)
	}
	if b, err := os.ReadFile(filepath.Join(d, "renamed.txt")); err != nil || string(b) != "hello" {
		t.Fatalf("renamed file: %q %v", b, err)
	}

	if code, _, errs := ferry(t, "rmdir", "-F", cfg, "box:new dir"); code != 0 {
		t.Fatalf("rmdir: %d %s", code, errs)
	}
	if code, _, errs := ferry(t, "rm", "-F", cfg, "-r", "box:p"); code != 0 {
		t.Fatalf("rm -r: %d %s", code, errs)
	}
	if code, _, errs := ferry(t, "rm", "-F", cfg, "box:renamed.txt"); code != 0 {
		t.Fatalf("rm: %d %s", code, errs)
	}
	left, _ := os.ReadDir(d)
	if len(left) != 0 {
		t.Fatalf("left behind: %v", left)
	}
}

// TestSSHDHeadlessErrors checks that each failure names the operation, the
// path and what the SFTP status means, with exit status 1.
func TestSSHDHeadlessErrors(t *testing.T) {
	t.Parallel()
	srv := sshdtest.Start(t)
	cfg := sshConfigFor(t, "", map[string]*sshdtest.Server{"box": srv})
	d := srv.Dir
	if err := os.MkdirAll(filepath.Join(d, "full", "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(d, "f"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"ls", "box:missing"}, []string{"stat missing", "no such file", "SFTP status 2"}},
		{[]string{"mkdir", "box:full"}, []string{"mkdir full", "already exist", "SFTP status 4"}},
		{[]string{"rmdir", "box:full"}, []string{"remove full", "not empty", "SFTP status 4"}},
		{[]string{"rmdir", "box:f"}, []string{"rmdir f", "not a directory"}},
		{[]string{"rm", "box:full"}, []string{"rm full", "is a directory"}},
		{[]string{"rename", "box:f", "full"}, []string{"rename full", "exists"}},
		{[]string{"rename", "box:nope", "other"}, []string{"rename nope", "no such file"}},
	}
	for _, c := range cases {
		args := append([]string{c.args[0], "-F", cfg}, c.args[1:]...)
		code, _, errs := ferry(t, args...)
		if code != 1 {
			t.Errorf("%v: exit %d, want 1 (stderr %q)", c.args, code, errs)
		}
		for _, w := range c.want {
			if !strings.Contains(errs, w) {
				t.Errorf("%v: stderr %q lacks %q", c.args, errs, w)
			}
		}
	}
}

func TestSSHDHeadlessThroughProxyJumpAlias(t *testing.T) {
	t.Parallel()
	jump, target := sshdtest.Start(t), sshdtest.Start(t)
	cfg := sshConfigFor(t, "Host via-jump\n  ProxyJump jumpbox\n", map[string]*sshdtest.Server{"jumpbox": jump, "via-jump": target})
	if err := os.WriteFile(filepath.Join(target.Dir, "behind-jump"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := ferry(t, "ls", "-F", cfg, "via-jump:")
	if code != 0 || out != "behind-jump\n" {
		t.Fatalf("ls through ProxyJump: %d %q %q", code, out, errs)
	}
	// -J on the command line does the same for a host with no ProxyJump.
	cfg2 := sshConfigFor(t, "", map[string]*sshdtest.Server{"jumpbox": jump, "direct": target})
	code, out, errs = ferry(t, "ls", "-F", cfg2, "-J", "jumpbox", "direct:")
	if code != 0 || out != "behind-jump\n" {
		t.Fatalf("ls -J: %d %q %q", code, out, errs)
	}
}

func TestHeadlessExitCodes(t *testing.T) {
	t.Parallel()
	cfg := filepath.Join(t.TempDir(), "cfg")
	if err := os.WriteFile(cfg, []byte("Host closed\n  HostName 127.0.0.1\n  Port 1\n  BatchMode yes\n  ConnectTimeout 5\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := ferry(t, "ls", "-F", cfg, "closed:"); code != 255 || !strings.Contains(errs, "closed") {
		t.Errorf("connection refused: exit %d, stderr %q; want 255 naming the host", code, errs)
	}
	if code, _, _ := ferry(t, "ls", "-F", cfg); code != 2 {
		t.Errorf("missing operand: exit %d, want 2", code)
	}
	if code, _, errs := ferry(t, "ls", "-F", cfg, "local/path"); code != 2 || !strings.Contains(errs, "not remote") {
		t.Errorf("local operand: exit %d, stderr %q; want 2", code, errs)
	}
	if code, _, _ := ferry(t, "rename", "-F", cfg, "a:x"); code != 2 {
		t.Errorf("rename with one operand: exit %d, want 2", code)
	}
	if code, _, errs := ferry(t, "ls", "-F", filepath.Join(t.TempDir(), "nope"), "x:"); code != 255 || errs == "" {
		t.Errorf("missing -F file: exit %d, stderr %q; want 255 with a message", code, errs)
	}
}

// TestSSHDJumpHopWithUserAndPort passes -J user@127.0.0.1:PORT: the hop's
// port and user must survive, and its key comes from a Host 127.0.0.1 block.
func TestSSHDJumpHopWithUserAndPort(t *testing.T) {
	t.Parallel()
	jump, target := sshdtest.Start(t), sshdtest.Start(t)
	extra := fmt.Sprintf("Host 127.0.0.1\n  IdentityFile %s\n  IdentitiesOnly yes\n  UserKnownHostsFile %s\n  StrictHostKeyChecking yes\n  BatchMode yes\n  IdentityAgent none\n",
		jump.ClientKeyPath, jump.WriteKnownHosts(t))
	cfg := sshConfigFor(t, extra, map[string]*sshdtest.Server{"direct": target})
	if err := os.WriteFile(filepath.Join(target.Dir, "via-hop-spec"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	hop := fmt.Sprintf("%s@127.0.0.1:%d", jump.User, jump.Port)
	code, out, errs := ferry(t, "ls", "-F", cfg, "-J", hop, "direct:")
	if code != 0 || out != "via-hop-spec\n" {
		t.Fatalf("ls -J %s: %d %q %q", hop, code, out, errs)
	}
}
